"""assistant food orders

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "food_orders",
        sa.Column("id", ID, nullable=False),
        sa.Column("merchant_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", ID, nullable=True),
        sa.Column("proposal_id", ID, nullable=True),
        sa.Column("card_message_id", ID, nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("pickup_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("payment_reference", sa.String(length=40), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("picked_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["chat_conversations.id"],
            name=op.f("fk_food_orders_conversation_id_chat_conversations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_food_orders_merchant_id_merchants")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["assistant_proposals.id"],
            name=op.f("fk_food_orders_proposal_id_assistant_proposals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_food_orders_store_id_stores")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_food_orders_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_food_orders")),
        sa.UniqueConstraint("payment_reference", name=op.f("uq_food_orders_payment_reference")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_food_orders_proposal_id")),
    )
    with op.batch_alter_table("food_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_food_orders_merchant_id"), ["merchant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_food_orders_pickup_at"), ["pickup_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_food_orders_user_id"), ["user_id"], unique=False)

    op.create_table(
        "food_order_lines",
        sa.Column("id", ID, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["food_orders.id"],
            name=op.f("fk_food_order_lines_order_id_food_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_food_order_lines_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_food_order_lines")),
    )
    with op.batch_alter_table("food_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_food_order_lines_order_id"), ["order_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("food_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_food_order_lines_order_id"))
    op.drop_table("food_order_lines")
    with op.batch_alter_table("food_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_food_orders_user_id"))
        batch_op.drop_index(batch_op.f("ix_food_orders_pickup_at"))
        batch_op.drop_index(batch_op.f("ix_food_orders_merchant_id"))
    op.drop_table("food_orders")
