"""Wallet context: the one place money moves in Kosmos.

A double-entry, append-only ledger (`ledger.py`), and on it the wallet's use cases: top-ups
at payment providers (`topups.py`, `sepa.py`), purchases, transfers to friends and refunds
(`payments.py`), holds (`holds.py`), merchant payment requests (`requests.py`), strong
customer authentication (`sca.py`), idempotency keys, receipts and e-invoices, signed
merchant webhooks. See ARCHITECTURE.md for the map.
"""
