"""Database plumbing: engine, column types, migrations."""
