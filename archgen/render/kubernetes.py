"""``kubernetes/``: a Kustomize base and dev, staging and prod overlays for the design's container services.

``kubernetes_wanted`` is the one place that decides whether a design gets them: every EKS design does; ECS and
EC2 container designs do when asked (``archgen design --kubernetes``); designs without containers cannot.
Requests, replicas and autoscaling bounds are the design's; the conventions (user, probes, store ports, the
dev and staging scaling factors) come from ``data/kubernetes.yaml``. Every value from the design reaches YAML
through ``yaml_string``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from archgen.components import component_catalogue
from archgen.design import Component, Design, number
from archgen.errors import UserError
from archgen.render.environment import environment
from archgen.resources import load_data
from archgen.sizing_data import sizing_data

TARGET = "kubernetes"
OVERLAYS = ("dev", "staging", "prod")
PROD = "prod"
CONTAINER_COMPUTE = ("eks", "ecs-fargate", "ec2-autoscaling")
# Names of the namespace-wide objects. Service names are DNS labels, so "<service>-allow" (a service's own
# policy) never equals these, and no service ConfigMap can be called "archgen.settings" (a dot).
SETTINGS = "archgen.settings"
# The counts a service component carries for its pods: EC2 components carry instance counts under the usual
# keys and the processes they run under these.
_COUNT_KEYS = {"ec2-autoscaling-group": ("task_min_count", "task_desired_count", "task_max_count")}
_DEFAULT_COUNT_KEYS = ("min_count", "desired_count", "max_count")
_RESERVED_NAMESPACES = ("default",)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Probe(_Frozen):
    """One HTTP probe on the service port."""

    path: str = Field(pattern=r"^/[\x21-\x7e]*$")
    period_seconds: int = Field(ge=1)
    timeout_seconds: int = Field(ge=1)
    failure_threshold: int = Field(ge=1)


class Probes(_Frozen):
    """Startup, liveness and readiness."""

    startup: Probe
    liveness: Probe
    readiness: Probe


class AlbConventions(_Frozen):
    """Settings of the ALB the AWS Load Balancer Controller creates for the public services."""

    ssl_policy: str
    deregistration_delay_seconds: int = Field(ge=0, le=3600)


class Scaling(_Frozen):
    """How a non-production environment scales relative to the design."""

    min_replicas: int | None = Field(default=None, ge=1)
    max_replicas_factor: float = Field(gt=0, le=1)


class Conventions(_Frozen):
    """``data/kubernetes.yaml``."""

    as_of: str
    default_kubernetes_version: str = Field(pattern=r"^1\.\d+$")
    run_as_user: int = Field(ge=1)
    run_as_group: int = Field(ge=1)
    tmp_size_limit: str
    probes: Probes
    termination_grace_seconds: int = Field(ge=1)
    pre_stop_sleep_seconds: int = Field(ge=0)
    image_tag: str = Field(pattern=r"^[\w][\w.-]{0,127}$")
    placeholder_account: str = Field(pattern=r"^\d{12}$")
    alb: AlbConventions
    environments: dict[str, Scaling]
    store_ports: dict[str, int]

    @model_validator(mode="after")
    def _complete(self) -> Conventions:
        if self.image_tag == "latest":
            raise ValueError("image_tag must be a pinned version, never latest")
        if self.pre_stop_sleep_seconds >= self.termination_grace_seconds:
            raise ValueError("pre_stop_sleep_seconds must leave part of termination_grace_seconds to drain")
        if set(self.environments) != set(OVERLAYS) - {PROD}:
            raise ValueError(f"environments must be exactly {', '.join(o for o in OVERLAYS if o != PROD)}")
        kinds = component_catalogue().kinds
        in_vpc = {k for k, info in kinds.items() if info.in_vpc and info.category in ("data", "messaging")}
        if set(self.store_ports) != in_vpc:
            raise ValueError(f"store_ports must name exactly the in-VPC store kinds: {', '.join(sorted(in_vpc))}")
        return self


@cache
def conventions() -> Conventions:
    """The shipped conventions, loaded once."""
    return load_data("kubernetes.yaml", Conventions)


def kubernetes_wanted(design: Design, *, requested: bool) -> bool:
    """Whether ``design`` gets ``kubernetes/``: always on EKS, on ECS or EC2 if requested, never without containers."""
    compute = design.decisions["compute"].choice
    if requested and compute not in CONTAINER_COMPUTE:
        raise UserError(
            f"--kubernetes needs a container design, but {design.name}'s compute is {compute}, which runs no "
            f"containers (Kubernetes manifests are for {', '.join(CONTAINER_COMPUTE[:-1])} and {CONTAINER_COMPUTE[-1]} "
            "designs)"
        )
    return requested or compute == "eks"


def with_kubernetes(design: Design, targets: tuple[str, ...]) -> tuple[str, ...]:
    """``targets`` with ``kubernetes`` added or dropped as ``kubernetes_wanted`` decides (listed means requested)."""
    others = tuple(t for t in targets if t != TARGET)
    return (*others, TARGET) if kubernetes_wanted(design, requested=TARGET in targets) else others


@dataclass(frozen=True)
class Replicas:
    """Pod counts: the HPA's bounds and the Deployment's initial replicas."""

    minimum: int
    desired: int
    maximum: int


@dataclass(frozen=True)
class Peer:
    """Another service this one exchanges traffic with."""

    name: str
    port: int


@dataclass(frozen=True)
class Workload:
    """One container service as the templates see it; every object of the service is named after ``name``."""

    name: str
    component: str
    role: str
    port: int
    public: bool
    cpu: str
    memory: str
    replicas: dict[str, Replicas]
    vpc_store_ports: tuple[int, ...]
    aws_apis: bool
    callers: tuple[Peer, ...]
    callees: tuple[Peer, ...]

    def role_arn(self, design: Design, env: str, account: str) -> str:
        """The IRSA role Terraform creates for this component: ``<spec name>-<environment>-<component id>``."""
        return f"arn:aws:iam::{account}:role/{design.name}-{env}-{self.component}"


@dataclass(frozen=True)
class Model:
    """Everything the templates read, computed once from the design."""

    design: Design
    namespace: str
    version: str
    region: str
    workloads: tuple[Workload, ...]
    vpc_cidr: str
    alb_cidrs: tuple[str, ...]
    regional_waf: bool
    edge: str
    other_regions: tuple[str, ...]
    headroom: float
    cpu_utilisation: int
    conventions: Conventions
    overlays: tuple[str, ...] = OVERLAYS
    prod: str = PROD
    settings: str = SETTINGS

    @property
    def public(self) -> tuple[Workload, ...]:
        """The services behind the ALB."""
        return tuple(w for w in self.workloads if w.public)

    def path(self, workload: Workload) -> str:
        """The ALB route of a public service, as in archgen's Terraform: one service gets "/", several "/<service>"."""
        return "/" if len(self.public) == 1 else f"/{workload.name}"

    def image(self, workload: Workload) -> str:
        """The registry image an overlay maps the base's placeholder image name to (CI replaces it)."""
        account = self.conventions.placeholder_account
        return f"{account}.dkr.ecr.{self.region}.amazonaws.com/{workload.name}"

    def certificate_arn(self) -> str:
        """Placeholder for the ALB's ACM certificate (the same certificate Terraform's certificate_arn names)."""
        zero = "00000000-0000-0000-0000-000000000000"
        return f"arn:aws:acm:{self.region}:{self.conventions.placeholder_account}:certificate/{zero}"

    def waf_acl_arn(self) -> str:
        """Placeholder for the regional web ACL in front of the ALB."""
        zero = "00000000-0000-0000-0000-000000000000"
        account = self.conventions.placeholder_account
        return f"arn:aws:wafv2:{self.region}:{account}:regional/webacl/{self.design.name}/{zero}"


def render_kubernetes(design: Design) -> dict[str, str]:
    """``kubernetes/``: the base, one folder per service in it, the overlays and a README."""
    kubernetes_wanted(design, requested=True)  # a design without containers is refused here too
    model = build_model(design)
    files: dict[str, str] = {}
    for path, template, extra in _plan(model):
        template_file = environment().get_template(f"kubernetes/{template}.j2")
        text = template_file.render(k=model, service_files=service_files, **extra)
        files[f"kubernetes/{path}"] = text if path.endswith(".md") else header(design) + text
    return files


def header(design: Design) -> str:
    """The first line of every generated YAML (and env) file."""
    return (
        f"# Generated by archgen {design.archgen_version} from the {design.name} design: edit the spec and re-run "
        "`archgen design` rather than this file.\n"
    )


def _plan(model: Model) -> Iterator[tuple[str, str, dict[str, object]]]:
    yield "README.md", "README.md", {}
    for name in ("kustomization.yaml", "namespace.yaml", "networkpolicy-default-deny.yaml", "networkpolicy-dns.yaml"):
        yield f"base/{name}", f"base/{name}", {}
    for workload in model.workloads:
        for name in ("kustomization.yaml", *service_files(workload)):
            yield f"base/{workload.name}/{name}", f"service/{name}", {"w": workload}
    for env in model.overlays:
        yield f"overlays/{env}/kustomization.yaml", "overlay/kustomization.yaml", {"env": env}
        # outside prod, the overlay's changes are inline patches in its kustomization.yaml: a partial manifest
        # in the folder would read to scanners (checkov) as a whole object
        yield f"overlays/{env}/settings.env", "overlay/settings.env", {"env": env}


def service_files(workload: Workload) -> tuple[str, ...]:
    """The base files of one service, in the order its kustomization lists them."""
    files = ("serviceaccount.yaml", "deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml", "networkpolicy.yaml")
    return (*files, "ingress.yaml") if workload.public else files


def build_model(design: Design) -> Model:
    """The template model of ``design`` (which must have container services)."""
    if design.name in _RESERVED_NAMESPACES or design.name.startswith("kube-"):
        raise UserError(
            f"the Kubernetes namespace is named after the spec, and {design.name!r} is a namespace the cluster "
            "reserves; rename the spec"
        )
    rules = conventions()
    region = design.primary_region
    catalogue = component_catalogue()
    service_kind = catalogue.compute[design.decisions["compute"].choice].service_kind
    services_all = [c for c in design.components if c.kind == service_kind]
    services = [c for c in services_all if c.region == region]
    network = next(c for c in design.components if c.kind == "vpc" and c.region == region)
    cluster = [c for c in design.components if c.kind == "eks-cluster" and c.region == region]
    version = str(cluster[0].properties["kubernetes_version"]) if cluster else rules.default_kubernetes_version
    headroom = sizing_data().compute.headroom
    cdns = [c.kind for c in design.components if c.kind in catalogue.edge_choices.values()]
    return Model(
        design=design,
        namespace=design.name,
        version=f"v{version}",
        region=region,
        workloads=tuple(_workload(design, c, services) for c in services),
        vpc_cidr=str(network.properties["cidr"]),
        alb_cidrs=_strings(network, "public_subnets"),
        regional_waf=any(c.kind == "waf" and c.region == region for c in design.components),
        edge=cdns[0] if cdns else "",
        other_regions=tuple(r for r in design.regions if r != region and any(c.region == r for c in services_all)),
        headroom=headroom,
        # the planner sized maximum capacity for peak × headroom, so scaling out at 1 / headroom of the requests
        # keeps the peak within the design's maximum
        cpu_utilisation=round(100 / headroom),
        conventions=rules,
    )


def _strings(component: Component, key: str) -> tuple[str, ...]:
    value = component.properties[key]
    if not isinstance(value, tuple):
        raise TypeError(f"{component.id}.{key} is {value!r}, not a list")
    return value


def _workload(design: Design, component: Component, services: list[Component]) -> Workload:
    props = component.properties
    minimum, desired, maximum = (int(number(props, k)) for k in _COUNT_KEYS.get(component.kind, _DEFAULT_COUNT_KEYS))
    prod = Replicas(minimum, desired, maximum)
    kinds = component_catalogue().kinds
    ports = conventions().store_ports
    by_id = {s.id: s for s in services}
    stores: list[Component] = []
    callers: list[Peer] = []
    callees: list[Peer] = []
    for connection in design.connections:
        if component.id not in (connection.source, connection.target):
            continue
        other_id = connection.target if connection.source == component.id else connection.source
        other = design.component(other_id)
        if other_id in by_id:
            peer = Peer(str(other.properties["service"]), int(number(other.properties, "port")))
            if connection.source == component.id:
                callees.append(peer)
            else:
                callers.append(Peer(peer.name, int(number(props, "port"))))
        elif kinds[other.kind].category in ("data", "messaging"):
            stores.append(other)  # either direction: consumers poll streams and queues, so traffic leaves the pod
        elif other.kind != "alb":  # the ALB reaches public services: rendered from the "public" property
            raise TypeError(f"no NetworkPolicy rule for the connection {connection.source} → {connection.target}")
    return Workload(
        name=str(props["service"]),
        component=component.id,
        role=component.role,
        port=int(number(props, "port")),
        public=props["public"] is True,
        cpu=cpu_quantity(number(props, "cpu")),
        memory=f"{int(number(props, 'memory_mib'))}Mi",
        replicas={env: replicas_for(prod, env) for env in OVERLAYS},
        vpc_store_ports=tuple(sorted({ports[s.kind] for s in stores if kinds[s.kind].in_vpc})),
        # stores outside the VPC are AWS APIs; and any store means AWS credentials, which IRSA gets from STS
        aws_apis=bool(stores),
        callers=tuple(sorted(set(callers), key=lambda p: p.name)),
        callees=tuple(sorted(set(callees), key=lambda p: p.name)),
    )


def replicas_for(prod: Replicas, env: str) -> Replicas:
    """An environment's counts: prod's are the design's; dev and staging scale down by ``data/kubernetes.yaml``."""
    if env == PROD:
        return prod
    rule = conventions().environments[env]
    minimum = rule.min_replicas if rule.min_replicas is not None else prod.minimum
    maximum = max(minimum + 1, math.ceil(round(prod.maximum * rule.max_replicas_factor, 6)))
    return Replicas(minimum, minimum, maximum)


def cpu_quantity(vcpu: float) -> str:
    """A vCPU count as a Kubernetes quantity: whole cores as integers, the rest in millicores (rounded up)."""
    millis = max(1, math.ceil(round(vcpu * 1000, 6)))
    return str(millis // 1000) if millis % 1000 == 0 else f"{millis}m"
