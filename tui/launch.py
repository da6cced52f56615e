"""Run the dashboard from the command line (kept apart so subcommands never import Textual)."""

from __future__ import annotations

from typing import Any


def run_app(context: Any, sit_limit: int | None = None) -> int:
    """Open the app; returns its exit code (2 when the catalog, config or database is broken)."""
    from tui.app import UprightApp

    app = UprightApp(
        db_path=context.db_path,
        catalog_path=context.catalog_path,
        sit_limit_minutes=sit_limit,
    )
    app.run()
    return app.return_code or 0
