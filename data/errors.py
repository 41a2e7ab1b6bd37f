"""Errors the repositories raise; their messages are fit to show a user."""


class NotFoundError(LookupError):
    """The row asked for does not exist."""


class ConflictError(ValueError):
    """The write would break a rule of the data (a duplicate name, the last admin...)."""
