"""mkdocs.yml as a typed, allow-listed site configuration, read once in the main process.

Editors may set what a council needs (colours, a few Material features, the language, a logo and favicon
from the plan's own docs_theme/ folder, a footer text, the site's address, a home link and social links)
and nothing that loads code, runs at build time or makes readers' browsers talk to another host. Every
model forbids unknown keys, so the allow-list is the models themselves; each refusal is a located
diagnostic (C601-C605) that says why.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo, \
    field_validator
from pydantic_core import PydanticCustomError

from .diagnostics import Diagnostic
from .errors import GeneratorError
from .loader import LoadError, load_yaml, read_text
from .locations import Loc, field_path

FILE = "mkdocs.yml"
THEME_DIR = "docs_theme"
PACKAGED_THEME = Path(__file__).parent / "theme"  # the product's theme; a plan's docs_theme/ overrides it file by file
MAX_BYTES = 100_000  # a site configuration is a few hundred bytes; a larger file is refused before parsing
MAX_TEXT = 500
DEFAULT_FEATURES = ("navigation.top", "search.highlight", "content.code.copy")

# Material feature flags that change behaviour in the page only: none loads anything from another host.
# Left out: navigation.instant* (replaces pages by script, which the generator's page script does not
# expect), content.action.* (needs repo_url, which the generator supplies or not).
FEATURES = ("announce.dismiss", "content.code.annotate", "content.code.copy", "content.code.select",
            "content.footnote.tooltips", "content.tabs.link", "content.tooltips", "header.autohide",
            "navigation.expand", "navigation.footer", "navigation.indexes", "navigation.path",
            "navigation.prune", "navigation.sections", "navigation.tabs", "navigation.tabs.sticky",
            "navigation.top", "navigation.tracking", "search.highlight", "search.share", "search.suggest",
            "toc.follow", "toc.integrate")
# Copied from Material's documentation (setup/changing-the-colors), used only if its stylesheet cannot be read.
_DOC_PRIMARY = ("red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal", "green",
                "light-green", "lime", "yellow", "amber", "orange", "deep-orange", "brown", "grey", "blue-grey",
                "black", "white")
MEDIA = ("(prefers-color-scheme)", "(prefers-color-scheme: light)", "(prefers-color-scheme: dark)")
ASSET_SUFFIXES = (".png", ".svg", ".ico", ".jpg", ".jpeg", ".gif", ".webp")

ALLOWED = {(): "copyright, site_url, site_description, theme and extra",
           ("theme",): "palette, features, language, logo, favicon and icon",
           ("theme", "palette"): "scheme, primary, accent, media and toggle",
           ("theme", "palette", "toggle"): "icon and name",
           ("theme", "icon"): "logo",
           ("extra",): "homepage and social",
           ("extra", "social"): "icon, link and name"}
SUPPLIED = "the generator supplies it"
WHY = {  # why a key editors might know from MkDocs or Material is refused
    "plugins": "plugins run code during the build; " + SUPPLIED,
    "hooks": "hooks run code during the build; " + SUPPLIED,
    "markdown_extensions": "extensions run code during the build; " + SUPPLIED,
    "extra_javascript": "it would load scripts into every page; " + SUPPLIED,
    "extra_css": "it would load styles into every page; put your styles in docs_theme/assets/extra.css instead "
                 "(every page loads that file)",
    "theme.font": "web fonts come from Google, which would then see every reader; the generator turns them off",
    "theme.custom_dir": "the generator uses the plan's docs_theme/ folder",
    "theme.name": "the generator always uses Material",
    "extra.analytics": "analytics loads a third-party script into every page, and that third party then sees "
                       "every reader",
    "extra.consent": "it belongs to analytics, which is not allowed",
    "extra.alternate": "it links every page to other addresses; the generator builds one language",
    "extra.generator": SUPPLIED,
    "extra.version": "the generator supplies the version selector",
}
MKDOCS_KEYS = {"site_name", "site_author", "nav", "docs_dir", "site_dir", "repo_url", "repo_name", "edit_uri",
               "edit_uri_template", "use_directory_urls", "strict", "not_in_nav", "validation", "watch",
               "exclude_docs", "draft_docs", "dev_addr", "remote_branch", "remote_name", "extra_templates",
               "INHERIT", "theme.static_templates", "theme.locale", "theme.direction", "theme.include_search_page",
               "theme.include_sidebar"}


# --- what Material ships -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def material_templates() -> Path:
    """Material's templates folder, found only when a setting needs it (validating a plan needs no site engine)."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.origin:
        raise GeneratorError("mkdocs.yml names Material's icons or languages, but mkdocs-material is not installed; "
                             "install the generator with its dependencies")
    return Path(spec.origin).parent / "templates"


@lru_cache(maxsize=1)
def colours() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Material's primary and accent colour names, read from its palette stylesheet."""
    try:
        css = next((material_templates() / "assets" / "stylesheets").glob("palette.*.min.css")).read_text("utf-8")
    except (StopIteration, OSError, GeneratorError):
        return _DOC_PRIMARY, tuple(c for c in _DOC_PRIMARY if c not in ("brown", "grey", "blue-grey", "black",
                                                                          "white"))
    names = lambda kind: tuple(sorted(set(re.findall(rf"data-md-color-{kind}=([a-z-]+)\]", css))))  # noqa: E731
    return names("primary"), names("accent")


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """Material's bundled translations: the files in material/templates/partials/languages/."""
    return tuple(sorted(p.stem for p in (material_templates() / "partials" / "languages").glob("*.html")))


def icon_exists(name: str) -> bool:
    if not re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)+", name):  # no '..', no absolute path
        return False
    return (material_templates() / ".icons" / f"{name}.svg").is_file()


# --- value rules -----------------------------------------------------------------------------------


def _bad(code: str, message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError(code, "{message}", {"message": message, "hint": hint})


def _show(value: str) -> str:
    """A value as it can be quoted on one line of a message: control characters spelt out, long ones cut."""
    out = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in value[:80])
    return out + ("..." if len(value) > 80 else "")


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _text(value: str) -> str:
    # Control and bidirectional characters are refused by the loader (L011) in every file it reads.
    if len(value) > MAX_TEXT:
        raise _bad("C603", f"the text is {len(value):,} characters long; at most {MAX_TEXT} are allowed")
    return value


_UNSAFE = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f-\x9f]")
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def _link(value: str, *, mailto: bool = False, site: bool = False) -> str:
    """An absolute http(s) address with a host (or, where allowed, mailto:), refusing anything a browser could
    read another way: quotes, angle brackets, spaces, backslashes, control characters, userinfo."""
    kinds = "an https:// or http:// address" + (" or a mailto: address" if mailto else "")
    hint = "write the whole address, e.g. https://www.example.gov.uk/" + (" or mailto:team@example.gov.uk"
                                                                             if mailto else "")
    parts = urlsplit(value)
    if mailto and parts.scheme == "mailto":
        if re.fullmatch(r"[^@/?#:\s\"'<>\\`\x00-\x1f\x7f-\x9f]+@[a-z0-9.-]+", value[7:], re.I):
            return value
        raise _bad("C604", f"'{_show(value)}' is not a plain mailto: address", "write mailto:name@example.gov.uk")
    if parts.scheme not in ("http", "https"):
        raise _bad("C604", f"'{_show(value)}' is not {kinds}", hint)
    m = _UNSAFE.search(value)
    if m:
        ch = m.group()
        shown = {" ": "a space", "\t": "a tab", "\n": "a line break"}.get(ch) or \
            (f"'{ch}'" if ch.isprintable() else f"the control character U+{ord(ch):04X}")
        raise _bad("C604", f"'{_show(value)}' holds {shown}, which an address may not; it must be {kinds}",
                   "percent-encode the character (a space is %20)")
    if "@" in parts.netloc:
        raise _bad("C604", f"'{_show(value)}' has a user name before its host ('@'), which can disguise the real host",
                   hint)
    try:
        parts.port
    except ValueError:
        raise _bad("C604", f"'{_show(value)}' has an invalid port", hint) from None
    if not parts.hostname or not HOST.fullmatch(parts.hostname):
        raise _bad("C604", f"'{_show(value)}' has no valid host name", hint)
    if site and (parts.fragment or parts.query or "#" in value or "?" in value):
        raise _bad("C604", f"'{_show(value)}' has a query or '#' fragment; the site's address may not",
                   "write only the address the site is served from, e.g. https://plan.example.gov.uk/")
    return value


def _one_of(allowed: tuple[str, ...], what: str):
    def check(value: str) -> str:
        if value not in allowed:
            raise _bad("C603", f"'{_show(value)}' is not {what}", f"use one of: {_choices(allowed)}")
        return value
    return check


def _icon(value: str) -> str:
    if not icon_exists(value):
        raise _bad("C603", f"'{_show(value)}' is not one of Material's bundled icons",
                   "name an icon as Material's icon search shows it, e.g. material/brightness-7 or "
                   "fontawesome/brands/github")
    return value


def _listed(value: Any) -> Any:
    """One palette, or a list of them (light and dark)."""
    return [] if value is None else [value] if isinstance(value, dict) else value


Text = Annotated[str, AfterValidator(_text)]
Icon = Annotated[str, AfterValidator(_icon)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _label(value: str) -> str:
    """Material prints a toggle's name into two attributes unescaped: keep it to plain words."""
    if not re.fullmatch(r"[\w ,.()-]{1,80}", value):
        raise _bad("C603", f"'{_show(value)}' is not a plain label", "a toggle's name may hold only letters, "
                   "digits, spaces and , . ( ) - (at most 80), e.g. Switch to dark mode")
    return value


class Toggle(_Strict):
    icon: Icon
    name: Annotated[str, AfterValidator(_label)]


class Palette(_Strict):
    scheme: Annotated[str, AfterValidator(_one_of(("default", "slate"), "a colour scheme"))] = "default"
    primary: Annotated[str, AfterValidator(lambda v: _one_of(colours()[0], "one of Material's primary colours")(v))] \
        | None = None
    accent: Annotated[str, AfterValidator(lambda v: _one_of(colours()[1], "one of Material's accent colours")(v))] \
        | None = None
    media: Annotated[str, AfterValidator(_one_of(MEDIA, "a media query the palette toggle supports"))] | None = None
    toggle: Toggle | None = None


class ThemeIcon(_Strict):
    logo: Icon | None = None


class Theme(_Strict):
    palette: Annotated[list[Palette], BeforeValidator(_listed)] = []
    features: list[Annotated[str, AfterValidator(_one_of(FEATURES, "a feature flag the generator allows"))]] \
        | None = None
    language: Annotated[str, AfterValidator(lambda v: _one_of(languages(), "one of Material's languages")(v))] = "en"
    logo: str | None = None
    favicon: str | None = None
    icon: ThemeIcon | None = None

    @field_validator("logo", "favicon")
    @classmethod
    def _asset(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Only a file of the plan's own docs_theme/: a remote logo or favicon would show a third-party host
        every reader of every page."""
        if value is None:
            return None
        hint = f"put the image in the plan's {THEME_DIR}/ folder and give its path inside it, e.g. images/logo.png"
        if ":" in value or value.startswith(("/", "\\")) or "\\" in value:
            raise _bad("C605", f"'{_show(value)}' is not a path inside {THEME_DIR}/; remote or absolute images are "
                       "refused, since a third-party host would then see every reader", hint)
        if not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", value):  # MkDocs prints the path raw into src
            raise _bad("C605", f"'{_show(value)}' may hold only letters, digits, '.', '_', '-' and '/'",
                       "rename the file, e.g. images/council-logo.png")
        if ".." in value.split("/"):
            raise _bad("C605", f"'{_show(value)}' leaves the {THEME_DIR}/ folder ('..')", hint)
        if not value.lower().endswith(ASSET_SUFFIXES):
            raise _bad("C605", f"'{_show(value)}' is not an image ({', '.join(ASSET_SUFFIXES)})", hint)
        base = (info.context or {}).get("theme_dir")
        if base is None or not base.is_dir():
            raise _bad("C605", f"'{_show(value)}' cannot be found: the plan has no {THEME_DIR}/ folder", hint)
        root = (info.context or {}).get("root")
        target = (base / value).resolve()
        if root is not None and not base.resolve().is_relative_to(root.resolve()):
            raise _bad("C605", f"'{_show(value)}' cannot be used: the {THEME_DIR}/ folder is a link to a place "
                       "outside the plan's folder", hint)
        if not target.is_relative_to(base.resolve()):
            raise _bad("C605", f"'{_show(value)}' leads outside the {THEME_DIR}/ folder (a link to elsewhere)", hint)
        if not target.is_file():
            raise _bad("C605", f"'{_show(value)}' does not exist in the {THEME_DIR}/ folder", hint)
        return target.relative_to(base.resolve()).as_posix()


class Social(_Strict):
    icon: Icon
    link: Annotated[str, AfterValidator(lambda v: _link(v, mailto=True))]
    name: Text | None = None


class Extra(_Strict):
    homepage: Annotated[str, AfterValidator(_link)] | None = None
    social: list[Social] = []


def _site_url(value: str) -> str:
    _link(value, site=True)
    return value.rstrip("/") + "/"


class SiteConfig(_Strict):
    """What an editor's mkdocs.yml may set, checked; everything else in the staged config is the generator's."""

    copyright: Text | None = None
    site_url: Annotated[str, AfterValidator(_site_url)] | None = None  # normalised to end in '/'
    site_description: Text | None = None
    theme: Theme = Theme()
    extra: Extra = Extra()

    def mkdocs_part(self) -> dict[str, Any]:
        """The editor-controlled part of a staged MkDocs config. Texts (copyright, site_description, toggle
        names, social names) are plain text, not yet escaped as HTML; site_url is the base, ending in '/',
        to which the build adds the edition and version."""
        theme: dict[str, Any] = {"language": self.theme.language,
                                 "features": list(self.theme.features if self.theme.features is not None
                                                  else DEFAULT_FEATURES)}
        palettes = [p.model_dump(exclude_none=True) for p in self.theme.palette]
        if palettes:
            theme["palette"] = palettes[0] if len(palettes) == 1 and "toggle" not in palettes[0] else palettes
        for key in ("logo", "favicon"):
            if getattr(self.theme, key):
                theme[key] = getattr(self.theme, key)
        if self.theme.icon and self.theme.icon.logo:
            theme["icon"] = {"logo": self.theme.icon.logo}
        extra: dict[str, Any] = {}
        if self.extra.homepage:
            extra["homepage"] = self.extra.homepage
        if self.extra.social:
            extra["social"] = [s.model_dump(exclude_none=True) for s in self.extra.social]
        return {"theme": theme, "extra": extra, "copyright": self.copyright,
                "site_description": self.site_description, "site_url": self.site_url}


# --- reading mkdocs.yml into it --------------------------------------------------------------------


def _refusal(path: tuple) -> tuple[str, str]:
    """Message and hint for a key no model allows, by where it is written."""
    parent = tuple(p for p in path[:-1] if not isinstance(p, int))
    dotted = ".".join(str(p) for p in (*parent, path[-1]))
    allowed = ALLOWED.get(parent, "")
    where = ".".join(parent) or FILE
    hint = f"{where} may set {allowed}; remove '{path[-1]}'" if allowed else f"remove '{path[-1]}'"
    if dotted in WHY:
        return f"'{dotted}' is not allowed: {WHY[dotted]}", hint
    if dotted in MKDOCS_KEYS:
        return f"'{dotted}' cannot be set in {FILE}: {SUPPLIED}", hint
    return f"unknown setting '{dotted}'", hint


_KINDS = {"string_type": "text", "list_type": "a list", "model_type": "a mapping of settings (name: value)",
          "model_attributes_type": "a mapping of settings (name: value)", "dict_type": "a mapping of settings"}


def _yaml_path(loc: tuple, data: Any) -> tuple:
    """Pydantic's error location as a path in the YAML: drop the index a single palette mapping was given."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(part, int) and not isinstance(node, list):
            continue
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _diagnostics(exc: ValidationError, data: Any, loaded) -> list[Diagnostic]:
    diags = []
    for err in exc.errors():
        path = _yaml_path(err["loc"], data)
        name = field_path(path) or FILE
        kind = err["type"]
        if kind == "extra_forbidden":
            message, hint = _refusal(path)
            diags.append(Diagnostic.at(loaded.locs.at(path, key=True), "C601", message, hint=hint))
        elif re.fullmatch(r"C6\d\d", kind):
            ctx = err.get("ctx") or {}
            diags.append(Diagnostic.at(loaded.locs.at(path), kind, f"{name}: {ctx.get('message', err['msg'])}",
                                       hint=ctx.get("hint", "")))
        elif kind == "missing":
            diags.append(Diagnostic.at(loaded.locs.at(path[:-1]), "C602",
                                       f"{field_path(path[:-1])} needs '{path[-1]}'",
                                       hint=f"add '{path[-1]}: ...' to it"))
        else:
            want = _KINDS.get(kind, "a different kind of value")
            diags.append(Diagnostic.at(loaded.locs.at(path), "C602", f"{name} must be {want}",
                                       hint="see README.md, 'Site settings', for what each setting holds"))
    return diags


def read_site_config(root: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """The plan's mkdocs.yml, checked. A missing or empty file gives the defaults; any problem gives the
    defaults too, with its diagnostics (a build stops on them, like on any plan error)."""
    path = root / FILE
    if not path.exists():
        return SiteConfig(), []
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return SiteConfig(), [Diagnostic.at(Loc(FILE, 1, 1), "C602",
                                                f"{FILE} is {size:,} bytes; at most {MAX_BYTES:,} are allowed",
                                                hint="it holds only a few site settings; remove the rest")]
        loaded = load_yaml(read_text(path, FILE, base=root), FILE)
    except LoadError as exc:
        return SiteConfig(), ([] if exc.diag.code == "L002" else [exc.diag])
    data = {} if loaded.data is None else loaded.data
    if not isinstance(data, dict):
        return SiteConfig(), [*loaded.diags, Diagnostic.at(loaded.locs.at(()), "C602",
                                                           f"{FILE} must be a mapping of settings (name: value)",
                                                           hint=f"{FILE} may set {ALLOWED[()]}")]
    data = {k: v for k, v in data.items()}
    for key in ("theme", "extra"):
        if key in data and data[key] is None:
            del data[key]  # 'theme:' with nothing under it sets nothing
    try:
        config = SiteConfig.model_validate(data, context={"root": root, "theme_dir": root / THEME_DIR})
    except ValidationError as exc:
        return SiteConfig(), sorted(set(loaded.diags + _diagnostics(exc, data, loaded)))
    return (SiteConfig(), loaded.diags) if loaded.diags else (config, [])
