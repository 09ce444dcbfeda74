"""API schemas of the catalog context."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from kosmos.schemas import BodyId, PublicModel, StrictModel

Unit = Literal["piece", "kg", "l"]
Hours = dict[str, list[tuple[str, str]]]


class MerchantBrief(PublicModel):
    id: int
    name: str
    slug: str


class ProductSummary(PublicModel):
    id: int
    name: str
    gtin: str | None
    price_cents: int = Field(
        description="Gross price incl. VAT, in cents (store's price when filtered by store)"
    )
    currency: str
    vat_rate: int
    unit: str
    brand: str | None
    category: str
    merchant: MerchantBrief
    store_id: int | None = None
    stock: int | None = None


class ProductPage(PublicModel):
    items: list[ProductSummary]
    next_cursor: str | None = None


class StoreBrief(PublicModel):
    id: int
    slug: str
    name: str
    street: str
    postcode: str
    city: str


class Offer(PublicModel):
    store: StoreBrief
    price_cents: int
    stock: int


class ProductPublic(ProductSummary):
    rcn_item: str | None
    weight_g: int | None
    volume_ml: int | None
    min_age: int
    description: str
    unit_price_cents: int | None = Field(description="Price per kg or l (Grundpreis)")
    unit_price_unit: str | None
    offers: list[Offer]


class StorePublic(StoreBrief):
    merchant: MerchantBrief
    lat: float
    lon: float
    phone: str
    opening_hours: dict[str, list[list[str]]]
    open_now: bool


class MerchantPublic(PublicModel):
    id: int
    slug: str
    name: str
    kind: str
    description: str
    stores: list[StorePublic]


class BarcodePublic(PublicModel):
    code: str
    kind: Literal["gtin", "weight", "price"]
    product: ProductSummary
    unit_price_cents: int
    weight_kg: Decimal | None
    line_price_cents: int | None


# --- back office -------------------------------------------------------------------------


class StaffMerchant(PublicModel):
    id: int
    slug: str
    name: str
    role: str


class ProductCreate(StrictModel):
    merchant_id: BodyId = None
    name: str = Field(min_length=1, max_length=200)
    gtin: str | None = Field(default=None, max_length=14)
    rcn_item: str | None = Field(default=None, max_length=4)
    brand: str | None = Field(default=None, max_length=80)
    category: str = Field(min_length=1, max_length=80)
    unit: Unit = "piece"
    price_cents: int = Field(ge=0, le=10_000_000)
    vat_rate: Literal[7, 19]
    weight_g: int | None = Field(default=None, ge=1)
    volume_ml: int | None = Field(default=None, ge=1)
    min_age: int = Field(default=0, ge=0, le=21)
    description: str = Field(default="", max_length=2000)


class ProductUpdate(StrictModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    gtin: str | None = Field(default=None, max_length=14)
    rcn_item: str | None = Field(default=None, max_length=4)
    brand: str | None = Field(default=None, max_length=80)
    category: str | None = Field(default=None, min_length=1, max_length=80)
    unit: Unit | None = None
    price_cents: int | None = Field(default=None, ge=0, le=10_000_000)
    vat_rate: Literal[7, 19] | None = None
    weight_g: int | None = Field(default=None, ge=1)
    volume_ml: int | None = Field(default=None, ge=1)
    min_age: int | None = Field(default=None, ge=0, le=21)
    description: str | None = Field(default=None, max_length=2000)


class StoreCreate(StrictModel):
    merchant_id: BodyId = None
    name: str = Field(min_length=1, max_length=120)
    slug: str | None = Field(default=None, max_length=80)
    street: str = Field(min_length=1, max_length=120)
    postcode: str = Field(min_length=5, max_length=5)
    city: str = Field(min_length=1, max_length=80)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    phone: str = Field(default="", max_length=40)
    opening_hours: Hours = Field(default_factory=dict)


class StoreUpdate(StrictModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    slug: str | None = Field(default=None, max_length=80)
    street: str | None = Field(default=None, min_length=1, max_length=120)
    postcode: str | None = Field(default=None, min_length=5, max_length=5)
    city: str | None = Field(default=None, min_length=1, max_length=80)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    phone: str | None = Field(default=None, max_length=40)
    opening_hours: Hours | None = None


class OfferPut(StrictModel):
    stock: int = Field(ge=0, le=10_000_000)
    price_cents: int | None = Field(
        default=None, ge=0, le=10_000_000, description="The store's own price; null: the list price"
    )


class OfferPublic(PublicModel):
    store_id: int
    product_id: int
    stock: int
    price_cents: int | None
