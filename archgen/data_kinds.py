"""What a spec may ask of each data kind (``data/data_kinds.yaml``)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, RootModel

from archgen.resources import load_data


class DataKindInfo(BaseModel):
    """Engines allowed for one data kind, its default engine and the size assumed when a spec gives none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    engines: tuple[str, ...]
    default_engine: str
    assumed_size_gb: float


class DataKindTable(RootModel[dict[str, DataKindInfo]]):
    """The whole table, keyed by data kind."""


@cache
def data_kinds() -> dict[str, DataKindInfo]:
    """The shipped table, loaded once."""
    return load_data("data_kinds.yaml", DataKindTable).root
