"""Curation files: the import/export format, and moving them in and out of the store."""
