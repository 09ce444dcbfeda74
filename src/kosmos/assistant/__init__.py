"""Assistant ("Kosmo"): reads group chat and turns it into events, lists, to-dos, claims,
food orders, ratings, appointments and a fair cost split."""

from kosmos.assistant.understanding import Ask, Understanding, understand

__all__ = ["Ask", "Understanding", "understand"]
