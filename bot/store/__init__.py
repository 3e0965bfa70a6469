"""The fact store: tables, engine and transactions, and the migrations that build it."""
