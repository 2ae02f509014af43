"""What a spec may ask of each data kind, and which AWS choices serve it (``data/data_kinds.yaml``)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, model_validator

from archgen.resources import load_data


class DataKindInfo(BaseModel):
    """Engines allowed for one data kind (each with its candidate choices), the default, the assumed size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    engines: dict[str, tuple[str, ...]]
    default_engine: str
    assumed_size_gb: float

    @model_validator(mode="after")
    def _default_is_an_engine(self) -> DataKindInfo:
        if self.default_engine not in self.engines:
            raise ValueError(f"default_engine {self.default_engine!r} is not among the engines")
        return self


class DataKindTable(BaseModel):
    """The whole table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: dict[str, DataKindInfo]
    max_size_gb: dict[str, float]
    summaries: dict[str, str]
    considered: dict[str, dict[str, str]]

    @model_validator(mode="after")
    def _every_choice_described(self) -> DataKindTable:
        choices = {c for info in self.kinds.values() for group in info.engines.values() for c in group}
        missing = sorted(choices - set(self.summaries))
        if missing:
            raise ValueError(f"no summary for: {', '.join(missing)}")
        unknown = sorted({c for table in self.considered.values() for c in table} - choices)
        unknown += sorted(set(self.considered) - set(self.kinds))
        if unknown:
            raise ValueError(f"considered names unknown kinds or choices: {', '.join(unknown)}")
        return self


@cache
def data_kind_table() -> DataKindTable:
    """The shipped table, loaded once."""
    return load_data("data_kinds.yaml", DataKindTable)


def data_kinds() -> dict[str, DataKindInfo]:
    """Per data kind: engines, default engine and assumed size."""
    return data_kind_table().kinds


def store_size_gb(kind: str, size_gb: float | None) -> float:
    """A store's size, or the documented per-kind assumption when the spec gives none."""
    return data_kinds()[kind].assumed_size_gb if size_gb is None else size_gb
