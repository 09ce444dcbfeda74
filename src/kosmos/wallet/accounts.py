"""The ledger accounts the wallet uses, opened on first use.

- `wallet:user:{id}:EUR`     a person's spendable money (floor 0)
- `merchant:{id}:EUR`        what Kosmos owes a merchant (floor None: refunds may take it
                             below zero; the merchant then owes Kosmos)
- `clearing:{provider}:EUR`  money on its way in from a provider (card, SEPA); mirrors
                             outside money, so it runs negative by what came in
- `holds:EUR`                money reserved by open holds (floor 0; equals their sum)
- `fees:EUR`                 platform fees
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from kosmos import fast_sql
from kosmos.catalog.tables import Merchant
from kosmos.wallet.ledger import balance_rows_query, open_account
from kosmos.wallet.tables import LedgerAccount


def wallet_code(user_id: int, currency: str = "EUR") -> str:
    return f"wallet:user:{user_id}:{currency}"


def wallet_of(session: Session, user_id: int, currency: str = "EUR") -> LedgerAccount:
    return open_account(
        session, wallet_code(user_id, currency), kind="wallet", currency=currency,
        floor=0, owner_user_id=user_id,
    )  # fmt: skip


@dataclass(frozen=True)
class PurchaseRows:
    """What `purchase_rows` found: the balance rows of the payer's wallet and the
    merchant's account by code (either may be missing: opened on first use), and the
    merchant's name if its account exists."""

    by_code: dict[str, Any]
    merchant_name: str | None


def purchase_rows(
    session: Session, user_id: int, merchant_id: int, currency: str = "EUR"
) -> PurchaseRows:
    """The balance rows of a purchase's two accounts and the merchant's name, in one
    query (a statement less than reading the name apart: a payment's round trips are
    most of its time). A merchant with an account exists: the account's owner key
    keeps it."""
    codes = {
        "wallet": wallet_code(user_id, currency),
        "shop": _merchant_code(merchant_id, currency),
    }
    rows = _PURCHASE_ROWS.all(session, codes)
    name = next((row.merchant_name for row in rows if row.code == codes["shop"]), None)
    return PurchaseRows({row.code: row for row in rows}, name)


def wallet_and_merchant(
    session: Session,
    user_id: int,
    merchant_id: int,
    currency: str = "EUR",
    found: PurchaseRows | None = None,
) -> tuple[int, int, dict[int, Any]]:
    """The account ids of a purchase (payer's wallet, merchant) and, when both exist
    (the usual case), their balance rows for `post_transfer(known=...)`: one query
    (`purchase_rows`), or none with what it already `found`."""
    found = found or purchase_rows(session, user_id, merchant_id, currency)
    codes = (wallet_code(user_id, currency), _merchant_code(merchant_id, currency))
    if all(code in found.by_code for code in codes):
        rows = [found.by_code[code] for code in codes]
        return rows[0].account_id, rows[1].account_id, {r.account_id: r for r in rows}
    wallet = wallet_of(session, user_id, currency).id
    shop = merchant_account(session, merchant_id, currency).id
    return wallet, shop, {}


def _merchant_code(merchant_id: int, currency: str) -> str:
    return f"merchant:{merchant_id}:{currency}"


_ACCOUNTS = LedgerAccount.__table__
_MERCHANTS = Merchant.__table__
_PURCHASE_ROWS = fast_sql.Statement(
    balance_rows_query()
    .add_columns(_MERCHANTS.c.name.label("merchant_name"))
    .outerjoin(_MERCHANTS, _MERCHANTS.c.id == _ACCOUNTS.c.owner_merchant_id)
    .where(_ACCOUNTS.c.code.in_([bindparam("wallet"), bindparam("shop")]))
)


def merchant_account(session: Session, merchant_id: int, currency: str = "EUR") -> LedgerAccount:
    return open_account(
        session, _merchant_code(merchant_id, currency), kind="merchant", currency=currency,
        floor=None, owner_merchant_id=merchant_id,
    )  # fmt: skip


def clearing(session: Session, provider: str, currency: str = "EUR") -> LedgerAccount:
    return open_account(
        session, f"clearing:{provider}:{currency}", kind="clearing", currency=currency, floor=None
    )


def holds(session: Session, currency: str = "EUR") -> LedgerAccount:
    return open_account(session, f"holds:{currency}", kind="holds", currency=currency, floor=0)
