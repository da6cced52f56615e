"""View models: what the Today and Trends screens show, as plain data (no Textual)."""
