"""restaurants: tables, tabs, members, items, even splits; food orders move to dining

The food order tables stay as they are (same names, no data moved); only the foreign key
from `food_orders.proposal_id` to the assistant's proposals goes, because the restaurants
(a lower layer) now own the mapping. The unique index on `proposal_id` stays.

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-23 15:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dining_tables",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_dining_tables_merchant_id_merchants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["stores.id"],
            name=op.f("fk_dining_tables_store_id_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dining_tables")),
        sa.UniqueConstraint("token", name=op.f("uq_dining_tables_token")),
    )
    with op.batch_alter_table("dining_tables", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dining_tables_merchant_id"), ["merchant_id"], unique=False
        )

    op.create_table(
        "dining_tabs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("table_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "open_table_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("merchant_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_dining_tabs_merchant_id_merchants")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_dining_tabs_store_id_stores")
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["dining_tables.id"],
            name=op.f("fk_dining_tabs_table_id_dining_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dining_tabs")),
        sa.UniqueConstraint("open_table_id", name=op.f("uq_dining_tabs_open_table_id")),
    )
    with op.batch_alter_table("dining_tabs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dining_tabs_merchant_id"), ["merchant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dining_tabs_table_id"), ["table_id"], unique=False)

    op.create_table(
        "dining_splits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tab_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_dining_splits_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["tab_id"],
            ["dining_tabs.id"],
            name=op.f("fk_dining_splits_tab_id_dining_tabs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dining_splits")),
    )
    with op.batch_alter_table("dining_splits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dining_splits_tab_id"), ["tab_id"], unique=False)

    op.create_table(
        "dining_tab_members",
        sa.Column("tab_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tab_id"],
            ["dining_tabs.id"],
            name=op.f("fk_dining_tab_members_tab_id_dining_tabs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dining_tab_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tab_id", "user_id", name=op.f("pk_dining_tab_members")),
    )
    with op.batch_alter_table("dining_tab_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dining_tab_members_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "dining_shares",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("split_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("by_rate", sa.JSON(), nullable=False),
        sa.Column("paid_by", sa.Integer(), nullable=True),
        sa.Column("payment_reference", sa.String(length=40), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["paid_by"], ["users.id"], name=op.f("fk_dining_shares_paid_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["split_id"],
            ["dining_splits.id"],
            name=op.f("fk_dining_shares_split_id_dining_splits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dining_shares")),
    )
    with op.batch_alter_table("dining_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dining_shares_split_id"), ["split_id"], unique=False)

    op.create_table(
        "dining_tab_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tab_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("split_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("payment_reference", sa.String(length=40), nullable=True),
        sa.Column("paid_by", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_dining_tab_items_merchant_id_merchants"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_by"], ["users.id"], name=op.f("fk_dining_tab_items_paid_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_dining_tab_items_product_id_products"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["split_id"],
            ["dining_splits.id"],
            name=op.f("fk_dining_tab_items_split_id_dining_splits"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tab_id"],
            ["dining_tabs.id"],
            name=op.f("fk_dining_tab_items_tab_id_dining_tabs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_dining_tab_items_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dining_tab_items")),
    )
    with op.batch_alter_table("dining_tab_items", schema=None) as batch_op:
        batch_op.create_index("ix_dining_tab_items_tab_paid", ["tab_id", "paid_at"], unique=False)

    with op.batch_alter_table("food_orders", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_food_orders_proposal_id_assistant_proposals"), type_="foreignkey"
        )


def downgrade() -> None:
    with op.batch_alter_table("food_orders", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_food_orders_proposal_id_assistant_proposals"),
            "assistant_proposals",
            ["proposal_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("dining_tab_items", schema=None) as batch_op:
        batch_op.drop_index("ix_dining_tab_items_tab_paid")

    op.drop_table("dining_tab_items")
    with op.batch_alter_table("dining_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dining_shares_split_id"))

    op.drop_table("dining_shares")
    with op.batch_alter_table("dining_tab_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dining_tab_members_user_id"))

    op.drop_table("dining_tab_members")
    with op.batch_alter_table("dining_splits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dining_splits_tab_id"))

    op.drop_table("dining_splits")
    with op.batch_alter_table("dining_tabs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dining_tabs_table_id"))
        batch_op.drop_index(batch_op.f("ix_dining_tabs_merchant_id"))

    op.drop_table("dining_tabs")
    with op.batch_alter_table("dining_tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dining_tables_merchant_id"))

    op.drop_table("dining_tables")
