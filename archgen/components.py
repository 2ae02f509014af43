"""The component vocabulary (``data/component_kinds.yaml``): kinds, their SLAs, and what decisions deploy."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from archgen.resources import load_data

ComputeChoice = Literal["lambda", "ecs-fargate", "eks", "ec2-autoscaling", "none"]


class Sla(BaseModel):
    """A published availability SLA, in percent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    multi_az: float | None = None
    single_az: float | None = None
    regional: float | None = None
    source: str
    verified: bool = True

    @model_validator(mode="after")
    def _one_shape(self) -> Sla:
        zonal = self.multi_az is not None and self.single_az is not None
        if zonal == (self.regional is not None):
            raise ValueError("give either multi_az and single_az, or regional")
        return self


class ComponentKind(BaseModel):
    """One kind of component."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    category: Literal["network", "edge", "compute", "data", "messaging", "security"]
    in_vpc: bool = False
    sla: Sla | None = None


class ComputeKind(BaseModel):
    """What a compute decision deploys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_kind: str
    public_entry: str


class ComponentCatalogue(BaseModel):
    """The whole vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: str
    kinds: dict[str, ComponentKind]
    compute: dict[str, ComputeKind]
    data_choices: dict[str, str]
    edge_choices: dict[str, str]
    terraform_modules: dict[str, str | None]
    availability_upgrades: dict[str, str] = {}

    @model_validator(mode="after")
    def _kinds_exist(self) -> ComponentCatalogue:
        named = [c.service_kind for c in self.compute.values()] + [c.public_entry for c in self.compute.values()]
        named += list(self.data_choices.values()) + list(self.edge_choices.values())
        named += list(self.terraform_modules) + list(self.availability_upgrades)
        unknown = sorted(set(named) - set(self.kinds))
        if unknown:
            raise ValueError(f"unknown component kinds: {', '.join(unknown)}")
        return self


@cache
def component_catalogue() -> ComponentCatalogue:
    """The shipped vocabulary, loaded once."""
    return load_data("component_kinds.yaml", ComponentCatalogue)
