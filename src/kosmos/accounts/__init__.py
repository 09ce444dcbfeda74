"""Accounts context: users, sessions, access tokens, households and friends.

Other contexts import from here only: the User table and the auth dependencies.
"""

from kosmos.accounts.auth import api_user, optional_user, page_user
from kosmos.accounts.tables import User

__all__ = ["User", "api_user", "optional_user", "page_user"]
