"""Schema version 3: audit trail of knowledge-base edits made over HTTP.

``relation_edits`` keeps one row per added or updated relation version: who (the name of
the token used), when, the record after the edit and, for an update, the record before it.
``(relation_id, version)`` is unique, which makes concurrent updates of one version
conflict (HTTP 409) instead of overwriting each other.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: schema_info.schema_version once this revision is applied.
schema_version = 3


def upgrade() -> None:
    op.create_table(
        "relation_edits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("relation_id", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("who", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("previous", sa.JSON, nullable=True),
        sa.UniqueConstraint("relation_id", "version", name="uq_edit_relation_version"),
    )
    op.create_index("ix_relation_edits_relation_id", "relation_edits", ["relation_id"])
    _set_version(schema_version)


def downgrade() -> None:
    op.drop_index("ix_relation_edits_relation_id", table_name="relation_edits")
    op.drop_table("relation_edits")
    _set_version(schema_version - 1)


def _set_version(v: int) -> None:
    op.execute(
        sa.text("UPDATE schema_info SET value = :v WHERE key = 'schema_version'").bindparams(
            v=str(v)
        )
    )
