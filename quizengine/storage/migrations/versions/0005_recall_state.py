"""recall state: each profile's FSRS memory state and answer summary per question, kept incrementally

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Starts empty: reports replay what the table does not hold yet, and learners' sessions fill it.
    op.create_table(
        "recall_state",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("stability", sa.Float(), nullable=False),
        sa.Column("difficulty", sa.Float(), nullable=False),
        sa.Column("fsrs_last", sa.BigInteger(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("first_correct", sa.Boolean(), nullable=False),
        sa.Column("first_at", sa.BigInteger(), nullable=False),
        sa.Column("last_at", sa.BigInteger(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("correct_weight", sa.Float(), nullable=False),
        sa.Column("ms_total", sa.BigInteger(), nullable=False),
        sa.Column("new_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_recall_state_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "question_id", name=op.f("pk_recall_state")),
    )


def downgrade() -> None:
    op.drop_table("recall_state")
