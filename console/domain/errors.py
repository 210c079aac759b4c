"""Typed errors that carry a message fit to show an operator, in the current UI language."""

from __future__ import annotations

from console.i18n import t


class GridcallError(Exception):
    """Base of every error an operator may see. `str(err)` is the operator's message."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


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
    """The store cannot be reached or opened."""

    key = "error.store"
