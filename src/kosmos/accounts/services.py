"""Account use cases: sign up, log in/out, sessions, tokens, password reset, profile.

Each function owns its transaction: it commits on success, and raises before commit
on a broken rule, so a failed call changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, make_transient_to_detached

from kosmos import clock, fast_sql
from kosmos.accounts import bearer_cache, model, passwords
from kosmos.accounts.model import AccountRuleError
from kosmos.accounts.secrets import TOKEN_PREFIX, digest, new_token
from kosmos.accounts.tables import (
    AccessToken,
    LoginAttempt,
    PasswordResetToken,
    User,
    WebSession,
)
from kosmos.config import get_settings
from kosmos.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorized
from kosmos.mail import request_mail


def sign_up(
    session: Session,
    *,
    username: str,
    email: str,
    password: str,
    display_name: str,
    locale: str = "de",
) -> User:
    try:
        name = model.normalize_username(username)
        mail = model.normalize_email(email)
        model.check_password(password, username=name)
        shown = model.check_display_name(display_name)
        loc = model.check_locale(locale)
    except AccountRuleError as err:
        raise Invalid.from_rule(err) from err
    if session.scalar(select(User.id).where(User.username == name)):
        raise Conflict("This username is taken.", code="username_taken", field="username")
    if session.scalar(select(User.id).where(func.lower(User.email) == mail.lower())):
        raise Conflict("An account with this e-mail exists.", code="email_taken", field="email")
    user = User(
        username=name,
        email=mail,
        password_hash=passwords.hash_password(password),
        display_name=shown,
        locale=loc,
        is_active=True,
        created_at=clock.now(),
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:  # the same name or address was taken a moment ago
        session.rollback()
        raise Conflict(
            "This username or e-mail was taken a moment ago.", code="account_exists"
        ) from exc
    return user


def authenticate(session: Session, *, login: str, password: str, address: str) -> User:
    """Check credentials under the per-account and per-address rate limits.

    The attempt is counted (as a failure) before the password is checked, in a short
    transaction that holds the account's lock: concurrent guesses cannot slip past the
    limit, and the slow argon2 check runs with no lock held.
    """
    settings = get_settings()
    typed = login.strip().lower()[:254]
    now = clock.now()
    window = timedelta(seconds=settings.login_window_seconds)
    user = session.scalar(
        select(User).where(or_(User.username == typed, func.lower(User.email) == typed))
    )
    key = f"#{user.id}" if user is not None else typed  # one budget per account
    address = address[:64]
    _lock_login_key(session, key)
    failures = select(LoginAttempt.at).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at > now - window
    )
    verdict = model.login_verdict(
        list(session.scalars(failures.where(LoginAttempt.username == key))),
        list(session.scalars(failures.where(LoginAttempt.address == address))),
        now=now,
        window=window,
        max_per_account=settings.login_max_failures_per_account,
        max_per_address=settings.login_max_failures_per_address,
    )
    if not verdict.allowed:
        session.rollback()
        minutes = max(1, round(verdict.retry_after_seconds / 60))
        raise TooManyRequests(
            "Too many failed log-ins. Try again in %(minutes)s minute(s).",
            params={"minutes": minutes},
            code="login_rate_limited",
            extra={"retry_after": verdict.retry_after_seconds},
        )
    session.execute(  # what left the window no longer counts: keep the table small
        delete(LoginAttempt).where(
            or_(LoginAttempt.username == key, LoginAttempt.address == address),
            LoginAttempt.at <= now - window,
        )
    )
    attempt = LoginAttempt(username=key, address=address, succeeded=False, at=now)
    session.add(attempt)
    stored_hash = user.password_hash if user is not None and user.is_active else None
    session.commit()
    if stored_hash is None:
        passwords.dummy_verify(password)
        ok = False
    else:
        ok = passwords.verify_password(stored_hash, password)
    if not ok or user is None:
        raise Unauthorized("Username or password is wrong.", code="invalid_credentials")
    session.execute(
        update(LoginAttempt).where(LoginAttempt.id == attempt.id).values(succeeded=True)
    )
    session.commit()
    return user


def _lock_login_key(session: Session, key: str) -> None:
    """Serialize log-in attempts per account until commit (SQLite: BEGIN IMMEDIATE does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def start_web_session(session: Session, user: User) -> str:
    raw = new_token()
    now = clock.now()
    session.add(
        WebSession(
            token_hash=digest(raw),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(days=get_settings().session_days),
        )
    )
    session.commit()
    return raw


def end_web_session(session: Session, raw: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == digest(raw)))
    session.commit()


def user_for_session(session: Session, raw: str) -> User | None:
    row = session.scalar(select(WebSession).where(WebSession.token_hash == digest(raw)))
    if row is None or row.expires_at <= clock.now() or not row.user.is_active:
        return None
    return row.user


def create_access_token(
    session: Session, user: User, *, name: str, scopes: list[str], expires_in_days: int | None
) -> tuple[AccessToken, str]:
    try:
        scopes = model.check_scopes(scopes)
    except AccountRuleError as err:
        raise Invalid.from_rule(err) from err
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise Invalid("Give the token a name of 1 to 80 characters.", field="name")
    raw = new_token(TOKEN_PREFIX)
    now = clock.now()
    token = AccessToken(
        user_id=user.id,
        name=name,
        token_hash=digest(raw),
        prefix=raw[:10],
        scopes=scopes,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.commit()
    return token, raw


def list_access_tokens(
    session: Session, user: User, *, after: int | None = None, limit: int | None = None
) -> list[AccessToken]:
    query = select(AccessToken).where(AccessToken.user_id == user.id)
    if after is not None:
        query = query.where(AccessToken.id > after)
    return list(session.scalars(query.order_by(AccessToken.id).limit(limit)))


def get_access_token(session: Session, user: User, token_id: int) -> AccessToken:
    token = session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("No such token.")
    return token


def revoke_access_token(session: Session, user: User, token_id: int) -> AccessToken:
    token = get_access_token(session, user, token_id)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        session.commit()
    return token


def user_for_bearer(session: Session, raw: str) -> tuple[User, list[str]] | None:
    """The token's user (detached: the caller merges it into its session) and scopes.
    Token and user in one statement on the driver's cursor: this runs on every API
    request."""
    token_digest = digest(raw)
    since = bearer_cache.generation()
    found = _BEARER.first(session, {"hash": token_digest})
    now = clock.now()
    if found is None:
        return None
    if found.revoked_at is not None or not found.is_active:
        return None
    if found.expires_at is not None and found.expires_at <= now:
        return None
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
        _touch_token(session, found.token_id, now)  # coarse, to avoid a write per request
    user = User(**{key: getattr(found, key) for key in _USER_COLUMNS})
    make_transient_to_detached(user)  # as if loaded: merging it needs no query
    bearer_cache.remember(token_digest, user, found.scopes, found.expires_at, since=since)
    return user, list(found.scopes)


_TOKENS = AccessToken.__table__
_USERS = User.__table__
_USER_COLUMNS = [c.key for c in _USERS.columns]
_BEARER = fast_sql.Statement(
    select(
        _TOKENS.c.id.label("token_id"),
        _TOKENS.c.scopes,
        _TOKENS.c.expires_at,
        _TOKENS.c.last_used_at,
        _TOKENS.c.revoked_at,
        *_USERS.columns,
    )
    .join(_USERS, _USERS.c.id == _TOKENS.c.user_id)
    .where(_TOKENS.c.token_hash == bindparam("hash"))
)


def _touch_token(session: Session, token_id: int, now: datetime) -> None:
    """Record use; best effort, it never fails a request.

    A SQLite writing session already holds the write lock, so the update joins its
    transaction; otherwise it runs in a short transaction of its own (a reading request
    never commits, and must not try to upgrade its read transaction on SQLite).
    """
    stmt = update(AccessToken).where(AccessToken.id == token_id).values(last_used_at=now)
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and bind.get_execution_options().get("sqlite_begin"):
        session.execute(stmt)
        return
    session.commit()  # a reading session: ends its read and gives its connection back first
    try:
        with bind.connect() as conn, conn.begin():
            conn.execute(stmt)
    except OperationalError:
        pass


def request_password_reset(session: Session, *, email: str) -> None:
    """Always answers the same way, so it does not reveal which addresses exist."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active:
        return
    now = clock.now()
    recent = session.scalar(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at > now - model.RESET_TTL,
        )
    )
    if recent >= model.MAX_RESETS_PER_HOUR:
        return  # no more mails for now; the answer stays the same
    raw = new_token()
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=digest(raw),
            created_at=now,
            expires_at=now + model.RESET_TTL,
        )
    )
    link = f"{get_settings().base_url}/password-reset/{raw}"
    request_mail(
        session,
        to=user.email,
        subject="Kosmos: Passwort zurücksetzen / reset your password",
        body=(
            f"Hallo {user.display_name},\n\nüber diesen Link setzt du dein Passwort zurück "
            f"(gültig 1 Stunde):\n{link}\n\nTo reset your password, open the link above "
            "(valid for one hour). If you did not ask for this, ignore this mail.\n"
        ),
    )
    session.commit()


def reset_password(session: Session, *, token: str, new_password: str) -> User:
    row = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == digest(token))
    )
    now = clock.now()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise Invalid("This reset link is invalid or has expired.", code="reset_token_invalid")
    user = session.get(User, row.user_id)
    assert user is not None
    try:
        model.check_password(new_password, username=user.username)
    except AccountRuleError as err:
        raise Invalid.from_rule(err) from err
    user.password_hash = passwords.hash_password(new_password)
    session.execute(  # this link and every other outstanding one are spent
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.commit()
    return user


def update_profile(
    session: Session, user: User, *, display_name: str | None = None, locale: str | None = None
) -> User:
    try:
        if display_name is not None:
            user.display_name = model.check_display_name(display_name)
        if locale is not None:
            user.locale = model.check_locale(locale)
    except AccountRuleError as err:
        session.rollback()
        raise Invalid.from_rule(err) from err
    session.commit()
    return user


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))
