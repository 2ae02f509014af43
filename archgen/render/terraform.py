"""Terraform from the design: one root per environment and Region, plus the local modules those roots use.

Roots live in ``terraform/prod/<region>/`` so the recovery Region can be planned and applied while the primary is
down; each instantiates the modules under ``terraform/modules/`` through per-kind snippets
(``templates/terraform/root/components/<kind>.tf.j2``). Modules are copied verbatim, only those a root uses.
See templates/terraform/CONTRACT.md for the contract between snippets, modules and this renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from archgen import __version__
from archgen.components import component_catalogue
from archgen.design import Component, Connection, Design
from archgen.errors import ArchgenError
from archgen.plan.components import GLOBAL
from archgen.render.environment import environment
from archgen.render.escape import tf_name
from archgen.render.hcl_format import format_hcl
from archgen.resources import templates_dir

ENVIRONMENT = "prod"
AWS_VERSION = ">= 5.100, < 7.0"
CLOUDFLARE_VERSION = ">= 5.0, < 6.0"
SHARED_KINDS = ("vpc", "nat-gateway")  # realised by the network module every VPC root gets
_MODULE_SOURCE = re.compile(r'source\s*=\s*"\.\./\.\./modules/([a-z0-9-]+)"')


@dataclass(frozen=True)
class Root:
    """One root module: the components of one Region (the primary also holds the global edge)."""

    design: Design
    region: str

    @property
    def is_primary(self) -> bool:
        """Whether this is the primary Region's root."""
        return self.region == self.design.primary_region

    @cached_property
    def components(self) -> tuple[Component, ...]:
        """The components this root deploys, in design order."""
        return tuple(
            c
            for c in self.design.components
            if (c.region == self.region or (self.is_primary and c.region == GLOBAL)) and not c.properties.get("dormant")
        )

    @cached_property
    def ids(self) -> frozenset[str]:
        """Ids of this root's components."""
        return frozenset(c.id for c in self.components)

    @property
    def path(self) -> str:
        """Folder of this root inside the output."""
        return f"terraform/{ENVIRONMENT}/{self.region}"

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


def roots_of(design: Design) -> list[Root]:
    """The roots of a design, primary first."""
    return [Root(design, region) for region in design.regions]


def render_terraform(design: Design) -> dict[str, str]:
    """Every Terraform file of the design."""
    files: dict[str, str] = {}
    used: set[str] = set()
    for root in roots_of(design):
        rendered = _render_root(root)
        for name, text in rendered.items():
            files[f"{root.path}/{name}"] = text
            used.update(_MODULE_SOURCE.findall(text))
    for module in sorted(used):
        files.update(_module_files(module))
    files["terraform/README.md"] = (
        environment()
        .get_template("terraform/README.md.j2")
        .render(
            design=design,
            roots=roots_of(design),
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
    return files


def _module_files(module: str) -> dict[str, str]:
    folder = templates_dir() / "terraform" / "modules" / module
    if not folder.is_dir():
        raise ArchgenError(f"no Terraform module {module!r} under {folder}")
    header = f"# Generated by archgen {__version__}: local module {module}. Regenerate rather than edit.\n\n"
    return {
        f"terraform/modules/{module}/{path.name}": header + path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.tf"))
    }
