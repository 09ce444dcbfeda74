"""TARGET2 business-day calendar (the calendar SEPA Direct Debit due dates follow).

TARGET2 is closed on Saturdays, Sundays, New Year's Day, Good Friday, Easter Monday,
1 May (Labour Day), 25 December and 26 December. Nothing else (no national holidays).
"""

from __future__ import annotations

from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def target2_holidays(year: int) -> frozenset[date]:
    """The TARGET2 closing days of `year` that are not weekends by definition."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),  # Good Friday
            easter + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_target2_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in target2_holidays(day.year)


def next_target2_business_day(day: date) -> date:
    """The first TARGET2 business day strictly after `day`."""
    candidate = day + timedelta(days=1)
    while not is_target2_business_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def on_or_after_business_day(day: date) -> date:
    """`day` itself if it is a TARGET2 business day, else the next one."""
    return day if is_target2_business_day(day) else next_target2_business_day(day)
