"""Route planning in plain Python: where stops and vans are, what a van carries and when it
may be where, and the plan that comes back from the solver.

Times are seconds from a reference instant the caller picks (say, midnight of the delivery
day); all times of one problem share it. Distances are metres for real places (or the plane's
unit for benchmark instances).

Travel between places is a `TravelMatrix`. For the live app `road_matrix` estimates it from
latitude/longitude: the great-circle (haversine) distance times a detour factor, driven at a
city average speed. For the Solomon benchmark `plane_matrix` uses straight Euclidean distance
with one unit of distance taking one unit of time, as the instances define it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

EARTH_RADIUS_M = 6_371_000.0
# A delivery van in a German city, door to door: traffic lights, one-way streets and the
# search for somewhere to stop included. Measured city averages for vans sit at 20-30 km/h;
# 25 is the middle. Service time at the door (parking, stairs, handover) is the Stop's own.
CITY_SPEED_KMH = 25.0
# Streets are not straight lines: road distance in a grid-ish city is about 1.3 times the
# great-circle distance (the usual "circuity" factor for urban networks).
CITY_DETOUR = 1.3


@dataclass(frozen=True, slots=True)
class Place:
    """A point. Real places: x is the longitude and y the latitude in degrees (GeoJSON's
    order; `Place.at(lat, lon)` spares the mix-up). Benchmark instances: plane coordinates."""

    x: float
    y: float

    @classmethod
    def at(cls, lat: float, lon: float) -> Place:
        return cls(x=lon, y=lat)

    @property
    def lat(self) -> float:
        return self.y

    @property
    def lon(self) -> float:
        return self.x


@dataclass(frozen=True, slots=True)
class Stop:
    """One order to deliver: `demand` units of van capacity (crates, say), service may
    begin between `window_start` and `window_end` and takes `service` seconds."""

    id: int
    location: Place
    demand: int
    window_start: int
    window_end: int
    service: int = 0

    def __post_init__(self) -> None:
        if self.demand < 0:
            raise ValueError(f"stop {self.id}: negative demand {self.demand}")
        if self.service < 0:
            raise ValueError(f"stop {self.id}: negative service time {self.service}")
        if self.window_end < self.window_start:
            raise ValueError(f"stop {self.id}: window ends before it starts")


@dataclass(frozen=True, slots=True)
class Van:
    """A van on shift: leaves `start` no earlier than `shift_start`, is back at `end` no
    later than `shift_end`, and carries at most `capacity` units."""

    id: int
    capacity: int
    start: Place
    end: Place
    shift_start: int
    shift_end: int

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValueError(f"van {self.id}: negative capacity {self.capacity}")
        if self.shift_end < self.shift_start:
            raise ValueError(f"van {self.id}: shift ends before it starts")


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """A stop on a route: the van arrives at `arrival`, waits if it is early, serves, and
    leaves at `departure` (seconds, same reference as the windows)."""

    stop_id: int
    arrival: float
    departure: float

    @property
    def wait_and_service(self) -> float:
        return self.departure - self.arrival


@dataclass(frozen=True, slots=True)
class Route:
    """One van's tour: leaves its start at `start`, serves `stops` in order, is back at
    `end`. `distance` is driven from start back to end, `duration` is `end - start`
    (driving, waiting and service)."""

    van_id: int
    stops: tuple[PlannedStop, ...]
    distance: float
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Plan:
    """Routes for the vans that drive (a van with nothing to do has no route) and the stops
    no van could take (capacity or time windows)."""

    routes: tuple[Route, ...]
    unassigned: tuple[int, ...] = ()

    @property
    def total_distance(self) -> float:
        return sum(r.distance for r in self.routes)

    @property
    def vans_used(self) -> int:
        return len(self.routes)


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """Distance and travel time from each place to each other, row = from, column = to."""

    places: tuple[Place, ...]
    distance: tuple[tuple[float, ...], ...]
    seconds: tuple[tuple[float, ...], ...]
    _index: dict[Place, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.places)
        for name, rows in (("distance", self.distance), ("seconds", self.seconds)):
            if len(rows) != n or any(len(row) != n for row in rows):
                raise ValueError(f"{name} matrix is not {n} x {n}")
        object.__setattr__(self, "_index", {p: i for i, p in enumerate(self.places)})

    def index(self, place: Place) -> int:
        """The row/column of `place`; KeyError if the matrix does not know it."""
        return self._index[place]


def distinct_places(stops: Iterable[Stop], vans: Iterable[Van]) -> tuple[Place, ...]:
    """Every place a problem touches, once each: vans' starts and ends first, then stops."""
    seen: dict[Place, None] = {}
    for van in vans:
        seen.setdefault(van.start)
        seen.setdefault(van.end)
    for stop in stops:
        seen.setdefault(stop.location)
    return tuple(seen)


def haversine_m(a: Place, b: Place) -> float:
    """Great-circle distance in metres between two latitude/longitude places."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def road_matrix(
    places: Sequence[Place],
    *,
    speed_kmh: float = CITY_SPEED_KMH,
    detour: float = CITY_DETOUR,
) -> TravelMatrix:
    """Estimated road metres and driving seconds between real places (lat/lon): haversine
    times `detour`, at `speed_kmh`. Good enough to plan a slot without a routing server;
    swap in a real street-network matrix (OSRM, Valhalla) when one is at hand."""
    if speed_kmh <= 0:
        raise ValueError("speed must be positive")
    metres_per_second = speed_kmh / 3.6
    distance = tuple(tuple(haversine_m(a, b) * detour for b in places) for a in places)
    seconds = tuple(tuple(d / metres_per_second for d in row) for row in distance)
    return TravelMatrix(tuple(places), distance, seconds)


def plane_matrix(places: Sequence[Place]) -> TravelMatrix:
    """Euclidean distances on the plane, one unit of distance taking one unit of time (the
    Solomon convention)."""
    distance = tuple(tuple(math.hypot(a.x - b.x, a.y - b.y) for b in places) for a in places)
    return TravelMatrix(tuple(places), distance, distance)
