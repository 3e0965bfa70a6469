"""Alembic revisions: each one frozen, importing nothing from the application."""
