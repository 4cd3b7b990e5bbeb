"""Running the site engine (MkDocs with Material) on a staged project, in strict mode with its log captured.

Any warning fails the build (MkDocs' `strict`), and the warnings are reported, not lost: a staged project
that makes MkDocs warn is a bug in the generator or a broken theme override. Errors from MkDocs or from a
theme template become a GeneratorError naming the template and line, so the CLI reports them plainly.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .errors import GeneratorError
from .site_config import PACKAGED_THEME, THEME_DIR

_LOGGERS = ("mkdocs", "material")
ENGINES = ("mkdocs", "properdocs", "zensical")  # what `build --engine` accepts
DEFAULT_ENGINE = "mkdocs"


class EngineError(GeneratorError):
    pass


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _template_failure(exc: jinja2.TemplateError, theme_dir: Path) -> EngineError:
    """Jinja's error while MkDocs renders a template, said as the file and line to fix: one of the plan's own
    theme overrides (`theme_dir`), the packaged theme (a bug in the tool), or one of Material's (then a theme
    setting in mkdocs.yml is the likely cause)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name, line = exc.filename, exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        name, line = (frames[-1].filename, frames[-1].lineno) if frames else (None, 0)
    what = exc.message or type(exc).__name__
    path = Path(name or "?")
    theme, packaged = theme_dir.resolve(), PACKAGED_THEME.resolve()
    if theme != packaged and path.is_relative_to(theme):
        return EngineError(f"the theme cannot be rendered: {THEME_DIR}/{path.relative_to(theme).as_posix()}:{line}: "
                           f"{what}; fix the template in {THEME_DIR}/ (the output was not changed)")
    if path.is_relative_to(packaged):
        return EngineError(f"the packaged theme cannot be rendered: {path.relative_to(packaged).as_posix()}:{line}: "
                           f"{what}; a template of the plan's {THEME_DIR}/ may have changed what it needs, else "
                           "this is a bug in the generator (the output was not changed)")
    return EngineError(f"MkDocs cannot render its template {path.name}:{line}: {what}; check the theme settings "
                       "in mkdocs.yml (the output was not changed)")


def layer_packaged_theme(dirs: list[str]) -> None:
    """The packaged theme right after the staged custom_dir (the plan's docs_theme/ or the packaged theme itself),
    so a plan's override replaces one file and every other file still comes from the package. MkDocs 1.6 looks
    up both templates and static files in theme.dirs, first match wins."""
    packaged = str(PACKAGED_THEME.resolve())
    if packaged not in dirs:
        dirs.insert(1, packaged)


# The templates compiled, by theme folders and locale: a process that builds several sites (a worker of the
# build, the preview) compiles Material's templates once. Nothing changes them during a build; the preview calls
# forget_templates() when the plan's theme or the tool changes.
_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


def forget_templates() -> None:
    _ENVIRONMENTS.clear()


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
        key = (tuple(theme.dirs), str(theme.locale))
        env = _ENVIRONMENTS.get(key)
        if env is None:
            env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(theme.dirs), auto_reload=False)
            env.filters["url"] = templates.url_filter
            env.filters["script_tag"] = templates.script_tag_filter
            localization.install_translations(env, theme.locale, theme.dirs)
            _ENVIRONMENTS[key] = env
        return env

    original = Theme.get_env
    Theme.get_env = get_env  # type: ignore[method-assign]
    try:
        yield
    finally:
        Theme.get_env = original  # type: ignore[method-assign]


@contextmanager
def _dirty_build(engine_module: str) -> Iterator[None]:
    """What a dirty build (only the pages whose source is newer than their output) needs: the engine's warning that
    it is dirty is expected, not a failure of strict mode; and every file is written whole, to a temporary file
    renamed over the old one, so the preview never serves a page half written."""
    import importlib

    utils = importlib.import_module(f"{engine_module}.utils")
    build_log = logging.getLogger(f"{engine_module}.commands.build")

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


def build_project(config_file: Path, theme_dir: Path, epoch: int, engine: str = DEFAULT_ENGINE,
                  dirty: bool = False) -> None:
    """Build the staged project at `config_file` into its site_dir with `engine` (one of ENGINES). `theme_dir` is
    its custom_dir (the plan's docs_theme/, or the packaged theme); the packaged theme is layered under it. `epoch`
    fixes file dates. `dirty`: build only the pages whose source is newer than their output, over the last build
    (the preview's; the navigation and settings must be unchanged, or the other pages would be stale)."""
    if engine != "mkdocs":
        raise EngineError(f"the engine '{engine}' is not supported yet")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    capture = _Capture()
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for logger in loggers:
        logger.addHandler(capture)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
    try:
        with _sandboxed_templates(), (_dirty_build("mkdocs") if dirty else nullcontext()):
            config = load_config(config_file=str(config_file))
            layer_packaged_theme(config.theme.dirs)
            mkdocs_build(config, dirty=dirty)
    except jinja2.exceptions.SecurityError as exc:
        raise EngineError(f"the theme tried something templates may not do: {exc}; a template in docs_theme/ may "
                          "print text and HTML but not reach into Python (the output was not changed)") from None
    except jinja2.TemplateError as exc:
        raise _template_failure(exc, theme_dir) from None
    except RecursionError:  # Jinja finds a template by name, first match wins: main.html extending "main.html"
        raise EngineError(f"the theme cannot be rendered: a template in {THEME_DIR}/ extends or includes itself, "
                          f"directly or through another ({THEME_DIR}/main.html extending \"main.html\" extends "
                          "itself, not the packaged one); the output was not changed") from None
    except MkDocsException as exc:
        warnings = "; ".join(capture.messages[:5])
        raise EngineError(f"MkDocs stopped: {exc}" + (f" ({warnings})" if warnings else "")
                          + "; the output was not changed") from None
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
