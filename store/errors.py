"""Errors a user can cause; each carries a one-line message fit to print as is."""


class StoreError(Exception):
    """A problem with the database or with what was asked of it (unknown habit, bad score)."""


class CatalogError(Exception):
    """A broken exercises.toml: the message names file, line, entry and field."""
