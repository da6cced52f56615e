"""Subcommands of upright, one module per group; tui.cli registers them."""
