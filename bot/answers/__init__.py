"""What the lookup commands know: the in-memory catalog, the commands, and their answers."""
