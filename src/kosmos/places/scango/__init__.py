"""Scan&Go: check in to a store, scan products, pay, leave with an exit pass."""
