"""A simple map of the town as inline SVG (no tile server, works offline): the store, the
parcel stations, the destination and a flying drone, placed by their coordinates
(equirectangular projection, fine for a few kilometres)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from kosmos.catalog.tables import Store
from kosmos.delivery import geo
from kosmos.delivery.tables import DroneFlight, Order, Station

WIDTH, HEIGHT, PAD = 360, 240, 18


@dataclass(frozen=True)
class Pin:
    lat: float
    lon: float
    label: str
    kind: str  # store, station, target, drone, place


def render(pins: list[Pin], title: str) -> str:
    points = pins + [Pin(lat, lon, name, "place") for name, (lat, lon) in geo.PLACES.items()]
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    scale_x = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * scale_x, north - south, 1e-4)
    unit = min((WIDTH - 2 * PAD) / span, (HEIGHT - 2 * PAD) / span)

    def xy(p: Pin) -> tuple[float, float]:
        return (PAD + (p.lon - west) * scale_x * unit, HEIGHT - PAD - (p.lat - south) * unit)

    out = [
        f'<svg class="town-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="8" class="map-bg"/>',
    ]
    for pin in sorted(points, key=lambda p: p.kind != "place"):
        x, y = xy(pin)
        radius = 3 if pin.kind == "place" else 6
        out.append(
            f'<g class="pin pin-{pin.kind}" data-kind="{pin.kind}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}"/>'
            f'<text x="{x + 8:.1f}" y="{y + 4:.1f}">{escape(pin.label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def town_map(*, store: Store, station: Station | None, order: Order,
             flight: DroneFlight | None) -> str:  # fmt: skip
    pins = [Pin(store.lat, store.lon, store.name, "store")]
    if station is not None:
        pins.append(Pin(station.lat, station.lon, station.name, "station"))
    elif order.lat is not None and order.lon is not None:
        pins.append(Pin(order.lat, order.lon, order.address or "", "target"))
    if flight is not None and flight.lat is not None and flight.lon is not None:
        pins.append(Pin(flight.lat, flight.lon, "Drohne", "drone"))
    return render(pins, "Karte")
