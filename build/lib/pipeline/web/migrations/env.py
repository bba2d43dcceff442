"""Alembic environment for the web app's database.

The app runs migrations itself on startup (pipeline.web.db.migrate), passing
its own connection; `alembic -x url=sqlite:///path upgrade head` also works.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pipeline.web.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:
    # batch mode: SQLite can only alter tables by copying them
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        run_migrations(conn)
    engine.dispose()
