"""The one exception type for broken domain rules (plain Python, no framework)."""

from __future__ import annotations


class RuleError(ValueError):
    """A rule was broken; `field` names the input that broke it, `code` is stable."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.code = code
