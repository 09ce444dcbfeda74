"""Messenger: conversations, messages, reactions, receipts, real-time delivery."""
