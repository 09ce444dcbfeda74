"""Courier routes: the Solomon reader, the VROOM solver on small problems whose answer is
known (capacity, time windows, an unreachable stop), one Solomon instance against its best
known distance, and the lat/lon travel estimate."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kosmos.delivery.routing import solomon
from kosmos.delivery.routing.model import (
    CITY_DETOUR,
    CITY_SPEED_KMH,
    Place,
    Stop,
    Van,
    haversine_m,
    plane_matrix,
    road_matrix,
)
from kosmos.delivery.routing.solver import solve

# One Solomon instance kept with the tests (bench/routing.py reads all 56 from ../shared).
VRPTW = Path(__file__).resolve().parents[1] / "data" / "vrptw"

DEPOT = Place(0, 0)


def van(id: int, capacity: int = 10, shift_end: int = 1000) -> Van:
    return Van(id, capacity, DEPOT, DEPOT, shift_start=0, shift_end=shift_end)


def stops_and_matrix(*stops: Stop):  # noqa: ANN201
    return stops, plane_matrix([DEPOT, *(s.location for s in stops)])


# --- reader --------------------------------------------------------------------------------


def test_the_reader_parses_a_solomon_instance():
    c101 = solomon.read(VRPTW / "C101.txt")
    assert c101.name == "C101"
    assert len(c101.stops) == 100
    assert len(c101.vans) == 25
    assert c101.capacity == 200
    assert c101.depot == Place(40, 50)
    assert c101.horizon == 1236
    assert c101.vans[0].shift_end == 1236 and c101.vans[0].start == c101.depot
    assert c101.stops[0] == Stop(1, Place(45, 68), 10, 912, 967, 90)
    assert c101.stops[-1].id == 100
    assert sum(s.demand for s in c101.stops) == 1810


def test_the_reader_refuses_text_without_the_blocks():
    with pytest.raises(ValueError, match="not a Solomon instance"):
        solomon.parse("X1\n\nsomething else\n1 2 3\n")


# --- solver on problems with a known answer -------------------------------------------------


def test_capacity_forces_a_second_van():
    # Both stops on one line from the depot: one van would take both (distance 20) if it
    # could carry 6 + 6; with capacity 10 it cannot, so two vans drive 10 + 20.
    stops, matrix = stops_and_matrix(
        Stop(1, Place(5, 0), demand=6, window_start=0, window_end=1000),
        Stop(2, Place(10, 0), demand=6, window_start=0, window_end=1000),
    )
    plan = solve(stops, [van(1), van(2), van(3)], matrix)
    assert plan.unassigned == ()
    assert plan.vans_used == 2
    assert sorted([s.stop_id for s in r.stops] for r in plan.routes) == [[1], [2]]
    assert plan.total_distance == pytest.approx(30)


def test_with_room_for_both_one_van_takes_the_short_way():
    stops, matrix = stops_and_matrix(
        Stop(1, Place(5, 0), demand=5, window_start=0, window_end=1000),
        Stop(2, Place(10, 0), demand=5, window_start=0, window_end=1000),
    )
    plan = solve(stops, [van(1), van(2)], matrix)
    assert plan.vans_used == 1
    assert plan.total_distance == pytest.approx(20)


def test_a_time_window_forces_the_order():
    # Nearest first would be 1 then 2; stop 2 must be served by t=12 and stop 1 not before
    # t=30, so the van goes out to 2 first and serves 1 on the way back, waiting for it.
    stops, matrix = stops_and_matrix(
        Stop(1, Place(5, 0), demand=1, window_start=30, window_end=100, service=4),
        Stop(2, Place(10, 0), demand=1, window_start=0, window_end=12, service=3),
    )
    plan = solve(stops, [van(1)], matrix)
    assert plan.unassigned == ()
    (route,) = plan.routes
    first, second = route.stops
    assert [first.stop_id, second.stop_id] == [2, 1]
    assert first.arrival <= 12
    assert first.departure == pytest.approx(first.arrival + 3)
    assert second.arrival == pytest.approx(first.departure + 5)
    assert second.departure == pytest.approx(30 + 4)  # waits for the window, then serves
    assert route.distance == pytest.approx(20)
    assert route.end == pytest.approx(second.departure + 5)
    assert route.duration == pytest.approx(route.end - route.start)


def test_a_stop_no_van_can_reach_in_time_is_unassigned():
    # 100 away, but its window closes at 50: no van gets there in time. The others are served.
    stops, matrix = stops_and_matrix(
        Stop(1, Place(3, 4), demand=1, window_start=0, window_end=100),
        Stop(2, Place(100, 0), demand=1, window_start=0, window_end=50),
        Stop(3, Place(0, 7), demand=1, window_start=0, window_end=100),
    )
    plan = solve(stops, [van(1), van(2)], matrix)
    assert plan.unassigned == (2,)
    assert sorted(s.stop_id for r in plan.routes for s in r.stops) == [1, 3]


def test_a_stop_heavier_than_any_van_is_unassigned():
    stops, matrix = stops_and_matrix(
        Stop(1, Place(3, 4), demand=11, window_start=0, window_end=100),
    )
    plan = solve(stops, [van(1)], matrix)
    assert plan.unassigned == (1,)
    assert plan.routes == ()
    assert plan.total_distance == 0


def test_nothing_to_plan_and_bad_input():
    assert solve([], [van(1)]).routes == ()
    stop = Stop(1, Place(13.4, 52.5), demand=1, window_start=0, window_end=100)
    assert solve([stop], []).unassigned == (1,)
    with pytest.raises(ValueError, match="unique"):
        solve([stop, stop], [van(1)])
    with pytest.raises(ValueError, match="window ends before"):
        Stop(2, DEPOT, demand=1, window_start=10, window_end=5)


# --- Solomon --------------------------------------------------------------------------------


def test_c101_solves_within_two_percent_of_the_best_known_distance():
    c101 = solomon.read(VRPTW / "C101.txt")
    plan = solve(c101.stops, c101.vans, c101.matrix())
    assert plan.unassigned == ()
    assert plan.total_distance <= 828.94 * 1.02
    served = sorted(s.stop_id for r in plan.routes for s in r.stops)
    assert served == list(range(1, 101))
    by_id = {s.id: s for s in c101.stops}
    for route in plan.routes:
        assert sum(by_id[p.stop_id].demand for p in route.stops) <= 200
        assert route.end <= c101.horizon
        for p in route.stops:
            begins = p.departure - by_id[p.stop_id].service
            assert by_id[p.stop_id].window_start <= begins <= by_id[p.stop_id].window_end


# --- travel estimate for real places --------------------------------------------------------


def test_road_matrix_from_lat_lon():
    brandenburger_tor = Place.at(52.5163, 13.3777)
    alexanderplatz = Place.at(52.5219, 13.4132)
    straight = haversine_m(brandenburger_tor, alexanderplatz)
    assert 2_300 < straight < 2_500  # about 2.4 km as the crow flies
    m = road_matrix([brandenburger_tor, alexanderplatz])
    assert m.distance[0][0] == 0
    assert m.distance[0][1] == pytest.approx(straight * CITY_DETOUR)
    assert m.seconds[1][0] == pytest.approx(straight * CITY_DETOUR / (CITY_SPEED_KMH / 3.6))
    assert math.isclose(m.distance[0][1], m.distance[1][0])


def test_solve_without_a_matrix_estimates_road_travel():
    depot = Place.at(52.5163, 13.3777)
    stops = [
        Stop(1, Place.at(52.5219, 13.4132), demand=2, window_start=0, window_end=3600),
        Stop(2, Place.at(52.5096, 13.3759), demand=2, window_start=0, window_end=3600),
    ]
    plan = solve(stops, [Van(7, 10, depot, depot, shift_start=0, shift_end=7200)])
    assert plan.unassigned == ()
    (route,) = plan.routes
    assert route.van_id == 7
    assert len(route.stops) == 2
    assert 5_000 < route.distance < 10_000  # metres
