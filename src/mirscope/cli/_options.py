"""Options shared by several commands (one vocabulary across the CLI).

``--db`` is the knowledge base everywhere: a SQLAlchemy URL (``postgresql://user@host/db``,
``sqlite:///file``) or a SQLite file path, else ``MIRSCOPE_DB`` from the environment, else the
default SQLite file; :func:`mirscope.kb.database.resolve_db_url` resolves it for every command.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["DB_HELP", "DbOption"]

DB_HELP = (
    "Knowledge base: postgresql://user@host/dbname, sqlite:///file or a SQLite file path "
    "(default: $MIRSCOPE_DB, else mirscope-kb.sqlite in the user data dir)."
)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="MIRSCOPE_DB", show_envvar=False, help=DB_HELP),
]
