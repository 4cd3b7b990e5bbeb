"""The one base of every error a user can act on. The CLI catches GeneratorError (and nothing else of ours)
and prints it without a traceback; any other exception reaching the CLI is a bug in the generator."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import Diagnostic


class GeneratorError(Exception):
    """A problem with the user's content, files or command, said in their words: exit 1 unless a usage error."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)

    def __reduce__(self):
        # Crosses the build's process pool whole, whatever the subclass's __init__ takes.
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[GeneratorError], args: tuple, state: dict) -> GeneratorError:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class UsageError(GeneratorError):
    """The command line itself is wrong (a bad port, a bad option value): exit 2."""

    exit_code = 2


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Writes the user asked for (schema, init, new, staging) fail in their words: disk full, read-only folder."""
    try:
        yield
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else path
        raise GeneratorError(f"cannot write {where}: {exc.strerror or exc}") from None
