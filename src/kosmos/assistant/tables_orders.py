"""Food orders moved to the restaurants (`kosmos.places.dining.tables_orders`, same
tables); these names stay importable for the assistant's code and tests."""

from kosmos.places.dining.tables_orders import ORDER_STATUSES, FoodOrder, FoodOrderLine

__all__ = ["ORDER_STATUSES", "FoodOrder", "FoodOrderLine"]
