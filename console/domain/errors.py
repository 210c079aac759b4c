"""Typed errors that carry a key and their codes, never text.

An error is raised where it is decided, perhaps in another thread or process than the one
that shows it, so it holds what happened (a catalogue key and the values it names) and the
reader's language makes the text where it is shown (`console.i18n.say`). A coded value that
has a name of its own in each language (a role, a status, a form field) travels as a `Label`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A coded value to be shown by its name in the reader's language, e.g. ("role", "admin")."""

    kind: str
    value: str


class GridcallError(Exception):
    """Base of every error an operator may see: `key` names the message, `params` its values."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key, params)

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process (the demo's generator), it crosses back pickled: rebuilt
        # from its key and values, as it was made.
        return _rebuilt, (type(self), self.key, self.params)

    def __str__(self) -> str:
        # For logs and tracebacks only: operators read `say(error, lang)`.
        values = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.key}({values})"


def _rebuilt(kind: type[GridcallError], key: str, params: dict[str, object]) -> GridcallError:
    return kind(key, **params)


class IllegalTransition(GridcallError):
    key = "error.illegal"


class Forbidden(GridcallError):
    key = "error.forbidden"


class Conflict(GridcallError):
    key = "error.conflict"


class NotFound(GridcallError):
    key = "error.not_found"


class Invalid(GridcallError):
    key = "error.invalid"


class StoreError(GridcallError):
    """The store cannot be reached, opened or written: the driver's own error ends here."""

    key = "error.store"
