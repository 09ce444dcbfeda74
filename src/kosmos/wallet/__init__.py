"""Wallet context: the double-entry ledger where all money in Kosmos moves.

Work in progress (issue 3): the ledger core (accounts, balanced append-only transfers,
cached balances, `kosmos ledger verify`). Wallet use cases, holds, providers, idempotency
keys, receipts and pages follow.
"""
