"""The one base of every error a user can act on. The CLI catches GeneratorError (and nothing else of ours)
and prints it without a traceback; any other exception reaching the CLI is a bug in the generator."""

from __future__ import annotations

from collections.abc import Sequence

from .diagnostics import Diagnostic


class GeneratorError(Exception):
    """A problem with the user's content, files or command, said in their words: exit 1 unless a usage error."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)


class UsageError(GeneratorError):
    """The command line itself is wrong (a bad port, a bad option value): exit 2."""

    exit_code = 2
