"""Run the dashboard from the command line (kept apart so subcommands never import Textual)."""

from __future__ import annotations

import sys
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
    if app.database.lost:
        # The app closed while the disk was still full: say what was not saved.
        for message in app.database.lost:
            print(f"upright: not saved: {message}", file=sys.stderr)
        return 2
    return app.return_code or 0
