"""The mirscope exception hierarchy.

Every error raised on purpose by mirscope derives from :class:`MirscopeError`.
Messages name the bad value, the valid values (or the closest ones) and the fix.
The CLI turns these into a one-line message and exit code 2; the web API turns
:class:`InputError` into HTTP 4xx responses.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConvergenceError",
    "EmptyResultError",
    "FileFormatError",
    "InputError",
    "MirscopeError",
    "MissingDependencyError",
    "RemoteServiceError",
    "SchemaVersionError",
    "UnknownNameError",
]


class MirscopeError(Exception):
    """Base class of every error mirscope raises on purpose."""


class InputError(MirscopeError, ValueError):
    """A value given by the user is invalid (bad option, bad number, bad column...)."""


class UnknownNameError(InputError):
    """A name (miRNA, gene, ncRNA, cancer type, node...) is not known.

    Parameters
    ----------
    kind
        What was looked up, e.g. ``"miRNA"``, ``"gene symbol"``, ``"cancer type"``.
    name
        The name as the user gave it.
    suggestions
        The closest known names, best first.
    valid
        All valid names, when they are few enough to list (shown, up to 30, when there is
        no close suggestion).

    Examples
    --------
    >>> str(UnknownNameError("network node", "QQQ", [], valid=["A", "B"]))
    "Unknown network node 'QQQ'. No similar name is known; valid names: A, B."
    """

    def __init__(
        self, kind: str, name: str, suggestions: Sequence[str] = (), *,
        valid: Sequence[str] = (),
    ) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        self.valid = list(valid)
        if self.suggestions:
            hint = (f" Closest known names: {', '.join(self.suggestions)}. "
                    "Check the spelling or use one of these.")
        elif self.valid:
            shown = sorted(self.valid)[:30]
            more = f" (and {len(self.valid) - 30} more)" if len(self.valid) > 30 else ""
            hint = f" No similar name is known; valid names: {', '.join(shown)}{more}."
        else:
            hint = " No similar name is known. Check the spelling."
        super().__init__(f"Unknown {kind} {name!r}.{hint}")


class FileFormatError(InputError):
    """A file does not parse. Carries the file, the 1-based line (if any) and the reason."""

    def __init__(self, path: object, reason: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class SchemaVersionError(MirscopeError):
    """A database was written by a newer (or unknown) schema version."""


class EmptyResultError(MirscopeError):
    """A query or subnetwork matched nothing; the message suggests what to try instead."""


class ConvergenceError(MirscopeError):
    """A numerical procedure (ODE steady state, model fit) did not converge."""


class RemoteServiceError(MirscopeError):
    """A remote service (NCBI E-utilities, Ensembl REST) failed after retries or is offline."""


class MissingDependencyError(MirscopeError, ImportError):
    """An optional dependency is not installed; the message says which extra to install."""
