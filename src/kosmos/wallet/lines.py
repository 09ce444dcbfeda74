"""Purchase lines: parse what a merchant sends, store them for the receipt."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kosmos.errors import Invalid
from kosmos.wallet import model
from kosmos.wallet.model import LedgerRuleError, Line


def parse_lines(raw: Sequence[dict[str, Any]]) -> list[Line]:
    try:
        return [
            Line(
                name=str(item["name"]).strip(),
                quantity=Decimal(str(item.get("quantity", "1"))),
                unit=str(item.get("unit", "piece")),
                unit_price=int(item["unit_price"]),
                vat_rate=int(item.get("vat_rate", 19)),
                gtin=item.get("gtin"),
            )
            for item in raw
        ]
    except (KeyError, ValueError, TypeError, ArithmeticError) as err:
        raise Invalid("Each line needs a name and a unit price.", field="lines") from err


def _decimal_text(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def line_dicts(lines: Sequence[Line]) -> list[dict[str, Any]]:
    return [
        {
            "name": line.name,
            "quantity": str(line.quantity.normalize())
            if line.quantity % 1
            else str(int(line.quantity)),
            "unit": line.unit,
            "unit_price": line.unit_price,
            "vat_rate": line.vat_rate,
            "gtin": line.gtin,
            "total": line.total,
        }
        for line in lines
    ]


def purchase_lines(
    amount: int | None, lines: Sequence[dict[str, Any]] | None, description: str
) -> tuple[int, list[dict[str, Any]]]:
    """The amount and receipt lines of a purchase: given lines, or one line for a typed
    amount (VAT 19 %)."""
    try:
        if lines:
            parsed = parse_lines(lines)
            total = model.check_lines(parsed)
            if amount is not None and amount != total:
                raise Invalid("The amount differs from the sum of the lines.", field="amount")
            return total, line_dicts(parsed)
        if amount is None:
            raise Invalid("Give an amount or lines.", field="amount")
        model.check_amount(amount)
        one = Line(description.strip() or "Einkauf", Decimal(1), "piece", amount, 19)
        return amount, line_dicts([one])
    except LedgerRuleError as err:
        raise Invalid.from_rule(err) from err
