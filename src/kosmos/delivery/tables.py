"""SQLAlchemy mapping of delivery: slots, parcel stations and their compartments, orders
with their parcels and status log, station events, wrong pickup codes, courier routes,
drone bases and flights."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kosmos.chat.tables import ID
from kosmos.db import Base, UTCDateTime


class Slot(Base):
    """A two-hour delivery window of a store. `booked` never passes `capacity`: booking
    is a conditional UPDATE, and the database checks the bound as well."""

    __tablename__ = "delivery_slots"
    __table_args__ = (
        UniqueConstraint("store_id", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cutoff_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class Station(Base):
    """A parcel station. `code` is its MQTT name (kosmos/lockers/{code}/...)."""

    __tablename__ = "locker_stations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(160))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    temperatures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Compartment(Base):
    """A compartment; `parcel_id` is set while a parcel has it (reserved at checkout,
    held until pickup or return). Unique, so two parcels never share one."""

    __tablename__ = "locker_compartments"
    __table_args__ = (UniqueConstraint("station_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("locker_stations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    size: Mapped[str] = mapped_column(String(1))  # S, M, L
    zone: Mapped[str] = mapped_column(String(8))  # ambient, chilled, frozen
    width_mm: Mapped[int] = mapped_column(Integer)
    height_mm: Mapped[int] = mapped_column(Integer)
    depth_mm: Mapped[int] = mapped_column(Integer)
    parcel_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    door_open: Mapped[bool] = mapped_column(Boolean, default=False)


class Order(Base):
    """A delivery order. Money: a hold at checkout, captured at hand-over, refunded when
    the parcel goes back. Locker orders keep their station, code and pickup deadline."""

    __tablename__ = "delivery_orders"
    __table_args__ = (Index("ix_delivery_orders_status_deadline", "status", "pickup_until"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(8))  # home, locker, pickup, drone
    status: Mapped[str] = mapped_column(String(12))
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_slots.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("locker_stations.id", ondelete="SET NULL")
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="SET NULL")
    )
    event_id: Mapped[int | None] = mapped_column(Integer)
    card_message_id: Mapped[int | None] = mapped_column(Integer)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    hold_reference: Mapped[str] = mapped_column(String(40))
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    refund_reference: Mapped[str | None] = mapped_column(String(40))
    pickup_code: Mapped[str | None] = mapped_column(String(6))
    stored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pickup_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flag: Mapped[str | None] = mapped_column(String(200))  # needs staff attention
    eta_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Parcel(Base):
    """One compartment's worth of an order (one temperature zone)."""

    __tablename__ = "delivery_parcels"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_orders.id", ondelete="CASCADE"), index=True
    )
    zone: Mapped[str] = mapped_column(String(8))
    size: Mapped[str] = mapped_column(String(1))
    volume_ml: Mapped[int] = mapped_column(Integer)
    compartment_id: Mapped[int | None] = mapped_column(
        ForeignKey("locker_compartments.id", ondelete="SET NULL")
    )


class StatusEntry(Base):
    """The tracking timeline: every status an order went through, with when."""

    __tablename__ = "delivery_status_log"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_orders.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class StationEvent(Base):
    """A station's door event, once: QoS 1 may deliver it twice, the unique id keeps one."""

    __tablename__ = "locker_events"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(80), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("locker_stations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    compartment: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="")
    request_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CodeMiss(Base):
    """A wrong pickup code typed at a station (rate limit, counted across processes)."""

    __tablename__ = "locker_code_misses"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("locker_stations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Route(Base):
    """One van's tour through a slot's stops, as the solver planned it."""

    __tablename__ = "delivery_routes"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_slots.id", ondelete="CASCADE"), index=True
    )
    van: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RouteStop(Base):
    __tablename__ = "delivery_route_stops"
    __table_args__ = (UniqueConstraint("route_id", "seq"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    route_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_routes.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_orders.id", ondelete="CASCADE"), unique=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    eta_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DroneBase(Base):
    """A store that flies drones; staff ground the fleet for the weather."""

    __tablename__ = "drone_bases"

    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True
    )
    drone_code: Mapped[str] = mapped_column(String(40), unique=True)
    weather_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DroneFlight(Base):
    """The latest status a drone reported for an order (over MQTT)."""

    __tablename__ = "drone_flights"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("delivery_orders.id", ondelete="CASCADE"), primary_key=True
    )
    drone_code: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(12))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[int | None] = mapped_column(Integer)
    eta_s: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
