"""question reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("cert_id", sa.String(length=64), nullable=False),
        sa.Column("bank_version", sa.String(length=64), nullable=False),
        sa.Column("bank_hash", sa.String(length=64), nullable=False),
        sa.Column("question_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_question_reports_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_reports")),
    )
    with op.batch_alter_table("question_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_reports_question_id"), ["question_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("question_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_reports_question_id"))
    op.drop_table("question_reports")
