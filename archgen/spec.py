"""The requirements spec (v1): one pydantic model per section, unknown keys rejected, every field documented.

The field descriptions here are the single source of the spec reference: ``archgen schema`` publishes them as
JSON Schema and ``docs/spec.md`` is generated from that schema.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from archgen.durations import EXAMPLES, parse_duration
from archgen.regions import region_catalogue
from archgen.suggest import nearest

Workload = Literal["web-api", "web-app", "static-site", "event-driven", "streaming", "batch"]
DataKind = Literal["relational", "key-value", "document", "cache", "object", "queue", "stream", "search"]
Compliance = Literal["pci-dss", "hipaa", "gdpr", "soc2"]
CdnChoice = Literal["auto", "cloudfront", "cloudflare", "none"]

DNS_LABEL = r"^[a-z]([a-z0-9-]*[a-z0-9])?$"
IDENTIFIER = r"^[a-z][a-z0-9_-]*$"


def _user_error(kind: str, message: str) -> PydanticCustomError:
    # the message goes in as context, never as the template, so braces in user input stay literal
    return PydanticCustomError(kind, "{message}", {"message": message})


def _duration(value: object) -> int:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise _user_error("duration", str(exc)) from None


Duration = Annotated[
    int,
    BeforeValidator(_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^\s*(\d+|(\d+[smhdSMHD])+)\s*$"},
            ],
            "description": f"A duration: integer seconds, or a number with a unit s, m, h, d ({EXAMPLES}).",
        }
    ),
]


def _aws_region(code: str) -> str:
    catalogue = region_catalogue()
    if catalogue.get(code) is None:
        guess = nearest(code, [region.code for region in catalogue.regions])
        hint = f"; did you mean {guess!r}?" if guess else ""
        raise _user_error("region", f"{code!r} is not an AWS Region code{hint}")
    return code


RegionCode = Annotated[
    str,
    BeforeValidator(lambda value: _aws_region(value) if isinstance(value, str) else value),
    WithJsonSchema({"type": "string", "description": "An AWS Region code, e.g. eu-west-1."}),
]


class Section(BaseModel):
    """Base of every spec section: frozen, unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Traffic(Section):
    """Expected load on the service."""

    peak_rps: float = Field(ge=0, description="Peak requests per second (events per second for streaming).")
    average_rps: float | None = Field(
        default=None, ge=0, description="Average requests per second over a month. Default: a quarter of peak_rps."
    )
    avg_response_kb: float = Field(default=16, gt=0, description="Average response size in KB. Default 16.")
    global_users: bool = Field(default=False, description="Users spread across continents. Default false.")
    rps_per_vcpu: float | None = Field(
        default=None,
        gt=0,
        description="Requests per second one vCPU serves, for sizing tasks, pods and instances. Default: the "
        "blueprint's assumption (stated in DESIGN.md); measure it with a load test and put it here.",
    )

    @property
    def average(self) -> float:
        """Average rps with the documented default applied."""
        return self.peak_rps / 4 if self.average_rps is None else self.average_rps


class Availability(Section):
    """Availability and recovery objectives."""

    slo: float = Field(ge=90, lt=100, description="Availability SLO in percent, 90 ≤ slo < 100 (e.g. 99.9).")
    rto: Duration = Field(description="Recovery time objective after a Region-wide outage (e.g. 1h; 0 allowed).")
    rpo: Duration = Field(description="Recovery point objective: data loss tolerated (e.g. 15m; 0 allowed).")


class Regions(Section):
    """Where the service runs."""

    primary: RegionCode = Field(description="Primary AWS Region code, checked against the shipped Region list.")
    allowed: tuple[RegionCode, ...] | None = Field(
        default=None,
        description="The only Regions the design may use (data residency). Default: any Region in the primary's "
        "geography.",
    )


class DataStore(Section):
    """One data store the service needs; archgen picks the AWS service."""

    name: str = Field(pattern=IDENTIFIER, max_length=40, description="Store name, e.g. orders.")
    kind: DataKind = Field(description="What kind of data store.")
    size_gb: float | None = Field(
        default=None, ge=0, description="Data size in GB. Default: a per-kind assumption, stated in DESIGN.md."
    )
    engine: str | None = Field(
        default=None, description="Engine preference, e.g. postgresql or mysql (relational), redis or valkey (cache)."
    )


class Service(Section):
    """One deployable service."""

    name: str = Field(pattern=DNS_LABEL, max_length=32, description="Service name (a DNS label).")
    port: int = Field(default=8080, ge=1, le=65535, description="Port the service listens on. Default 8080.")
    public: bool = Field(default=False, description="Reachable from the internet. Default false.")
    cpu: float | None = Field(default=None, gt=0, le=16, description="vCPUs per instance. Default: from sizing.")
    memory: int | None = Field(default=None, ge=128, le=122880, description="Memory per instance in MiB.")


class Budget(Section):
    """Cost ceiling."""

    monthly_usd: float = Field(gt=0, description="Monthly budget in USD. Without it there is no budget check.")


class Edge(Section):
    """CDN and web application firewall."""

    cdn: CdnChoice = Field(default="auto", description="CDN at the edge. Default auto (archgen decides).")
    waf: bool = Field(default=False, description="Put a web application firewall in front. Default false.")


class Team(Section):
    """What the team already runs."""

    kubernetes: bool = Field(default=False, description="The team already operates Kubernetes. Default false.")


class Delivery(Section):
    """How changes ship."""

    ci: Literal["github-actions", "gitlab-ci"] = Field(default="github-actions", description="CI system.")
    strategy: Literal["rolling", "blue-green", "canary"] = Field(default="rolling", description="Deployment strategy.")


class Spec(Section):
    """archgen requirements spec, version 1."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="archgen spec v1")

    version: Literal[1] = Field(default=1, description="Spec format version. Default 1.")
    name: str = Field(
        min_length=1, max_length=32, pattern=DNS_LABEL, description="Service name: a lowercase DNS label, 1–32 chars."
    )
    description: str = Field(default="", description="Free text; any characters. Escaped in every output.")
    workload: Workload = Field(description="The shape of the workload.")
    traffic: Traffic
    availability: Availability
    regions: Regions
    data: tuple[DataStore, ...] = Field(default=(), description="Data stores the service needs.")
    services: tuple[Service, ...] | None = Field(
        default=None,
        description="Deployable services. Default: one service named after the spec, public for web-api and web-app.",
    )
    budget: Budget | None = Field(default=None, description="Monthly budget. Optional.")
    compliance: tuple[Compliance, ...] = Field(default=(), description="Compliance regimes that apply.")
    edge: Edge = Field(default=Edge(), description="CDN and web application firewall.")
    team: Team = Field(default=Team(), description="What the team already runs.")
    delivery: Delivery = Field(default=Delivery(), description="How changes ship.")

    @field_validator("name", mode="before")
    @classmethod
    def _name_is_label(cls, value: Any) -> Any:
        if isinstance(value, str) and value and len(value) <= 32 and not re.fullmatch(DNS_LABEL, value):
            raise _user_error(
                "dns_label",
                f"{value!r} is not a lowercase DNS label (a-z first; then a-z, 0-9 or '-'; not ending in '-')",
            )
        return value

    @property
    def service_list(self) -> tuple[Service, ...]:
        """The services with the documented default applied."""
        if self.services is not None:
            return self.services
        return (Service(name=self.name, public=self.workload in ("web-api", "web-app")),)
