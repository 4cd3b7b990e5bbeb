"""Running the site engine (MkDocs with Material) on a staged project, in strict mode with its log captured.

Any warning fails the build (MkDocs' `strict`), and the warnings are reported, not lost: a staged project
that makes MkDocs warn is a bug in the generator or a broken theme override. Errors from MkDocs or from a
theme template become a GeneratorError naming the template and line, so the CLI reports them plainly.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import jinja2

from .errors import GeneratorError

_LOGGERS = ("mkdocs", "material")


class EngineError(GeneratorError):
    pass


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _template_error(exc: jinja2.TemplateError, theme_dir: Path) -> str:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if name:
        path = Path(name)
        try:
            name = f"{theme_dir.name}/{path.resolve().relative_to(theme_dir.resolve()).as_posix()}"
        except ValueError:
            name = path.name
    where = f"{name}:{line}: " if name and line else (f"{name}: " if name else "")
    return f"{where}{exc.message or exc}"


def build_project(config_file: Path, theme_dir: Path, epoch: int) -> None:
    """Build the staged project at `config_file` into its site_dir. `epoch` fixes file dates (sitemaps)."""
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
        config = load_config(config_file=str(config_file))
        mkdocs_build(config)
    except jinja2.TemplateError as exc:
        raise EngineError(f"the theme template {_template_error(exc, theme_dir)}",
                          ) from None
    except MkDocsException as exc:
        warnings = "; ".join(capture.messages[:5])
        raise EngineError(f"MkDocs stopped: {exc}" + (f" ({warnings})" if warnings else "")) from None
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
