"""The payment-provider port: what the wallet needs from a card or bank network.

Adapters live in `kosmos.integrations.payments` and satisfy this Protocol structurally.
`charge` is idempotent per `reference` (the Kosmos payment reference), so a retry after a
crash cannot charge twice at the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from kosmos.money import Money

ChargeStatus = Literal["succeeded", "declined", "requires_action"]


@dataclass(frozen=True)
class Charge:
    status: ChargeStatus
    provider_ref: str
    source_hint: str  # what the person recognises: "•••• 4242", "DE89 •••• 3000"
    failure_code: str | None = None


class PaymentProvider(Protocol):
    name: str

    def charge(self, *, reference: str, amount: Money, source: str) -> Charge:
        """Take `amount` from the payer's card or account (`source`)."""
        ...

    def authenticate(self, *, provider_ref: str, approve: bool) -> Charge:
        """Finish a charge that asked for strong customer authentication (3-D Secure)."""
        ...
