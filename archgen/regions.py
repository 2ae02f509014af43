"""The AWS Region catalogue (``data/regions.yaml``).

Codes, legal geography, opt-in status and rough coordinates, used to validate specs and to pick the nearest
recovery Region.
"""

from __future__ import annotations

import math
from functools import cache

from pydantic import BaseModel, ConfigDict

from archgen.resources import load_data

EARTH_RADIUS_KM = 6371.0


class Region(BaseModel):
    """One AWS Region."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    geography: str
    opt_in: bool
    lat: float
    lon: float

    def distance_km(self, other: Region) -> float:
        """Great-circle distance between the two Regions' metro areas (haversine)."""
        lat1, lat2 = math.radians(self.lat), math.radians(other.lat)
        dlat, dlon = lat2 - lat1, math.radians(other.lon - self.lon)
        a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class RegionCatalogue(BaseModel):
    """The whole catalogue with its provenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    as_of: str
    regions: tuple[Region, ...]

    def get(self, code: str) -> Region | None:
        """The Region with this code, or None."""
        return self.by_code().get(code)

    def by_code(self) -> dict[str, Region]:
        """Regions keyed by code."""
        return {region.code: region for region in self.regions}


@cache
def region_catalogue() -> RegionCatalogue:
    """The shipped catalogue, loaded once."""
    return load_data("regions.yaml", RegionCatalogue)
