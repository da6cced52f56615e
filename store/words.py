"""The words stored in the check-in status column, shared by the store and the statistics.

Kept in a module of their own (no imports) so that neither has to load the other.
"""

DONE = "done"
SKIPPED = "skipped"
