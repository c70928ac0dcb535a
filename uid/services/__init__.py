"""Writes of the Unified Internal Database, one module per concern (e.g. ``dictionaries``)."""
