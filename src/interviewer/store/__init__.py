"""SQLite storage: the only place with SQL. Repositories return core objects."""
