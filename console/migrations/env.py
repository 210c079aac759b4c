"""Alembic environment: runs on the connection that console.db.Store.migrate hands over."""

from alembic import context
from sqlmodel import SQLModel

import console.models  # noqa: F401  (the tables, registered on SQLModel.metadata)

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("run migrations through `gridcall init`, which passes the connection")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
