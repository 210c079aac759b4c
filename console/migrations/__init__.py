"""The Alembic migrations: the schema's history, shipped inside the package."""
