"""Compliance regimes and the controls archgen adds for them (``data/compliance.yaml``)."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from archgen.resources import load_data


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Regime(_Frozen):
    """One regime."""

    title: str


class Control(_Frozen):
    """One control: the requirement it answers per regime, what archgen adds, and what stays with the team."""

    refs: dict[str, str]
    requirement: str
    control: str
    implemented_by: tuple[str, ...]
    implemented_in: str = ""  # when no Terraform resource implements it: the decision or manifest that does
    residual: str
    # the design must have: "vpc" (a network), "alb" (a load balancer), "aws-waf" (an AWS WAF web ACL),
    # "containers" (container images), "eks" (a Kubernetes cluster)
    when: Literal["vpc", "alb", "aws-waf", "containers", "eks"] | None = None


class ComplianceData(_Frozen):
    """The whole file."""

    as_of: str
    regimes: dict[str, Regime]
    controls: dict[str, Control]

    @model_validator(mode="after")
    def _refs_name_regimes(self) -> ComplianceData:
        for name, control in self.controls.items():
            unknown = sorted(set(control.refs) - set(self.regimes))
            if unknown:
                raise ValueError(f"control {name}: unknown regimes {unknown}")
        return self


@cache
def compliance_data() -> ComplianceData:
    """The shipped mapping, loaded once."""
    return load_data("compliance.yaml", ComplianceData)
