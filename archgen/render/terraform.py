"""Terraform from the design: one root per environment and Region, plus the local modules those roots use.

Roots live in ``terraform/prod/<region>/`` so the recovery Region can be planned and applied while the primary is
down; each instantiates the modules under ``terraform/modules/`` through per-kind snippets
(``templates/terraform/root/components/<kind>.tf.j2``). Modules are copied verbatim, only those a root uses.

The DR strategy is realised across roots: the primary root replicates its data to the recovery Region (Aurora
global database, DynamoDB global tables, S3 Cross-Region Replication) and the recovery root joins it (Aurora
secondary, RDS read replica); values one root needs from the other are root variables named like the other root's
outputs. Strategies that fail over get ``terraform/prod/global/`` (Route 53 health checks and failover or latency
records); backup and restore gets ``terraform/restore/<recovery Region>/``, the dormant stack restored from backups.
See templates/terraform/CONTRACT.md for the contract between snippets, modules and this renderer.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import cached_property

from archgen import __version__
from archgen.components import component_catalogue
from archgen.design import Component, Connection, Design, number
from archgen.errors import ArchgenError
from archgen.plan.components import GLOBAL
from archgen.render.environment import environment
from archgen.render.escape import tf_name
from archgen.render.hcl_format import format_hcl
from archgen.resources import templates_dir
from archgen.security_data import security_data

ENVIRONMENT = "prod"
AWS_VERSION = ">= 5.100, < 7.0"
CLOUDFLARE_VERSION = ">= 5.0, < 6.0"
SHARED_KINDS = ("vpc", "nat-gateway")  # realised by the network module every VPC root gets
RESTORE = "restore"  # folder of the backup-and-restore strategy's dormant root
# Behind CloudFront, the global root's records name the regional origins at "<label>.<domain_name>" (the
# distribution keeps domain_name itself).
ORIGIN_LABEL = "origin"
CLOUDFLARE_ORIGIN_KINDS = ("alb", "api-gateway-http", "s3-bucket")  # what a Cloudflare zone proxies to
_MODULE_SOURCE = re.compile(r'source\s*=\s*"\.\./\.\./modules/([a-z0-9-]+)"')
_COMMENT = re.compile(r"^(\s*)# (.*)$")
LINE_WIDTH = 120  # comments that name components or Regions are re-wrapped to this width


@dataclass(frozen=True)
class Root:
    """One root module: the components of one Region (the primary also holds the global edge)."""

    design: Design
    region: str
    purpose: str = ENVIRONMENT  # ENVIRONMENT, or RESTORE for the dormant copies of backup and restore

    @property
    def is_primary(self) -> bool:
        """Whether this is the primary Region's (production) root."""
        return self.region == self.design.primary_region and not self.is_restore

    @property
    def is_restore(self) -> bool:
        """Whether this root restores the dormant copies after a disaster is declared (backup and restore)."""
        return self.purpose == RESTORE

    @property
    def strategy(self) -> str:
        """The design's DR strategy."""
        return self.design.decisions["dr_strategy"].choice

    @cached_property
    def replicates(self) -> bool:
        """Whether a live recovery Region receives this design's data: the planner made live (not dormant) copies."""
        return any("replica_of" in c.properties and not c.properties.get("dormant") for c in self.design.components)

    @property
    def other_region(self) -> str | None:
        """The Region of the other production root (the recovery Region from the primary, and back)."""
        others = [r for r in self.design.regions if r != self.region]
        return others[0] if others else None

    @cached_property
    def components(self) -> tuple[Component, ...]:
        """The components this root deploys, in design order."""
        if self.is_restore:
            return tuple(c for c in self.design.components if c.region == self.region and c.properties.get("dormant"))
        return tuple(
            c
            for c in self.design.components
            if (c.region == self.region or (self.is_primary and c.region == GLOBAL)) and not c.properties.get("dormant")
        )

    def recovery_copy(self, component_id: str) -> Component | None:
        """The live recovery-Region copy of a primary component, when the strategy keeps one."""
        if not self.replicates:
            return None
        for c in self.design.components:
            if c.properties.get("replica_of") == component_id and not c.properties.get("dormant"):
                return c
        return None

    def origin_of(self, component: Component) -> Component | None:
        """The primary component a recovery copy copies (None for a primary component)."""
        origin = component.properties.get("replica_of")
        return self.design.component(origin) if isinstance(origin, str) else None

    @cached_property
    def ids(self) -> frozenset[str]:
        """Ids of this root's components."""
        return frozenset(c.id for c in self.components)

    @property
    def path(self) -> str:
        """Folder of this root inside the output."""
        return f"terraform/{self.purpose}/{self.region}"

    @property
    def state_key(self) -> str:
        """Key of this root's state object in the state bucket."""
        return f"{self.design.name}/{self.purpose}/{self.region}/terraform.tfstate"

    @property
    def origin_record(self) -> bool:
        """Whether this root's CloudFront edge reaches the Regions through the global root's origin record."""
        return self.is_primary and self.replicates and self.has_kind("cloudfront") and _entry_kind(self) == "alb"

    def has_kind(self, kind: str) -> bool:
        """Whether a component of ``kind`` is in this root."""
        return any(c.kind == kind for c in self.components)

    def components_of_kind(self, kind: str) -> list[Component]:
        """The components of ``kind`` in this root."""
        return [c for c in self.components if c.kind == kind]

    def module_of(self, component_id: str) -> str:
        """The module address of a component of this root."""
        if component_id not in self.ids:
            raise ArchgenError(f"{component_id!r} is not in the {self.region} root")
        return f"module.{tf_name(component_id)}"

    def connections(self) -> list[Connection]:
        """The design's connections between components of this root."""
        return [c for c in self.design.connections if c.source in self.ids and c.target in self.ids]

    def sources_of(self, component_id: str) -> list[Component]:
        """Components with a connection into ``component_id``."""
        sources = {c.source for c in self.connections() if c.target == component_id}
        return [c for c in self.components if c.id in sources]

    def targets_of(self, component_id: str) -> list[Component]:
        """Components ``component_id`` connects to."""
        targets = {c.target for c in self.connections() if c.source == component_id}
        return [c for c in self.components if c.id in targets]

    def cloudflare_reader(self, bucket: Component) -> Component | None:
        """The Cloudflare zone whose origin is ``bucket`` (read through Cloud Connector, unsigned), if any.

        A zone's origin is the first of its connections' targets that is an ALB, an HTTP API or a bucket, as in
        cloudflare-zone.tf.j2.
        """
        for zone in self.components_of_kind("cloudflare-zone"):
            origins = (self.design.component(c.target) for c in self.design.connections if c.source == zone.id)
            origin = next((o for o in origins if o.kind in CLOUDFLARE_ORIGIN_KINDS), None)
            if origin is not None and origin.id == bucket.id:
                return zone
        return None

    @property
    def in_vpc(self) -> bool:
        """Whether this root has a network."""
        return self.has_kind("vpc")

    @property
    def needs_us_east_1(self) -> bool:
        """CloudFront certificates and CLOUDFRONT-scope WAF live in us-east-1."""
        return self.has_kind("cloudfront")

    @property
    def uses_cloudflare(self) -> bool:
        """Whether the Cloudflare provider is needed."""
        return self.has_kind("cloudflare-zone")

    def compute_security_group(self, component: Component) -> str | None:
        """The security group a compute component's traffic comes from, or None outside the VPC."""
        if not self.in_vpc:
            return None
        if component.kind == "k8s-deployment":
            clusters = self.components_of_kind("eks-cluster")
            return f"{self.module_of(clusters[0].id)}.cluster_security_group_id" if clusters else None
        return f"{self.module_of(component.id)}.security_group_id"


def _entry_kind(root: Root) -> str | None:
    kinds = [c.kind for c in root.components if c.id == "entry" or c.properties.get("replica_of") == "entry"]
    return kinds[0] if kinds else None


@dataclass(frozen=True)
class GlobalRoot:
    """``terraform/prod/global/``: Route 53 health checks and the records that route between the Regions.

    The records fail over (pilot light, warm standby) or route by latency (active/active) between the Regions'
    public entry points.
    """

    design: Design

    @property
    def path(self) -> str:
        """Folder of this root inside the output."""
        return f"terraform/{ENVIRONMENT}/global"

    @property
    def state_key(self) -> str:
        """Key of this root's state object in the state bucket."""
        return f"{self.design.name}/{ENVIRONMENT}/global/terraform.tfstate"

    @property
    def strategy(self) -> str:
        """The design's DR strategy."""
        return self.design.decisions["dr_strategy"].choice

    @property
    def dns(self) -> Component:
        """The design's routing component (kind route53-zone): the planner decides its policy and figures."""
        return next(c for c in self.design.components if c.kind == "route53-zone")

    @property
    def routing(self) -> str:
        """Route 53 routing policy, as the planner chose it: LATENCY or FAILOVER."""
        return str(self.dns.properties["routing"]).upper()

    @property
    def primary_region(self) -> str:
        """The Region that serves first."""
        return self.design.primary_region

    @property
    def recovery_region(self) -> str:
        """The Region failed over to."""
        return self.design.regions[1]

    @property
    def entry_kind(self) -> str | None:
        """Kind of the public entry point the health checks probe (alb or api-gateway-http)."""
        return _entry_kind(Root(self.design, self.primary_region))

    @property
    def behind_cloudfront(self) -> bool:
        """Whether the records name CloudFront's origin rather than the service's own DNS name."""
        return Root(self.design, self.primary_region).origin_record

    @property
    def health_check_interval_seconds(self) -> int:
        """Route 53 request interval (the planner's, from the detection figures of data/recovery.yaml)."""
        return int(number(self.dns.properties, "health_check_interval_seconds"))

    @property
    def failure_threshold(self) -> int:
        """Consecutive failed checks before a Region is unhealthy."""
        return int(number(self.dns.properties, "failure_threshold"))

    @property
    def dns_ttl_seconds(self) -> int:
        """TTL of the routing records."""
        return int(number(self.dns.properties, "dns_ttl_seconds"))


def global_root_of(design: Design) -> GlobalRoot | None:
    """The failover root, when the design has a routing component (a live recovery Region to route to)."""
    if not any(c.kind == "route53-zone" for c in design.components):
        return None
    return GlobalRoot(design)


def roots_of(design: Design) -> list[Root]:
    """The Region roots of a design, primary first, then the restore root of backup and restore."""
    roots = [Root(design, region) for region in design.regions]
    for region in design.regions[1:]:
        restore = Root(design, region, RESTORE)
        if restore.components:
            roots.append(restore)
    return roots


def render_terraform(design: Design) -> dict[str, str]:
    """Every Terraform file of the design."""
    files: dict[str, str] = {}
    used: set[str] = set()
    for root in roots_of(design):
        rendered = _render_root(root)
        for name, text in rendered.items():
            files[f"{root.path}/{name}"] = text
            used.update(_MODULE_SOURCE.findall(text))
    global_root = global_root_of(design)
    if global_root is not None:
        for name, text in _render_global_root(global_root).items():
            files[f"{global_root.path}/{name}"] = text
    for module in sorted(used):
        files.update(_module_files(module))
    files["terraform/README.md"] = (
        environment()
        .get_template("terraform/README.md.j2")
        .render(
            design=design,
            roots=roots_of(design),
            global_root=global_root,
            origin_label=ORIGIN_LABEL,
            modules=sorted(used),
            aws_version=AWS_VERSION,
            cloudflare_version=CLOUDFLARE_VERSION,
            version=__version__,
        )
    )
    return files


def _render_root(root: Root) -> dict[str, str]:
    env = environment()
    context = {
        "root": root,
        "design": root.design,
        "environment": ENVIRONMENT,
        "aws_version": AWS_VERSION,
        "cloudflare_version": CLOUDFLARE_VERSION,
        "version": __version__,
        "catalogue": component_catalogue(),
        "origin_label": ORIGIN_LABEL,
        "security": security_data(),
    }
    files = {}
    for name in ("versions.tf", "providers.tf", "backend.tf", "variables.tf", "outputs.tf", "wiring.tf"):
        files[name] = format_hcl(env.get_template(f"terraform/root/{name}.j2").render(**context))
    blocks = [env.get_template("terraform/root/main.tf.j2").render(**context)]
    for component in root.components:
        if component.kind in SHARED_KINDS:
            continue
        template = f"terraform/root/components/{component.kind}.tf.j2"
        if not (templates_dir() / template).is_file():
            raise ArchgenError(f"no Terraform snippet for component kind {component.kind!r} ({template})")
        blocks.append(env.get_template(template).render(c=component, name=tf_name(component.id), **context))
    files["main.tf"] = format_hcl("\n\n".join(block.strip("\n") for block in blocks if block.strip()))
    return {name: _wrap_comments(text) for name, text in files.items()}


def _wrap_comments(text: str) -> str:
    """Reflow each block of ``# `` comment lines that has a line longer than LINE_WIDTH.

    Their length depends on ids and Regions; directives such as ``#checkov:skip`` have no space after the hash and
    are left whole.
    """
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _COMMENT.match(lines[i])
        if match is None:
            out.append(lines[i])
            i += 1
            continue
        prefix = f"{match.group(1)}# "
        block = [lines[i]]
        while i + len(block) < len(lines) and lines[i + len(block)].startswith(prefix):
            block.append(lines[i + len(block)])
        i += len(block)
        if any(len(line) > LINE_WIDTH for line in block):
            words = " ".join(line[len(prefix) :] for line in block)
            block = textwrap.wrap(words, LINE_WIDTH, initial_indent=prefix, subsequent_indent=prefix)
        out += block
    return "\n".join(out)


def _render_global_root(root: GlobalRoot) -> dict[str, str]:
    env = environment()
    context = {"root": root, "design": root.design, "environment": ENVIRONMENT, "aws_version": AWS_VERSION}
    context |= {"version": __version__, "origin_label": ORIGIN_LABEL}
    names = ("versions.tf", "providers.tf", "backend.tf", "variables.tf", "main.tf", "outputs.tf")
    return {
        name: _wrap_comments(format_hcl(env.get_template(f"terraform/global/{name}.j2").render(**context)))
        for name in names
    }


def _module_files(module: str) -> dict[str, str]:
    folder = templates_dir() / "terraform" / "modules" / module
    if not folder.is_dir():
        raise ArchgenError(f"no Terraform module {module!r} under {folder}")
    header = f"# Generated by archgen {__version__}: local module {module}. Regenerate rather than edit.\n\n"
    return {
        f"terraform/modules/{module}/{path.name}": header + path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.tf"))
    }
