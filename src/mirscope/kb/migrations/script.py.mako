"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}

#: schema_info.schema_version once this revision is applied (previous revision's + 1);
#: also raise mirscope.kb.store.SCHEMA_VERSION to it.
schema_version = None


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
    op.execute(
        sa.text("UPDATE schema_info SET value = :v WHERE key = 'schema_version'").bindparams(
            v=str(schema_version)
        )
    )


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
    op.execute(
        sa.text("UPDATE schema_info SET value = :v WHERE key = 'schema_version'").bindparams(
            v=str(schema_version - 1)
        )
    )
