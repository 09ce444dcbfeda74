"""Adapters for the world outside Kosmos (payment providers, ...). They import only the
shared kernel (kosmos.money, kosmos.rules), never a context, so contexts can use them."""
