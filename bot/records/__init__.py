"""Records in the file shape (sources, entities, facts) and the store read as such records."""
