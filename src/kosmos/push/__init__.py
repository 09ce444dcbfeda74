"""Push context: Web Push notifications (RFC 8030/8291/8292) to a user's browsers.

Browsers subscribe through the API with the VAPID public key Kosmos generates on first
use (`vapid.py`); `send_to_user` encrypts a small JSON notification for each of the
user's subscriptions and POSTs it to the browser vendor's push service. Other contexts
import only the names below.
"""

from kosmos.push.service import Notification, send_to_user, subscribe, unsubscribe
from kosmos.push.vapid import VapidKeys, current_keys, ensure_keys

__all__ = [
    "Notification",
    "VapidKeys",
    "current_keys",
    "ensure_keys",
    "send_to_user",
    "subscribe",
    "unsubscribe",
]
