"""Errors a user is expected to see: one sentence saying what is wrong and what to do."""


class UserError(Exception):
    """An expected failure with a message fit for the user (no traceback shown)."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotADatabaseError(UserError):
    """The chosen file is not a cspdesk database."""


class NewerDatabaseError(UserError):
    """The database was written by a newer cspdesk than this one."""


class ReadOnlyDatabaseError(UserError):
    """The database file or its folder cannot be written."""


class ConflictError(UserError):
    """Someone else saved the record since it was read (row version mismatch)."""


class ValidationError(UserError):
    """Input that breaks a rule; the message names the field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ReferencedError(UserError):
    """A record cannot be deleted because other records point at it."""
