"""What can go wrong when Kosmos commands a station or drone over MQTT."""

from __future__ import annotations


class LockerError(RuntimeError):
    """Base of the MQTT locker errors."""


class BrokerUnavailable(LockerError):
    """The bridge is not connected to the broker; nothing was sent."""


class StationNotAnswering(LockerError):
    """No acknowledgement within the timeout. The command carried an expiry, so a station
    that receives it late ignores it: nothing opens after the caller gave up."""

    def __init__(self, station: str, request_id: str, timeout: float, detail: str = "") -> None:
        self.station, self.request_id, self.timeout = station, request_id, timeout
        super().__init__(
            detail
            or f"locker station {station!r} did not answer within {timeout:g} s "
            f"(request {request_id}); nothing was opened"
        )


class StationOffline(StationNotAnswering):
    """The station's retained status says it is offline; the command was not sent."""

    def __init__(self, station: str, request_id: str) -> None:
        super().__init__(
            station, request_id, 0.0, f"locker station {station!r} is offline; nothing was sent"
        )


class StationRefused(LockerError):
    """The station answered ok=false (jammed door, unknown compartment, ...)."""

    def __init__(self, station: str, request_id: str, reason: str | None) -> None:
        self.station, self.request_id, self.reason = station, request_id, reason
        super().__init__(
            f"locker station {station!r} refused request {request_id}: {reason or 'no reason'}"
        )
