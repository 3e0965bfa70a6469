"""Finding entities by name: text folding and the fuzzy index."""
