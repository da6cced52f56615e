"""Errors a user can cause; each carries a one-line message fit to print as is."""


class UserError(Exception):
    """Something the user can fix: printed as one line, exit code 2."""


class StoreError(UserError):
    """A problem with the database or with what was asked of it (unknown habit, bad score)."""


class CatalogError(UserError):
    """A broken exercises.toml: the message names file, line, entry and field."""


class ConfigError(UserError):
    """A broken config.toml: the message names the file and the key."""
