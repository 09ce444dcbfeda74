"""Where things are: delivery addresses and named places (an event's "Stadtpark").

Kosmos needs no outside geocoder for its demo town: the delivery area's streets and
places are listed here (Musterstadt, postcode 12345). A deployment for a real city puts
a `Geocoder` of its own behind the same two calls (e.g. a Nominatim adapter); an address
outside the area is refused with a clear message either way. Plain Python."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from kosmos.delivery.model import DeliveryRuleError, Location

AREA_POSTCODES = ("12345",)
CITY = "Musterstadt"

# Street -> (lat, lon) of its middle. House numbers spread a few metres along it.
STREETS: dict[str, tuple[float, float]] = {
    "Bahnhofstraße": (52.5226, 13.4101),
    "Marktplatz": (52.5201, 13.4050),
    "Parkstraße": (52.5262, 13.3968),
    "Am Stadtpark": (52.5268, 13.3951),
    "Lindenallee": (52.5183, 13.3991),
    "Gartenweg": (52.5149, 13.4122),
    "Schulstraße": (52.5215, 13.4170),
    "Mühlenweg": (52.5302, 13.4080),
    "Gewerbering": (52.5291, 13.4190),
    "Rosenstraße": (52.5171, 13.4035),
    "Kirchgasse": (52.5195, 13.4068),
    "Seestraße": (52.5120, 13.3930),
}
# Named places people meet at (what the assistant writes into an event's place).
PLACES: dict[str, tuple[float, float]] = {
    "Stadtpark": (52.5265, 13.3960),
    "Marktplatz": (52.5201, 13.4050),
    "Bahnhof": (52.5229, 13.4110),
    "Badesee": (52.5105, 13.3915),
    "Sportplatz": (52.5310, 13.4005),
}


@dataclass(frozen=True)
class Address:
    street: str
    number: str
    postcode: str
    city: str
    location: Location

    def line(self) -> str:
        return f"{self.street} {self.number}, {self.postcode} {self.city}"


class Geocoder(Protocol):
    def address(self, text: str) -> Address: ...

    def place(self, name: str) -> Location | None: ...


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ß", "ss")
    text = re.sub(r"str\.?(?=\s|$)", "strasse", text)  # "Parkstr." and "Park str."
    return re.sub(r"[^a-z0-9äöü]+", "", text)


_ADDRESS = re.compile(
    r"^\s*(?P<street>[^\d,]+?)\s*(?P<number>\d+\s*[a-zA-Z]?)\s*"
    r"(?:,\s*(?P<postcode>\d{5})?\s*(?P<city>[^\d,]*))?\s*$"
)


class Gazetteer:
    """The built-in geocoder for the demo town."""

    def __init__(self) -> None:
        self._streets = {_key(name): (name, at) for name, at in STREETS.items()}
        self._places = {_key(name): at for name, at in PLACES.items()}

    def address(self, text: str) -> Address:
        match = _ADDRESS.match(text or "")
        if match is None:
            raise DeliveryRuleError(
                "address", "Enter street and house number, e.g. Parkstraße 12, 12345 "
                "Musterstadt.", code="bad_address",
            )  # fmt: skip
        postcode = match["postcode"] or AREA_POSTCODES[0]
        city = (match["city"] or "").strip() or CITY
        if postcode not in AREA_POSTCODES or _key(city) != _key(CITY):
            raise DeliveryRuleError(
                "address", "We deliver in Musterstadt (12345) only.", code="out_of_area"
            )
        found = self._streets.get(_key(match["street"]))
        if found is None:
            raise DeliveryRuleError(
                "address", "We do not know this street in Musterstadt.", code="unknown_street"
            )
        name, (lat, lon) = found
        number = re.sub(r"\s+", "", match["number"])
        offset = (int(re.sub(r"\D", "", number)) % 50) * 0.00004  # a few metres per number
        return Address(name, number, postcode, CITY, Location(lat + offset, lon + offset))

    def place(self, name: str) -> Location | None:
        key = _key(re.sub(r"^(im|am|an der|auf dem|beim|in the|at the|at)\s+", "",
                          (name or "").strip(), flags=re.I))  # fmt: skip
        at = self._places.get(key)
        if at is None:
            try:
                return self.address(name).location
            except DeliveryRuleError:
                return None
        return Location(*at)


def geocoder() -> Geocoder:
    return Gazetteer()
