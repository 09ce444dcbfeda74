"""Kosmo's ratings skill: "Die Metzgerei Huber war super, 5 Sterne" becomes a card with
Confirm; Confirm stores the sender's review of that merchant (one per user and merchant: a
later rating replaces the earlier one). Also the merchant lookup by a name as people say
it, which the appointments skill shares.

Finding the merchant never invents one: the words of the name that are not a kind of shop
("Metzgerei", "Friseur", "Pizzeria" ...) must each match a word of the merchant's name
(rapidfuzz ratio >= 80, so a typo passes and "Metzgerei Müller" does not become "Metzgerei
Huber"); a kind word alone picks the one merchant of that kind (or whose name has that
word). No match, or a tie, and the card says so and has no Confirm."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kosmos import clock
from kosmos.accounts.tables import User
from kosmos.assistant import cards, registry
from kosmos.assistant.registry import Skill
from kosmos.assistant.tables import Proposal
from kosmos.assistant.tables_bookings import Review
from kosmos.catalog.search_text import words
from kosmos.catalog.tables import Merchant
from kosmos.errors import Invalid, NotFound

MIN_SCORE = 80
MAX_COMMENT = 1000

KIND_WORDS = {
    "metzger": "butcher", "metzgerei": "butcher", "fleischer": "butcher",
    "fleischerei": "butcher", "butcher": "butcher", "supermarkt": "supermarket",
    "supermarket": "supermarket", "markt": "supermarket", "backer": "bakery",
    "backerei": "bakery", "baker": "bakery", "bakery": "bakery", "drogerie": "drugstore",
    "drugstore": "drugstore", "friseur": "hair_salon", "friseurin": "hair_salon",
    "frisor": "hair_salon", "friseursalon": "hair_salon", "haarsalon": "hair_salon",
    "salon": "hair_salon", "hairdresser": "hair_salon", "hairdressers": "hair_salon",
    "barber": "hair_salon", "hair": "hair_salon", "pizzeria": "restaurant",
    "pizza": "restaurant", "restaurant": "restaurant", "italiener": "restaurant",
    "burger": "restaurant", "imbiss": "restaurant",
}  # fmt: skip
"""Folded words that name a kind of shop rather than one shop."""
STOP_WORDS = {"der", "die", "das", "dem", "den", "des", "beim", "bei", "im", "in", "vom", "von",
              "zum", "zur", "the", "at", "a", "an", "s", "mein", "meinem", "my"}  # fmt: skip

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Bewertung für {merchant}", "title_unknown": "Bewertung",
        "stars": "Sterne", "comment": "Kommentar", "before": "Bisher",
        "replaces": "Ersetzt deine Bewertung ({stars}).",
        "unknown": "Ich kenne kein Geschäft „{said}“ – nichts gespeichert.",
        "bad_stars": "Bewertungen gehen von 1 bis 5 Sternen.",
        "saved": "✓ Bewertung gespeichert · Ø {average} aus {count}",
        "updated": "✓ Bewertung geändert · Ø {average} aus {count}",
        "reviews": "Alle Bewertungen",
    },
    "en": {
        "title": "Rating for {merchant}", "title_unknown": "Rating", "stars": "Stars",
        "comment": "Comment", "before": "Before", "replaces": "Replaces your rating ({stars}).",
        "unknown": "I don't know a shop called “{said}” – nothing saved.",
        "bad_stars": "Ratings go from 1 to 5 stars.",
        "saved": "✓ Rating saved · avg {average} of {count}",
        "updated": "✓ Rating changed · avg {average} of {count}",
        "reviews": "All reviews",
    },
}  # fmt: skip


def t(locale: str, key: str, **values: Any) -> str:
    return TEXTS["en" if locale == "en" else "de"][key].format(**values)


# --- which merchant was meant ---------------------------------------------------------------


def match_merchant(said: str | None, merchants: list[tuple[int, str, str]]) -> int | None:
    """The id of the one merchant (id, name, kind) that `said` names, else None."""
    tokens = [w for w in words(said or "") if w not in STOP_WORDS and len(w) > 1]
    if not tokens:
        return None
    generic = [w for w in tokens if w in KIND_WORDS]
    kinds = {KIND_WORDS[w] for w in generic}
    specific = [w for w in tokens if w not in KIND_WORDS]
    scored: list[tuple[float, int]] = []
    for merchant_id, name, kind in merchants:
        name_words = words(name)
        named_kind = bool(set(generic) & set(name_words))
        if kinds and kind not in kinds and not named_kind:
            continue
        if specific:
            scores = [max((fuzz.ratio(w, n) for n in name_words), default=0) for w in specific]
            if min(scores) < MIN_SCORE:
                continue
            scored.append((sum(scores) / len(scores) + (5 if named_kind else 0), merchant_id))
        else:
            scored.append((100 if named_kind else 90, merchant_id))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # two merchants fit equally well: do not guess
    return scored[0][1]


def find_merchant(session: Session, said: str | None) -> Merchant | None:
    rows = session.execute(select(Merchant.id, Merchant.name, Merchant.kind)).all()
    merchant_id = match_merchant(said, [(i, n, k) for i, n, k in rows])
    return session.get(Merchant, merchant_id) if merchant_id is not None else None


# --- reviews --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    average: Decimal | None
    count: int

    def average_text(self, locale: str) -> str:
        if self.average is None:
            return "–"
        text = f"{self.average:.1f}"
        return text if locale == "en" else text.replace(".", ",")


def check_stars(stars: object) -> int:
    if type(stars) is not int or not 1 <= stars <= 5:
        raise Invalid("Give 1 to 5 stars.", field="stars")
    return stars


def clean_comment(comment: str | None) -> str | None:
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise Invalid("The comment is too long (at most 1000 characters).", field="comment")
    return text or None


def star_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars) + f" {stars}/5"


def summary(session: Session, merchant_id: int) -> Summary:
    total, count = session.execute(
        select(func.coalesce(func.sum(Review.stars), 0), func.count(Review.id)).where(
            Review.merchant_id == merchant_id
        )
    ).one()
    if not count:
        return Summary(None, 0)
    average = (Decimal(int(total)) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Summary(average, int(count))


def review_of(session: Session, user_id: int, merchant_id: int) -> Review | None:
    return session.scalar(
        select(Review).where(Review.merchant_id == merchant_id, Review.user_id == user_id)
    )


def save_review(session: Session, user: User, merchant_id: int, stars: object,
                comment: str | None) -> tuple[Review, bool]:  # fmt: skip
    """Create or replace the user's review of the merchant; (review, created). The caller
    commits."""
    stars = check_stars(stars)
    comment = clean_comment(comment)
    if session.get(Merchant, merchant_id) is None:
        raise NotFound("No such merchant.")
    now = clock.now()
    review = review_of(session, user.id, merchant_id)
    if review is None:
        try:
            with session.begin_nested():
                review = Review(merchant_id=merchant_id, user_id=user.id, stars=stars,
                                comment=comment, created_at=now, updated_at=now)  # fmt: skip
                session.add(review)
            return review, True
        except IntegrityError:  # a second tap raced us: update the row that won
            review = review_of(session, user.id, merchant_id)
            if review is None:  # pragma: no cover - the unique row must exist now
                raise
    review.stars, review.comment, review.updated_at = stars, comment, now
    return review, False


def reviews_out(session: Session, merchant: Merchant, viewer_id: int | None = None,
                limit: int = 100) -> dict[str, Any]:  # fmt: skip
    rows = session.execute(
        select(Review, User.display_name)
        .join(User, User.id == Review.user_id)
        .where(Review.merchant_id == merchant.id)
        .order_by(Review.updated_at.desc(), Review.id.desc())
        .limit(limit)
    ).all()
    total = summary(session, merchant.id)
    return {
        "merchant": {"id": merchant.id, "slug": merchant.slug, "name": merchant.name},
        "average": float(total.average) if total.average is not None else None,
        "count": total.count,
        "items": [
            {"id": r.id, "user": name, "stars": r.stars, "comment": r.comment,
             "created_at": r.created_at.isoformat(), "updated_at": r.updated_at.isoformat(),
             "mine": r.user_id == viewer_id}
            for r, name in rows
        ],
    }  # fmt: skip


# --- the skill ------------------------------------------------------------------------------


def card(session: Session, proposal: Proposal, author: User, locale: str) -> dict[str, Any]:
    payload = proposal.payload
    merchant = find_merchant(session, payload.get("target"))
    ref = {"handler": cards.HANDLER, "ref": {"proposal": proposal.id}}
    if merchant is None or type(payload.get("stars")) is not int or not 1 <= payload["stars"] <= 5:
        proposal.status = "dismissed"  # nothing to confirm
        note = (t(locale, "unknown", said=payload.get("target") or "?") if merchant is None
                else t(locale, "bad_stars"))  # fmt: skip
        return {"type": "rating_proposal", "title": t(locale, "title_unknown"), "fields": [],
                "note": note, "buttons": [], **ref}  # fmt: skip
    proposal.payload = {**payload, "merchant_id": merchant.id}
    fields = [{"label": t(locale, "stars"), "value": star_text(payload["stars"])}]
    if payload.get("comment"):
        fields.append({"label": t(locale, "comment"), "value": str(payload["comment"])})
    before = review_of(session, author.id, merchant.id)
    note = t(locale, "replaces", stars=star_text(before.stars)) if before else ""
    return {
        "type": "rating_proposal", "title": t(locale, "title", merchant=merchant.name),
        "fields": fields, "note": note, "buttons": cards.proposal_buttons(proposal.id, locale),
        "links": [{"label": t(locale, "reviews"), "url": f"/merchants/{merchant.slug}/reviews"}],
        **ref,
    }  # fmt: skip


def confirm(session: Session, user: User, proposal: Proposal) -> str:
    payload = proposal.payload
    merchant_id = payload.get("merchant_id")
    if not isinstance(merchant_id, int):
        raise Invalid("This rating names no known merchant.", field="action")
    comment = payload.get("comment")
    _review, created = save_review(session, user, merchant_id, payload.get("stars"),
                                   comment if isinstance(comment, str) else None)  # fmt: skip
    session.flush()
    total = summary(session, merchant_id)
    return t(proposal.locale, "saved" if created else "updated",
             average=total.average_text(proposal.locale), count=total.count)  # fmt: skip


registry.register(Skill(intent="rate", card=card, confirm=confirm, author_only=True))
