"""bank membership: a question can be served by several banks (shared by reference)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_questions",
        sa.Column("cert_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("domain", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cert_id"], ["banks.cert_id"], name=op.f("fk_bank_questions_cert_id_banks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_bank_questions_question_id_questions")
        ),
        sa.PrimaryKeyConstraint("cert_id", "question_id", name=op.f("pk_bank_questions")),
    )
    with op.batch_alter_table("bank_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_questions_question_id"), ["question_id"], unique=False)
    # Every question installed so far belongs to the bank that owns it.
    op.execute(
        "INSERT INTO bank_questions (cert_id, question_id, domain, position) "
        "SELECT cert_id, id, domain, position FROM questions"
    )


def downgrade() -> None:
    with op.batch_alter_table("bank_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_questions_question_id"))
    op.drop_table("bank_questions")
