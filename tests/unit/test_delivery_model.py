"""Delivery rules without a database: parcels per temperature zone, compartments that
fit, the nearest station, slots and their cut-off, pickup codes, drones, the gazetteer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kosmos.delivery import geo, model
from kosmos.delivery.model import Compartment, Item, Location, Parcel, SlotState, StationOffer

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
HOME = Location(52.5265, 13.3960)  # Stadtpark


def item(pid: int, zone: str, ml: int = 500, quantity: int = 1, grams: int = 0) -> Item:
    return Item(pid, quantity, zone, ml, grams or ml)


def rule_code(call: Callable[..., object], *args: Any, **kwargs: Any) -> str:
    with pytest.raises(model.DeliveryRuleError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# --- goods and parcels -------------------------------------------------------------------


def test_zones_come_from_the_catalog_category() -> None:
    assert model.zone_of("Feinkost & Salate") == "chilled"
    assert model.zone_of("Tiefkühlkost") == "frozen"
    assert model.zone_of("Wasser") == "ambient"


def test_ambient_goods_ride_along_in_the_chilled_parcel() -> None:
    # given a chilled salad and two bottles of water
    items = [item(1, "chilled", 500), item(2, "ambient", 1500, quantity=2)]

    # when
    result = model.parcels(items)

    # then one chilled parcel holds all of it
    assert result == [Parcel("chilled", "S", (1, 2), 3500)]


def test_frozen_goods_get_a_parcel_of_their_own() -> None:
    items = [item(1, "chilled"), item(2, "ambient"), item(3, "frozen", 900)]

    result = model.parcels(items)

    assert [(p.zone, p.product_ids) for p in result] == [("chilled", (1, 2)), ("frozen", (3,))]


def test_ambient_alone_stays_ambient() -> None:
    assert [p.zone for p in model.parcels([item(1, "ambient"), item(2, "frozen")])] == [
        "ambient",
        "frozen",
    ]


def test_the_size_is_the_smallest_that_holds_the_volume_plus_packing() -> None:
    small = 380 * 90 * 640 // 1000  # 21,888 ml inside an S compartment
    assert model.size_for(int(small / model.PACKING)) == "S"
    assert model.size_for(int(small / model.PACKING) + 1) == "M"
    assert model.size_for(60_000) == "L"


def test_an_order_too_big_for_any_compartment_is_refused() -> None:
    assert rule_code(model.parcels, [item(1, "ambient", 12_000, quantity=8)]) == (
        "too_big_for_locker"
    )


def test_an_empty_order_is_refused() -> None:
    assert rule_code(model.parcels, []) == "empty_order"


def test_quantities_are_between_1_and_99() -> None:
    model.check_quantity(1)
    model.check_quantity(99)
    assert rule_code(model.check_quantity, 0) == "bad_quantity"
    assert rule_code(model.check_quantity, 100) == "bad_quantity"


def test_an_item_without_volume_uses_its_weight_else_a_litre() -> None:
    assert model.item_volume_ml(330, 400) == 330
    assert model.item_volume_ml(None, 250) == 250
    assert model.item_volume_ml(None, None) == 1000


# --- compartments --------------------------------------------------------------------------


def test_a_chilled_parcel_never_goes_into_an_ambient_compartment() -> None:
    chilled = Parcel("chilled", "S", (1,), 500)

    assert not model.fits(chilled, Compartment(1, 1, "L", "ambient"))
    assert not model.fits(chilled, Compartment(2, 2, "L", "frozen"))
    assert model.fits(chilled, Compartment(3, 3, "S", "chilled"))
    assert model.assign([chilled], [Compartment(1, 1, "L", "ambient")]) is None


def test_a_parcel_takes_a_compartment_of_its_size_or_bigger() -> None:
    medium = Parcel("ambient", "M", (1,), 30_000)

    assert not model.fits(medium, Compartment(1, 1, "S", "ambient"))
    assert model.fits(medium, Compartment(2, 2, "M", "ambient"))
    assert model.fits(medium, Compartment(3, 3, "L", "ambient"))


def test_assign_takes_the_smallest_fit_and_lets_big_parcels_choose_first() -> None:
    # given an S and an L parcel, and free S, L and L chilled compartments
    small, large = Parcel("chilled", "S", (1,), 100), Parcel("chilled", "L", (2,), 60_000)
    free = [Compartment(10, 12, "L", "chilled"), Compartment(11, 7, "S", "chilled"),
            Compartment(12, 10, "L", "chilled")]  # fmt: skip

    # when
    chosen = model.assign([small, large], free)

    # then the small parcel takes the S, the large one the lowest-numbered L
    assert chosen is not None
    assert [c.number for c in chosen] == [7, 10]


def test_assign_never_gives_one_compartment_twice() -> None:
    parcels = [Parcel("chilled", "S", (1,), 100), Parcel("chilled", "S", (2,), 100)]

    assert model.assign(parcels, [Compartment(1, 7, "S", "chilled")]) is None


# --- stations ------------------------------------------------------------------------------

NEEDED = [Parcel("chilled", "S", (1,), 3500)]
FREE = (Compartment(7, 7, "S", "chilled"),)


def offer(station_id: int, km_north: float, *, online: bool = True,
          free: tuple[Compartment, ...] = FREE) -> StationOffer:  # fmt: skip
    return StationOffer(station_id, Location(HOME.lat + km_north / 111.2, HOME.lon), online, free)


def test_the_nearest_station_that_fits_wins() -> None:
    choice = model.nearest_station(HOME, [offer(1, 2.0), offer(2, 0.5), offer(3, 1.0)], NEEDED)

    assert choice.station_id == 2
    assert choice.km == pytest.approx(0.5, abs=0.01)
    assert [c.number for c in choice.compartments] == [7]


def test_an_offline_station_is_skipped() -> None:
    choice = model.nearest_station(HOME, [offer(1, 0.3, online=False), offer(2, 1.0)], NEEDED)

    assert choice.station_id == 2


def test_a_full_station_is_skipped() -> None:
    ambient_only = (Compartment(1, 1, "L", "ambient"),)
    stations = [offer(1, 0.3, free=()), offer(2, 0.6, free=ambient_only), offer(3, 1.2)]

    assert model.nearest_station(HOME, stations, NEEDED).station_id == 3


def test_a_skipped_station_is_not_chosen() -> None:
    assert model.nearest_station(HOME, [offer(1, 0.3), offer(2, 1.0)], NEEDED,
                                 skip=[1]).station_id == 2  # fmt: skip


def test_no_station_further_than_the_maximum_distance() -> None:
    far = [offer(1, model.MAX_STATION_KM + 0.5)]

    assert rule_code(model.nearest_station, HOME, far, NEEDED) == "no_fitting_compartment"
    assert model.nearest_station(HOME, far, NEEDED, max_km=10).station_id == 1


def test_the_distance_is_great_circle() -> None:
    berlin, hamburg = Location(52.5200, 13.4050), Location(53.5511, 9.9937)

    assert model.km_between(berlin, hamburg) == pytest.approx(255.3, abs=1.0)


# --- slots ---------------------------------------------------------------------------------


def slot(start_hour: int, *, booked: int = 0, capacity: int = 12) -> SlotState:
    start = NOW.replace(hour=start_hour)
    return SlotState(start, start + model.SLOT_LENGTH, start - model.CUTOFF_BEFORE, capacity,
                     booked)  # fmt: skip


def test_a_slot_is_bookable_before_its_cutoff_while_it_has_room() -> None:
    model.check_bookable(slot(12), NOW)  # cut-off 10:00 UTC, now 09:00


def test_a_slot_closes_at_its_cutoff() -> None:
    assert rule_code(model.check_bookable, slot(11), NOW) == "slot_closed"  # cut-off 09:00
    assert rule_code(model.check_bookable, slot(12), NOW + timedelta(hours=1)) == "slot_closed"


def test_a_full_slot_is_refused() -> None:
    assert rule_code(model.check_bookable, slot(14, booked=12), NOW) == "slot_full"


def test_the_day_has_two_hour_windows_with_a_cutoff_two_hours_before() -> None:
    day = datetime(2026, 11, 22, tzinfo=UTC)

    windows = model.day_windows(day)

    assert len(windows) == 7
    assert windows[0] == (day.replace(hour=8), day.replace(hour=10), day.replace(hour=6))
    assert windows[-1][1] == day.replace(hour=22)


def test_slot_before_is_the_latest_that_ends_an_hour_before_the_deadline() -> None:
    # given a barbecue at 17:00 and slots 12-14, 14-16, 16-18
    slots = [slot(12), slot(14), slot(16)]
    deadline = NOW.replace(hour=17)

    # when / then: 14-16 ends exactly one hour before
    assert model.slot_before(slots, deadline, NOW, margin=timedelta(hours=1)) == slots[1]
    # a minute less time and only 12-14 is early enough
    assert model.slot_before(slots, deadline - timedelta(minutes=1), NOW,
                             margin=timedelta(hours=1)) == slots[0]  # fmt: skip


def test_slot_before_skips_full_and_closed_slots() -> None:
    slots = [slot(10), slot(12), slot(14, booked=12)]
    deadline = NOW.replace(hour=20)

    assert model.slot_before(slots, deadline, NOW, margin=timedelta(hours=1)) == slots[1]
    assert model.slot_before(slots[:1], deadline, NOW, margin=timedelta(hours=1)) is None


# --- order life ----------------------------------------------------------------------------


def test_status_moves_follow_the_order_life() -> None:
    model.check_transition("placed", "packed")
    model.check_transition("on_the_way", "in_locker")
    assert rule_code(model.check_transition, "placed", "in_locker") == "bad_transition"
    assert rule_code(model.check_transition, "picked_up", "returned") == "bad_transition"


def test_unknown_modes_are_refused() -> None:
    model.check_mode("locker")
    assert rule_code(model.check_mode, "teleport") == "bad_mode"


# --- pickup codes --------------------------------------------------------------------------


def test_pickup_codes_have_six_digits_and_no_leading_zero() -> None:
    codes = {model.new_pickup_code() for _ in range(500)}

    assert all(len(c) == 6 and c.isdigit() and c[0] != "0" for c in codes)
    assert len(codes) > 450  # random, not a counter


def test_a_typed_code_may_carry_spaces_and_dashes() -> None:
    assert model.normalize_code(" 483 920 ") == "483920"
    assert model.normalize_code("483-920") == "483920"
    assert rule_code(model.normalize_code, "48392") == "bad_code_format"
    assert rule_code(model.normalize_code, "4839201") == "bad_code_format"


def test_the_code_is_read_from_a_scanned_pickup_qr() -> None:
    payload = model.code_qr_payload("packstation-stadtpark", "483920")

    assert payload == "KOSMOS-PICKUP:packstation-stadtpark:483920"
    assert model.code_from_scan(payload) == "483920"
    assert model.code_from_scan("483920") == "483920"
    assert rule_code(model.code_from_scan, "KOSMOS-PICKUP:packstation-stadtpark:") == (
        "bad_code_format"
    )


def test_the_pickup_deadline_is_three_days_after_stowing() -> None:
    assert model.pickup_deadline(NOW) == NOW + timedelta(days=3)


# --- drones --------------------------------------------------------------------------------

STORE = Location(52.5226, 13.4101)


def test_a_light_order_nearby_in_daylight_may_fly() -> None:
    check = model.drone_check(weight_g=1800, store=STORE, target=HOME, daylight=True,
                              weather_ok=True)  # fmt: skip

    assert check.eligible and check.reasons == []
    assert 0 < check.km < 2
    assert check.eta_minutes == 7  # 1.1 km at 60 km/h, plus 5 for take-off and landing


def test_every_reason_a_drone_cannot_fly_is_given() -> None:
    far = Location(STORE.lat + 13 / 111.2, STORE.lon)

    check = model.drone_check(weight_g=2400, store=STORE, target=far, daylight=False,
                              weather_ok=False)  # fmt: skip

    assert not check.eligible
    assert check.reasons == [
        "too heavy for a drone (2.4 kg, at most 2.3 kg)",
        "too far for a drone (13.0 km, at most 12 km)",
        "drones fly in daylight only",
        "drones are grounded for the weather",
    ]


def test_no_drone_without_a_drone_enabled_store() -> None:
    check = model.drone_check(weight_g=100, store=None, target=HOME, daylight=True,
                              weather_ok=True)  # fmt: skip

    assert check.reasons == ["no drone-enabled store"]
    assert check.km == 0.0 and check.eta_minutes == 0


def test_the_weight_limit_is_inclusive() -> None:
    check = model.drone_check(weight_g=model.DRONE_MAX_GRAMS, store=STORE, target=HOME,
                              daylight=True, weather_ok=True)  # fmt: skip

    assert check.eligible


# --- the gazetteer -------------------------------------------------------------------------

CODER = geo.Gazetteer()


def test_an_address_in_musterstadt_is_found() -> None:
    address = CODER.address("Parkstraße 12, 12345 Musterstadt")

    assert address.line() == "Parkstraße 12, 12345 Musterstadt"
    assert address.location.lat == pytest.approx(52.5262 + 12 * 0.00004)


def test_street_spellings_are_forgiven() -> None:
    assert CODER.address("parkstrasse 12").street == "Parkstraße"
    assert CODER.address("PARKSTRASSE 12b").line() == "Parkstraße 12b, 12345 Musterstadt"
    assert CODER.address("Am Stadtpark 3, Musterstadt").street == "Am Stadtpark"
    assert CODER.address("Schul Str. 4").street == "Schulstraße"


def test_the_usual_street_abbreviation_is_understood() -> None:
    assert CODER.address("Parkstr. 12b").line() == "Parkstraße 12b, 12345 Musterstadt"


def test_an_address_outside_the_area_is_refused() -> None:
    assert rule_code(CODER.address, "Parkstraße 12, 10115 Berlin") == "out_of_area"
    assert rule_code(CODER.address, "Parkstraße 12, 12345 Berlin") == "out_of_area"


def test_an_unknown_street_is_refused() -> None:
    assert rule_code(CODER.address, "Hauptstraße 1, 12345 Musterstadt") == "unknown_street"


def test_an_address_needs_a_house_number() -> None:
    assert rule_code(CODER.address, "Parkstraße") == "bad_address"
    assert rule_code(CODER.address, "") == "bad_address"


def test_named_places_are_found_with_or_without_a_preposition() -> None:
    assert CODER.place("Stadtpark") == Location(52.5265, 13.3960)
    assert CODER.place("im Stadtpark") == Location(52.5265, 13.3960)
    assert CODER.place("am Badesee") == Location(52.5105, 13.3915)


def test_a_place_may_be_an_address_and_unknown_places_are_none() -> None:
    assert CODER.place("Marktplatz 3") is not None
    assert CODER.place("Eiffelturm") is None
    assert CODER.place("Parkstraße 12, 10115 Berlin") is None
