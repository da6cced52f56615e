"""upright's data: catalog, SQLite store and statistics. Never imports Textual."""
