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

from typing import Any

from sqlalchemy.orm import Session

from kosmos.wallet.ledger import balances_by_code, open_account
from kosmos.wallet.tables import LedgerAccount


def wallet_code(user_id: int, currency: str = "EUR") -> str:
    return f"wallet:user:{user_id}:{currency}"


def wallet_of(session: Session, user_id: int, currency: str = "EUR") -> LedgerAccount:
    return open_account(
        session, wallet_code(user_id, currency), kind="wallet", currency=currency,
        floor=0, owner_user_id=user_id,
    )  # fmt: skip


def wallet_and_merchant(
    session: Session, user_id: int, merchant_id: int, currency: str = "EUR"
) -> tuple[int, int, dict[int, Any]]:
    """The account ids of a purchase (payer's wallet, merchant) and, when both exist
    (the usual case), their balance rows for `post_transfer(known=...)`: one query."""
    codes = (wallet_code(user_id, currency), f"merchant:{merchant_id}:{currency}")
    found = balances_by_code(session, codes)
    if len(found) == len(codes):
        rows = [found[code] for code in codes]
        return rows[0].account_id, rows[1].account_id, {r.account_id: r for r in rows}
    wallet = wallet_of(session, user_id, currency).id
    shop = merchant_account(session, merchant_id, currency).id
    return wallet, shop, {}


def merchant_account(session: Session, merchant_id: int, currency: str = "EUR") -> LedgerAccount:
    return open_account(
        session, f"merchant:{merchant_id}:{currency}", kind="merchant", currency=currency,
        floor=None, owner_merchant_id=merchant_id,
    )  # fmt: skip


def clearing(session: Session, provider: str, currency: str = "EUR") -> LedgerAccount:
    return open_account(
        session, f"clearing:{provider}:{currency}", kind="clearing", currency=currency, floor=None
    )


def holds(session: Session, currency: str = "EUR") -> LedgerAccount:
    return open_account(session, f"holds:{currency}", kind="holds", currency=currency, floor=0)
