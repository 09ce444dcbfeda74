"""Which payment provider serves a name. Adapters are created once per process."""

from __future__ import annotations

from functools import cache

from kosmos.errors import Invalid
from kosmos.wallet.ports import PaymentProvider


@cache
def provider(name: str) -> PaymentProvider:
    if name == "sandbox":
        from kosmos.integrations.payments.sandbox import SandboxProvider

        return SandboxProvider()
    raise Invalid("Unknown payment provider.", field="provider")
