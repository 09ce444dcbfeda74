"""Appointment slot rules (pure): starts from opening hours in Europe/Berlin, DST days,
closed days, busy bookings on the 15-minute grid, lead time, the nearest free starts and the
cancel cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kosmos.assistant import slots

SALON = slots.parse_hours({
    "mon": [], "tue": [["09:00", "18:30"]], "wed": [["09:00", "18:30"]],
    "thu": [["09:00", "20:00"]], "fri": [["09:00", "18:30"]], "sat": [["08:00", "14:00"]],
    "sun": [],
})  # fmt: skip
ALWAYS = slots.parse_hours({d: [["00:00", "24:00"]] for d in slots.WEEKDAYS})
NOW = datetime.fromisoformat("2026-11-22T10:00:00+01:00")  # a Sunday
EARLY = datetime(2026, 1, 1, tzinfo=UTC)


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=slots.BERLIN).astimezone(UTC)


def hhmm(moments: list[datetime]) -> list[str]:
    return [m.astimezone(slots.BERLIN).strftime("%a %H:%M") for m in moments]


def test_starts_step_through_the_opening_hours_and_the_last_one_ends_by_closing():
    starts = slots.candidates(date(2026, 11, 24), SALON, duration=30, step=30)
    assert hhmm(starts[:2]) == ["Tue 09:00", "Tue 09:30"]
    assert hhmm(starts[-1:]) == ["Tue 18:00"]  # ends 18:30, the closing time
    assert len(starts) == 19
    long = slots.candidates(date(2026, 11, 24), SALON, duration=90, step=30)
    assert hhmm(long[-1:]) == ["Tue 17:00"]


def test_closed_days_have_no_slots():
    assert slots.candidates(date(2026, 11, 23), SALON, duration=30, step=30) == []  # Monday
    assert slots.candidates(date(2026, 11, 22), SALON, duration=30, step=30) == []  # Sunday
    assert slots.free_slots(date(2026, 11, 23), SALON, duration=30, step=30, busy=[],
                            not_before=EARLY) == []  # fmt: skip


def test_two_intervals_a_day_and_midnight_closing():
    hours = slots.parse_hours({"fri": [["11:30", "14:30"], ["17:30", "24:00"]]})
    starts = slots.candidates(date(2026, 11, 27), hours, duration=60, step=60)
    assert hhmm(starts) == ["Fri 11:30", "Fri 12:30", "Fri 13:30", "Fri 17:30", "Fri 18:30",
                            "Fri 19:30", "Fri 20:30", "Fri 21:30", "Fri 22:30"]  # fmt: skip


def test_wall_times_are_berlin_in_winter_and_summer():
    winter = slots.candidates(date(2026, 11, 24), SALON, duration=30, step=30)[0]
    summer = slots.candidates(date(2026, 6, 2), SALON, duration=30, step=30)[0]
    assert winter == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert summer == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)


def test_spring_forward_day_skips_the_missing_hour():
    day = date(2027, 3, 28)  # 02:00 -> 03:00
    starts = slots.candidates(day, ALWAYS, duration=30, step=30)
    local = hhmm(starts)
    assert "Sun 02:00" not in local and "Sun 02:30" not in local
    assert local[:4] == ["Sun 00:00", "Sun 00:30", "Sun 01:00", "Sun 01:30"]
    assert local[4] == "Sun 03:00"
    assert len(starts) == 46  # 23 real hours, the last start 23:30
    assert starts[4] - starts[3] == timedelta(minutes=30)  # 01:30 CET -> 03:00 CEST


def test_fall_back_day_has_25_hours_and_a_90_minute_service_fits_by_real_time():
    day = date(2026, 10, 25)  # 03:00 -> 02:00
    starts = slots.candidates(day, ALWAYS, duration=30, step=30)
    assert len(starts) == 48  # each wall time once (the first of the repeated hour)
    assert starts[-1] + timedelta(minutes=30) == berlin("2026-10-26T00:00")
    hours = slots.parse_hours({"sun": [["01:00", "04:00"]]})
    # 01:00 CEST + 90 min = 01:30 CET (wall), well before 04:00; real time is what counts
    long = slots.candidates(day, hours, duration=90, step=30)
    assert long[0] == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert long[-1] + timedelta(minutes=90) <= berlin("2026-10-25T04:00")


def test_busy_bookings_block_every_start_that_overlaps():
    day = date(2026, 11, 24)
    busy = [(berlin("2026-11-24T10:00"), berlin("2026-11-24T11:30"))]  # Färben 90 min
    free = hhmm(slots.free_slots(day, SALON, duration=30, step=30, busy=busy, not_before=EARLY))
    assert "Tue 09:30" in free and "Tue 11:30" in free
    assert not {"Tue 10:00", "Tue 10:30", "Tue 11:00"} & set(free)
    long = hhmm(slots.free_slots(day, SALON, duration=90, step=30, busy=busy, not_before=EARLY))
    assert "Tue 08:30" not in long and "Tue 09:00" not in long  # would run into 10:00
    assert long[0] == "Tue 11:30"


def test_a_beard_trim_fills_a_quarter_hour():
    day = date(2026, 11, 24)
    busy = [(berlin("2026-11-24T10:00"), berlin("2026-11-24T10:15"))]
    free = hhmm(slots.free_slots(day, SALON, duration=15, step=15, busy=busy, not_before=EARLY))
    assert "Tue 09:45" in free and "Tue 10:15" in free and "Tue 10:00" not in free


def test_lead_time_hides_starts_too_soon():
    now = berlin("2026-11-24T10:10")
    free = slots.free_slots(date(2026, 11, 24), SALON, duration=30, step=30, busy=[],
                            not_before=now + slots.MIN_LEAD)  # fmt: skip
    assert hhmm(free[:1]) == ["Tue 11:30"]


def test_nearest_free_gives_the_requested_start_first_when_it_is_free():
    got = slots.nearest_free(berlin("2026-11-24T10:00"), SALON, duration=30, step=30, busy=[],
                             not_before=NOW + slots.MIN_LEAD)  # fmt: skip
    assert hhmm(got) == ["Tue 10:00", "Tue 09:30", "Tue 10:30"]


def test_nearest_free_when_taken_gives_the_nearest_other_starts():
    busy = [(berlin("2026-11-24T10:00"), berlin("2026-11-24T10:30"))]
    got = slots.nearest_free(berlin("2026-11-24T10:00"), SALON, duration=30, step=30, busy=busy,
                             not_before=NOW + slots.MIN_LEAD)  # fmt: skip
    assert hhmm(got) == ["Tue 09:30", "Tue 10:30", "Tue 09:00"]


def test_nearest_free_on_a_closed_day_looks_at_the_days_around_it():
    got = slots.nearest_free(berlin("2026-11-23T10:00"), SALON, duration=30, step=30, busy=[],
                             not_before=NOW + slots.MIN_LEAD)  # fmt: skip
    assert hhmm(got) == ["Tue 09:00", "Tue 09:30", "Tue 10:00"]  # Sat is in the past
    assert slots.nearest_free(berlin("2026-11-23T10:00"), {}, duration=30, step=30, busy=[],
                              not_before=NOW) == []  # fmt: skip


def test_nearest_free_off_the_grid_rounds_to_the_neighbours():
    got = slots.nearest_free(berlin("2026-11-24T10:10"), SALON, duration=30, step=30, busy=[],
                             not_before=NOW, count=2)  # fmt: skip
    assert hhmm(got) == ["Tue 10:00", "Tue 10:30"]


def test_units_cover_every_quarter_hour_touched():
    start = berlin("2026-11-24T09:10")
    assert hhmm(slots.units(start, start + timedelta(minutes=30))) == [
        "Tue 09:00", "Tue 09:15", "Tue 09:30"]  # fmt: skip
    assert len(slots.units(berlin("2026-11-24T10:00"), berlin("2026-11-24T11:30"))) == 6


def test_cancel_cut_off_is_24_hours_before_the_start():
    start = berlin("2026-11-24T10:00")
    assert slots.can_cancel(start, start - timedelta(hours=24))
    assert not slots.can_cancel(start, start - timedelta(hours=23, minutes=59))


@pytest.mark.parametrize("raw", [
    {"mon": [["18:00", "09:00"]]}, {"mon": [["9:00", "12:00"]]}, {"xyz": []},
    {"mon": [["08:00"]]}, {"mon": [["24:30", "25:00"]]},
])  # fmt: skip
def test_bad_opening_hours_are_refused(raw):
    with pytest.raises(slots.SlotRuleError):
        slots.parse_hours(raw)
