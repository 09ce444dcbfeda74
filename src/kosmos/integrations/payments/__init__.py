"""Payment-provider adapters implementing kosmos.wallet.ports.PaymentProvider."""
