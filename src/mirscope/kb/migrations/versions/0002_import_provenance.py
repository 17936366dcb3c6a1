"""Schema version 2: provenance of every import (mirscope version, end time, lock wait).

``imports`` gains ``mirscope_version`` (the version that wrote the import),
``finished_at`` (ISO time the transaction was about to commit) and ``lock_wait_s`` (seconds
the import waited for another writer on a shared database). Rows written before the upgrade
keep NULL there: their provenance was not recorded.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: schema_info.schema_version once this revision is applied.
schema_version = 2


def upgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("mirscope_version", sa.String(32), nullable=True))
        batch.add_column(sa.Column("finished_at", sa.String(40), nullable=True))
        batch.add_column(sa.Column("lock_wait_s", sa.Float, nullable=True))
    _set_version(schema_version)


def downgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("lock_wait_s")
        batch.drop_column("finished_at")
        batch.drop_column("mirscope_version")
    _set_version(schema_version - 1)


def _set_version(v: int) -> None:
    op.execute(
        sa.text("UPDATE schema_info SET value = :v WHERE key = 'schema_version'").bindparams(
            v=str(v)
        )
    )
