"""The `upright` command (and `python -m tui`): the command line, started quickly."""

from __future__ import annotations

import sys

from tui import gc_pause


def main() -> int:
    # Before click, Textual or SQLAlchemy is imported: see tui/gc_pause.py.
    gc_pause.pause()
    try:
        from tui.cli import main as run_command_line

        return run_command_line()
    finally:
        gc_pause.resume()  # a no-op when the app already resumed it after loading
        gc_pause.before_exit()


if __name__ == "__main__":
    sys.exit(main())
