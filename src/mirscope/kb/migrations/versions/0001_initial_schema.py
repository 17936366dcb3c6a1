"""Schema version 1: the knowledge base as mirscope wrote it before migrations existed.

Databases built before Alembic (no ``alembic_version`` table, ``schema_version`` 1) have
exactly these tables; ``mirscope kb upgrade`` marks them as being at this revision.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: schema_info.schema_version once this revision is applied.
schema_version = 1


def upgrade() -> None:
    op.create_table(
        "schema_info",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("family", sa.String(64), nullable=True),
        sa.UniqueConstraint("name", "type", name="uq_entity_name_type"),
    )
    op.create_index("ix_entities_name", "entities", ["name"])
    op.create_index("ix_entities_type", "entities", ["type"])
    op.create_index("ix_entities_family", "entities", ["family"])
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("n_records", sa.Integer, nullable=False),
        sa.Column("n_written", sa.Integer, nullable=False),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("object_id", sa.Integer, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("relation", sa.String(32), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("sign", sa.Integer, nullable=False),
        sa.Column("cancer", sa.String(128), nullable=True),
        sa.Column("context", sa.String(16), nullable=False),
        sa.Column("cell_lines", sa.JSON, nullable=False),
        sa.Column("tissue", sa.Text, nullable=True),
        sa.Column("sample_size", sa.Integer, nullable=True),
        sa.Column("numbers", sa.JSON, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=True),
        sa.Column("evidence_end", sa.Integer, nullable=True),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(256), nullable=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
    )
    for name, col in (
        ("ix_rel_subject", "subject_id"),
        ("ix_rel_object", "object_id"),
        ("ix_rel_cancer", "cancer"),
        ("ix_rel_relation", "relation"),
        ("ix_rel_source", "source"),
    ):
        op.create_index(name, "relations", [col])
    op.create_table(
        "relation_refs",
        sa.Column(
            "relation_id",
            sa.String(128),
            sa.ForeignKey("relations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("ref", sa.Integer, nullable=False),
    )
    op.create_index("ix_relation_refs_ref", "relation_refs", ["ref"])
    op.create_table(
        "relation_assays",
        sa.Column(
            "relation_id",
            sa.String(128),
            sa.ForeignKey("relations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("assay", sa.String(128), nullable=False),
    )
    op.create_index("ix_relation_assays_assay", "relation_assays", ["assay"])
    op.execute(
        sa.text("INSERT INTO schema_info (key, value) VALUES ('schema_version', :v)").bindparams(
            v=str(schema_version)
        )
    )


def downgrade() -> None:
    for table in ("relation_assays", "relation_refs", "relations", "imports", "entities"):
        op.drop_table(table)
    op.drop_table("schema_info")
