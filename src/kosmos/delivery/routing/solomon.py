"""Reader for Solomon's VRPTW instances (1987): a name line, a VEHICLE block (number,
capacity) and a CUSTOMER table (id, x, y, demand, ready time, due date, service time) whose
first row, customer 0, is the depot. Distances are Euclidean on the plane and one unit of
distance takes one unit of time; the depot's due date is when every van must be back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kosmos.delivery.routing.model import (
    Place,
    Stop,
    TravelMatrix,
    Van,
    distinct_places,
    plane_matrix,
)


@dataclass(frozen=True, slots=True)
class Instance:
    name: str
    depot: Place
    horizon: int  # the depot's due date
    vans: tuple[Van, ...]
    stops: tuple[Stop, ...]

    @property
    def capacity(self) -> int:
        return self.vans[0].capacity

    def matrix(self) -> TravelMatrix:
        return plane_matrix(distinct_places(self.stops, self.vans))


def parse(text: str) -> Instance:
    lines = [line.split() for line in text.splitlines()]
    lines = [words for words in lines if words]
    name = lines[0][0]
    heads = [words[0].upper() for words in lines]
    try:
        at_vehicle = heads.index("VEHICLE")
        at_customer = heads.index("CUSTOMER")
    except ValueError as exc:
        raise ValueError(f"{name}: not a Solomon instance (no VEHICLE/CUSTOMER block)") from exc
    number, capacity = (int(w) for w in _numeric_rows(lines[at_vehicle + 1 : at_customer])[0])
    rows = _numeric_rows(lines[at_customer + 1 :])
    if not rows or int(rows[0][0]) != 0:
        raise ValueError(f"{name}: the customer table does not start with the depot (0)")
    _id, x, y, _demand, ready, due, _service = rows[0]
    depot = Place(x, y)
    vans = tuple(
        Van(i, capacity, depot, depot, shift_start=int(ready), shift_end=int(due))
        for i in range(1, number + 1)
    )
    stops = tuple(
        Stop(
            id=int(row[0]),
            location=Place(row[1], row[2]),
            demand=int(row[3]),
            window_start=int(row[4]),
            window_end=int(row[5]),
            service=int(row[6]),
        )
        for row in rows[1:]
    )
    return Instance(name, depot, int(due), vans, stops)


def read(path: Path | str) -> Instance:
    return parse(Path(path).read_text())


def _numeric_rows(lines: list[list[str]]) -> list[tuple[float, ...]]:
    """The rows made of numbers only (headers like 'NUMBER CAPACITY' are skipped)."""
    rows = []
    for words in lines:
        try:
            rows.append(tuple(float(w) for w in words))
        except ValueError:
            continue
    return rows
