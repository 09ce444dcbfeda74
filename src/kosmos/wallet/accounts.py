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

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kosmos import fast_sql
from kosmos.wallet.ledger import open_account
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
) -> tuple[int, int]:
    """The account ids of a purchase (payer's wallet, merchant), in one query when both
    exist (the usual case)."""
    codes = (wallet_code(user_id, currency), f"merchant:{merchant_id}:{currency}")
    rows = _IDS_BY_CODE.all(session, {"wallet": codes[0], "shop": codes[1]})
    found: dict[str, int] = {code: account_id for code, account_id in rows}
    wallet = found.get(codes[0]) or wallet_of(session, user_id, currency).id
    shop = found.get(codes[1]) or merchant_account(session, merchant_id, currency).id
    return wallet, shop


_ACCOUNTS = LedgerAccount.__table__
_IDS_BY_CODE = fast_sql.Statement(
    select(_ACCOUNTS.c.code, _ACCOUNTS.c.id).where(
        _ACCOUNTS.c.code.in_([bindparam("wallet"), bindparam("shop")])
    )
)


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
