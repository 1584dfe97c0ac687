"""mock exams

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("cert_id", sa.String(length=64), nullable=False),
        sa.Column("format_id", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("only_domain", sa.String(length=64), nullable=True),
        sa.Column("esl", sa.Boolean(), nullable=False),
        sa.Column("strict", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_mocks_profile_id_profiles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mocks")),
    )
    with op.batch_alter_table("mocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mocks_profile_id"), ["profile_id"], unique=False)
    op.create_table(
        "mock_items",
        sa.Column("mock_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("unscored", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mock_id"], ["mocks.id"], name=op.f("fk_mock_items_mock_id_mocks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("mock_id", "position", name=op.f("pk_mock_items")),
    )


def downgrade() -> None:
    op.drop_table("mock_items")
    with op.batch_alter_table("mocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mocks_profile_id"))
    op.drop_table("mocks")
