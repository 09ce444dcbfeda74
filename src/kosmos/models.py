"""Imports every context's tables so Base.metadata is complete (Alembic, tests)."""

from kosmos import bus  # noqa: F401
from kosmos.accounts import tables as accounts_tables  # noqa: F401
from kosmos.assistant import tables as assistant_tables  # noqa: F401
from kosmos.assistant import tables_bookings as assistant_bookings_tables  # noqa: F401
from kosmos.assistant import tables_split as assistant_split_tables  # noqa: F401
from kosmos.catalog import tables as catalog_tables  # noqa: F401
from kosmos.chat import tables as chat_tables  # noqa: F401
from kosmos.db import Base
from kosmos.delivery import tables as delivery_tables  # noqa: F401
from kosmos.mail import mailbox  # noqa: F401
from kosmos.places import tables as places_tables  # noqa: F401
from kosmos.places.dining import tables as dining_tables  # noqa: F401
from kosmos.places.dining import tables_orders as dining_orders_tables  # noqa: F401
from kosmos.places.scango import tables as scango_tables  # noqa: F401
from kosmos.push import tables as push_tables  # noqa: F401
from kosmos.wallet import tables as wallet_tables  # noqa: F401

metadata = Base.metadata
