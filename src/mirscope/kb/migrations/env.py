"""Alembic environment of the knowledge base.

mirscope runs the migrations on a connection it opened itself (``config.attributes
["connection"]``, inside one transaction that holds the write lock; see
:func:`mirscope.kb.migrate.upgrade_store`). The ``sqlalchemy.url`` option is honoured for
a developer's ``alembic`` command line.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine


def _run() -> None:
    from mirscope.kb.store import metadata

    config = context.config
    conn = config.attributes.get("connection")
    if conn is None:  # pragma: no cover - developer use only
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as own:
            _configure(own, metadata)
        return
    _configure(conn, metadata)


def _configure(conn: object, metadata: object) -> None:
    context.configure(
        connection=conn,  # type: ignore[arg-type]
        target_metadata=metadata,  # type: ignore[arg-type]
        transactional_ddl=True,  # SQLite too: mirscope's engine begins its transactions itself
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # only under Alembic (pytest's doctest collection imports this)
    _run()
