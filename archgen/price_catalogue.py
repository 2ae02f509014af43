"""The price catalogue (``data/prices.yaml``): unit prices with their unit, source and date, for every Region.

us-east-1 prices are listed; another Region either lists its own price for an item or states a sourced factor
applied to the us-east-1 price, and a price reached through a factor is flagged as an estimate.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from archgen.resources import load_data

Unit = Literal[
    "hour",
    "GB-month",
    "GB",
    "vCPU-hour",
    "GB-hour",
    "LCU-hour",
    "GB-second",
    "1M requests",
    "1M WRU",
    "1M RRU",
    "month",
    "1M events",
    "item",
    "evaluation",
    "image",
]
BASE_REGION = "us-east-1"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Frozen):
    """Where a price was read, and when."""

    title: str
    url: str
    read: str


class Price(_Frozen):
    """One unit price."""

    unit: Unit
    usd: float
    source: str


class RegionPrices(_Frozen):
    """A Region's prices: its own listed figures, and a factor for everything else."""

    factor: float
    source: str
    prices: dict[str, float] = {}


class Quote(_Frozen):
    """A price as used in a cost line: the figure for the Region, and whether it is an estimate."""

    item: str
    unit: Unit
    usd: float
    source: str
    estimate: bool


class Catalogue(_Frozen):
    """The whole catalogue."""

    as_of: str
    currency: Literal["USD"]
    hours_per_month: int
    sources: dict[str, Source]
    prices: dict[str, Price]
    # priced the same in every Region: edge and DNS services, Cloudflare
    global_: dict[str, Price] = Field(default={}, alias="global")
    regions: dict[str, RegionPrices]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        for item, price in {**self.prices, **self.global_}.items():
            if price.source not in self.sources:
                raise ValueError(f"{item}: unknown source {price.source!r}")
        for code, region in self.regions.items():
            if region.source not in self.sources:
                raise ValueError(f"region {code}: unknown source {region.source!r}")
            unknown = sorted(set(region.prices) - set(self.prices))
            if unknown:
                raise ValueError(f"region {code}: prices for unknown items {unknown}")
        overlap = sorted(set(self.prices) & set(self.global_))
        if overlap:
            raise ValueError(f"items both regional and global: {overlap}")
        return self

    def quote(self, item: str, region: str) -> Quote:
        """The price of ``item`` in ``region`` (``global`` for edge services)."""
        if item in self.global_:
            price = self.global_[item]
            return Quote(item=item, unit=price.unit, usd=price.usd, source=price.source, estimate=False)
        price = self.prices[item]
        if region in ("global", BASE_REGION):
            return Quote(item=item, unit=price.unit, usd=price.usd, source=price.source, estimate=False)
        local = self.regions[region]
        if item in local.prices:
            return Quote(item=item, unit=price.unit, usd=local.prices[item], source=local.source, estimate=False)
        return Quote(item=item, unit=price.unit, usd=price.usd * local.factor, source=local.source, estimate=True)

    def has(self, item: str) -> bool:
        """Whether the catalogue prices ``item``."""
        return item in self.prices or item in self.global_


@cache
def price_catalogue() -> Catalogue:
    """The shipped catalogue, loaded once."""
    return load_data("prices.yaml", Catalogue)
