"""Running a site engine on a staged project, in strict mode with its log captured: MkDocs with Material (the
default), ProperDocs (MkDocs 1.6's maintained fork, the same code path) or Zensical (Material's successor).

Any warning fails the build (MkDocs' `strict`), and the warnings are reported, not lost: a staged project
that makes the engine warn is a bug in the generator or a broken theme override. Errors from the engine or from a
theme template become a GeneratorError naming the template and line, so the CLI reports them plainly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .errors import GeneratorError
from .site_config import PACKAGED_THEME, THEME_DIR

ENGINES = ("mkdocs", "properdocs", "zensical")  # what `build --engine` accepts
DEFAULT_ENGINE = "mkdocs"
NAMES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}  # as messages name them
# The loggers whose warnings fail a build (strict) and are reported: ProperDocs' own, and "mkdocs" made its child.
_LOGGERS = {"mkdocs": ("mkdocs", "material"), "properdocs": ("properdocs", "material")}


class EngineError(GeneratorError):
    pass


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _template_failure(exc: jinja2.TemplateError, theme_dir: Path, engine: str = "MkDocs") -> EngineError:
    """Jinja's error while MkDocs renders a template, said as the file and line to fix (see _located_failure)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename, exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        name, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, 0)
    return _located_failure(Path(name or "?"), line or 0, exc.message or type(exc).__name__, theme_dir, engine)


def _located_failure(path: Path, line: int, what: str, theme_dir: Path, engine: str) -> EngineError:
    """A template's failure at `path`:`line`, said as the file to fix: one of the plan's own theme overrides
    (`theme_dir`), the packaged theme (a bug in the tool), or one of the engine's own Material templates (then a
    theme setting in mkdocs.yml is the likely cause)."""
    theme, packaged = theme_dir.resolve(), PACKAGED_THEME.resolve()
    if theme != packaged and path.is_relative_to(theme):
        return EngineError(f"the theme cannot be rendered: {THEME_DIR}/{path.relative_to(theme).as_posix()}:{line}: "
                           f"{what}; fix the template in {THEME_DIR}/ (the output was not changed)")
    if path.is_relative_to(packaged):
        return EngineError(f"the packaged theme cannot be rendered: {path.relative_to(packaged).as_posix()}:{line}: "
                           f"{what}; a template of the plan's {THEME_DIR}/ may have changed what it needs, else "
                           "this is a bug in the generator (the output was not changed)")
    return EngineError(f"{engine} cannot render its template {path.name}:{line}: {what}; check the theme settings "
                       "in mkdocs.yml (the output was not changed)")


def layer_packaged_theme(dirs: list[str]) -> None:
    """The packaged theme right after the staged custom_dir (the plan's docs_theme/ or the packaged theme itself),
    so a plan's override replaces one file and every other file still comes from the package. MkDocs 1.6 looks
    up both templates and static files in theme.dirs, first match wins."""
    packaged = str(PACKAGED_THEME.resolve())
    if packaged not in dirs:
        dirs.insert(1, packaged)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, answering "may a template read this attribute?" once per kind of object and attribute name:
    the answer depends on nothing else (its checks are isinstance tests and the name), and Material's templates ask
    it for every attribute of every page (about 6% of a build). An object whose __class__ is not its type gets the
    full check every time."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        kind = type(obj)
        if getattr(obj, "__class__", None) is not kind:
            return super().is_safe_attribute(obj, attr, value)
        known = self._safe.get((kind, attr))
        if known is None:
            known = self._safe[(kind, attr)] = super().is_safe_attribute(obj, attr, value)
        return known


# The templates compiled, by theme folders and locale, with the content of the plan's own theme folder they were
# compiled from: a process that builds several sites (a worker of the build, the preview) compiles Material's
# templates once, and again only when an editor changes a file of docs_theme/ (the tool's and Material's templates
# do not change while it runs).
_ENVIRONMENTS: dict[tuple, tuple[str, jinja2.Environment]] = {}


def _own_theme(dirs: list[str]) -> str:
    """A digest of the plan's theme folder (the first of the theme's folders, unless it is the packaged theme)."""
    own = Path(dirs[0])
    if own.resolve() == PACKAGED_THEME.resolve():
        return ""
    digest = hashlib.sha256()
    for folder, _, names in sorted(os.walk(own)):
        for name in sorted(names):
            path = Path(folder, name)
            digest.update(f"\0{path.relative_to(own).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@contextmanager
def _dirty_build() -> Iterator[None]:
    """What a dirty build (only the pages whose source is newer than their output) needs: the engine's warning that
    it is dirty is expected, not a failure of strict mode; and every file is written whole, to a temporary file
    renamed over the old one, so the preview never serves a page half written."""
    from mkdocs import utils

    build_log = logging.getLogger("mkdocs.commands.build")

    def expected(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")

    def write_file(content: bytes, output_path: str) -> None:
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        temporary = f"{output_path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as f:
            f.write(content)
        os.replace(temporary, output_path)

    def copy_file(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        with open(source_path, "rb") as f:
            write_file(f.read(), output_path)

    originals = utils.write_file, utils.copy_file
    utils.write_file, utils.copy_file = write_file, copy_file
    build_log.addFilter(expected)
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = originals
        build_log.removeFilter(expected)


@contextmanager
def _sandboxed_templates() -> Iterator[None]:
    """Theme templates render in Jinja's sandbox. The plan's own docs_theme/ overrides are files editors can change,
    and MkDocs renders them in a plain environment where `{{ self.__init__.__globals__ ... }}` reaches Python and
    runs commands during the build (in CI, with its tokens). In the sandbox a template can print HTML but cannot
    touch Python's internals. This mirrors mkdocs.theme.Theme.get_env (MkDocs 1.6, pinned) with the sandboxed class."""
    from mkdocs import localization
    from mkdocs.theme import Theme
    from mkdocs.utils import templates

    def get_env(theme: Theme) -> jinja2.Environment:
        key, own = (tuple(theme.dirs), str(theme.locale)), _own_theme(theme.dirs)
        known = _ENVIRONMENTS.get(key)
        if known is not None and known[0] == own:
            return known[1]
        env = _Sandbox(loader=jinja2.FileSystemLoader(theme.dirs), auto_reload=False)
        env.filters["url"] = templates.url_filter
        env.filters["script_tag"] = templates.script_tag_filter
        localization.install_translations(env, theme.locale, theme.dirs)
        _ENVIRONMENTS[key] = (own, env)
        return env

    original = Theme.get_env
    Theme.get_env = get_env  # type: ignore[method-assign]
    try:
        yield
    finally:
        Theme.get_env = original  # type: ignore[method-assign]


INCREMENTAL = ("mkdocs",)  # the engines build_project(dirty=True) is for: the one that builds in this process


def build_project(config_file: Path, theme_dir: Path, epoch: int, engine: str = DEFAULT_ENGINE,
                  dirty: bool = False) -> None:
    """Build the staged project at `config_file` into its site_dir with `engine` (one of ENGINES). `theme_dir` is
    its custom_dir (the plan's docs_theme/, or the packaged theme); the packaged theme is layered under it. `epoch`
    fixes file dates. MkDocs builds in this process; ProperDocs and Zensical in a child process (see _in_child).
    `dirty` (MkDocs only): build only the pages whose source is newer than their output, over the last build (the
    preview's; the navigation and settings must be unchanged, or the other pages would be stale)."""
    if engine not in ENGINES:
        raise EngineError(f"there is no engine '{engine}' (use {', '.join(ENGINES)})")
    if dirty and engine not in INCREMENTAL:
        raise EngineError(f"{NAMES[engine]} cannot rebuild only the pages that changed here")
    if engine == "mkdocs":
        _build_mkdocs(config_file, theme_dir, epoch, engine, dirty)
    else:
        _in_child(config_file, theme_dir, epoch, engine)


def _build_mkdocs(config_file: Path, theme_dir: Path, epoch: int, engine: str, dirty: bool = False) -> None:
    """MkDocs, or ProperDocs in a child whose `mkdocs.*` modules are ProperDocs' (its drop-in replacement): one code
    path, so both have strict mode, every warning captured, the sandboxed templates and the packaged theme layered."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    name = NAMES[engine]
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    capture = _Capture()
    if engine == "properdocs":
        # ProperDocs counts strict mode's warnings on its own logger; Material logs to "mkdocs.material.*", which
        # properdocs' CLI makes a child of it. Do the same, or Material's warnings would neither fail nor show.
        logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
        logging.getLogger("mkdocs").propagate = True
    loggers = [logging.getLogger(n) for n in _LOGGERS[engine]]
    for logger in loggers:
        logger.addHandler(capture)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
    try:
        with _sandboxed_templates(), (_dirty_build() if dirty else nullcontext()):
            config = load_config(config_file=str(config_file))
            layer_packaged_theme(config.theme.dirs)
            mkdocs_build(config, dirty=dirty)
    except jinja2.exceptions.SecurityError as exc:
        raise EngineError(f"the theme tried something templates may not do: {exc}; a template in docs_theme/ may "
                          "print text and HTML but not reach into Python (the output was not changed)") from None
    except jinja2.TemplateError as exc:
        raise _template_failure(exc, theme_dir, name) from None
    except RecursionError:  # Jinja finds a template by name, first match wins: main.html extending "main.html"
        raise EngineError(f"the theme cannot be rendered: a template in {THEME_DIR}/ extends or includes itself, "
                          f"directly or through another ({THEME_DIR}/main.html extending \"main.html\" extends "
                          "itself, not the packaged one); the output was not changed") from None
    except MkDocsException as exc:
        warnings = "; ".join(capture.messages[:5])
        raise EngineError(f"{name} stopped: {exc}" + (f" ({warnings})" if warnings else "")
                          + "; the output was not changed") from None
    finally:
        for logger in loggers:
            logger.removeHandler(capture)


# --- ProperDocs and Zensical: a child process each build ---------------------------------------------------------

_MARK = "\x00engine-error:"  # the child's one line on stdout that carries its EngineError's message


def _in_child(config_file: Path, theme_dir: Path, epoch: int, engine: str) -> None:
    """Run `engine` on the staged project in a child Python. ProperDocs replaces the `mkdocs` modules for the whole
    process it is imported in (properdocs.replacement, as its own CLI does), which must not happen to a process that
    also builds with MkDocs; Zensical's Rust core prints to the process's own stdout and stderr. The child imports
    this same generator package and reports an EngineError as one marked line; anything else it printed is the
    engine's own output, read for its warnings."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent),
                                          *filter(None, [os.environ.get("PYTHONPATH")])])}
    code = "from generator.engine import _child; _child()"
    run = subprocess.run([sys.executable, "-c", code, engine, str(config_file), str(theme_dir), str(epoch)],
                         cwd=config_file.parent, env=env, capture_output=True, text=True, errors="replace")
    failure = [line[len(_MARK):] for line in run.stdout.splitlines() if line.startswith(_MARK)]
    if failure:
        raise EngineError(json.loads(failure[-1]))
    if run.returncode != 0:  # the child itself failed (no Python, killed): its last words
        last = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        raise EngineError(f"{NAMES[engine]} stopped: {last}; the output was not changed")


def _child() -> None:
    """The child process's side of _in_child: argv is engine, mkdocs.yml, theme_dir, epoch."""
    engine, config_file, theme_dir, epoch = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    try:
        if engine == "properdocs":
            import properdocs.replacement  # noqa: F401  from here on `mkdocs.*` is ProperDocs, as in its CLI

            _build_mkdocs(config_file, theme_dir, epoch, engine)
        else:
            _build_zensical(config_file, theme_dir)
    except EngineError as exc:
        print(_MARK + json.dumps(exc.message), flush=True)
        sys.exit(1)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TEMPLATE_FAILURE = re.compile(r"(?P<what>.+) \(in (?P<name>[^():]+\.html):(?P<line>\d+)\)", re.S)
_WHERE = re.compile(r"\[ *([^\]]+?) *\]")  # Zensical's report: "╭─[ index.md:3:7 ]" after each "Warning: ..."


def zensical_warnings(report: str) -> list[str]:
    """Zensical's warnings as "docs/index.md:3:7: page does not exist", from what it printed on stderr."""
    found: list[str] = []
    for line in _ANSI.sub("", report).splitlines():
        if line.startswith("Warning:"):
            found.append(line.removeprefix("Warning:").strip())
        elif found and ":" not in found[-1].split(" ")[0] and (where := _WHERE.search(line)):
            found[-1] = f"docs/{where[1]}: {found[-1]}"
    return found


def _build_zensical(config_file: Path, theme_dir: Path) -> None:
    """Zensical 0.0.73, strict, on the staged project. It has Material's templates of its own (minijinja, not
    Python) and honours theme.custom_dir but layers nothing under it, so it gets one merged custom_dir beside the
    project: the packaged theme, then the plan's docs_theme/ over it file by file (as MkDocs' theme.dirs do). Its
    warnings (broken links and anchors) fail the build, as in MkDocs' strict mode; its own cache (.cache/ beside
    the config) stays in the staging folder."""
    import yaml
    import zensical

    folder = config_file.parent
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    theme = config.setdefault("theme", {})
    custom = folder / theme["custom_dir"] if theme.get("custom_dir") else PACKAGED_THEME  # as MkDocs reads it
    merged = folder / ".theme"
    shutil.copytree(PACKAGED_THEME, merged, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    if custom.resolve() != PACKAGED_THEME.resolve():
        shutil.copytree(custom, merged, dirs_exist_ok=True)
    theme["custom_dir"] = str(merged)
    own = folder / "zensical.yml"
    own.write_text(json.dumps(config, indent=1), encoding="utf-8")
    stderr = os.dup(2)
    with open(folder / ".zensical.log", "w+", encoding="utf-8", errors="replace") as log:
        os.dup2(log.fileno(), 2)  # Zensical's Rust core writes its report to the process's stderr
        try:
            zensical.build(str(own), {"strict": True, "clean": False})
            failure = None
        except Exception as exc:  # the Rust core raises RuntimeError (and Python's own errors from its callbacks)
            failure = str(exc).strip() or type(exc).__name__
        finally:
            os.dup2(stderr, 2)
            os.close(stderr)
        log.seek(0)
        warnings = zensical_warnings(log.read())
    if failure is None:
        return
    if template := _TEMPLATE_FAILURE.fullmatch(failure):  # minijinja's "<what> (in main.html:2)"
        name = template["name"]
        path = next((d / name for d in (custom, PACKAGED_THEME) if (d / name).is_file()), Path(name))
        raise _located_failure(path, int(template["line"]), template["what"], theme_dir, NAMES["zensical"])
    if "--strict" in failure and warnings:
        failure = f"Aborted with {len(warnings)} warning{'s' * (len(warnings) != 1)} in strict mode!"
    detail = f" ({'; '.join(warnings[:5])})" if warnings else ""
    raise EngineError(f"Zensical stopped: {failure}{detail}; the output was not changed")
