"""CloudFormation from the design: one stack per Region root, plus an edge stack in us-east-1.

Stack layout (mirrors the Terraform roots, see archgen.render.terraform): ``cloudformation/<purpose>/<region>/
template.yaml`` for each Region root (the primary and recovery Regions, and the dormant restore root of backup and
restore). One stack per root rather than nested stacks: a nested stack lives in its parent's Region, while the
recovery Region must be deployable while the primary is down, exactly as the Terraform roots are. A stack cannot
create resources in another Region, so what Terraform's primary root creates in us-east-1 through a provider alias
(the CloudFront distribution's certificate, the CLOUDFRONT-scope WAF web ACL and the distribution's log delivery)
is the separate stack ``cloudformation/prod/edge/template.yaml``, deployed in us-east-1. The Route 53 health checks
and records of Terraform's global root are the stack ``cloudformation/prod/global/template.yaml``, deployed in the
recovery Region (as that root's default provider: see archgen.render.cloudformation.dns) after both Region stacks.
Values one stack needs from another are Parameters named like the other stack's Outputs.

Templates are built as Python dicts and dumped with PyYAML's safe dumper: free text from the spec is always a
quoted scalar, never YAML structure or an intrinsic function. Fn::GetAtt is always in its long (list) form.
"""

from __future__ import annotations

from typing import Any

from archgen import __version__
from archgen.design import Component, Design
from archgen.errors import UserError
from archgen.render.cloudformation.dns import GLOBAL_PATH, global_region, global_stack
from archgen.render.cloudformation.edge import EDGE_PATH, EDGE_REGION, edge_stack
from archgen.render.cloudformation.intrinsics import logical_id
from archgen.render.cloudformation.limits import limits_of, terraform_only, terraform_only_ids
from archgen.render.cloudformation.region import SUPPORTED_KINDS, region_stack
from archgen.render.cloudformation.stack import dump
from archgen.render.environment import environment
from archgen.render.terraform import CLOUDFLARE_VERSION, ENVIRONMENT, Root, roots_of

__all__ = [
    "COVERED_BLUEPRINTS",
    "EDGE_PATH",
    "EDGE_REGION",
    "GLOBAL_PATH",
    "render_cloudformation",
    "stack_paths",
    "unsupported_reason",
]

COVERED_BLUEPRINTS = (
    "static-site (CloudFront, or Cloudflare left to Terraform)",
    "serverless-api",
    "container-service",
    "event-pipeline (SQS, Kinesis, Lambda and ECS consumers)",
)


def unsupported_reason(design: Design) -> str | None:
    """Why the design has no CloudFormation yet, or None when every component is covered.

    Components CloudFormation cannot express at all (limits.LIMITS, e.g. a Cloudflare zone) do not count: they stay
    in the Terraform target and the stacks have everything else.
    """
    left = terraform_only_ids(design)
    kinds = sorted({c.kind for c in design.components if c.id not in left} - SUPPORTED_KINDS)
    if not kinds:
        return None
    return (
        f"CloudFormation is not available for {design.name} ({design.blueprint} blueprint) yet: no CloudFormation "
        f"support for component kinds {', '.join(kinds)} (covered so far: {'; '.join(COVERED_BLUEPRINTS)}). "
        "Use --target terraform for this design."
    )


def stack_paths(design: Design) -> list[tuple[str, str]]:
    """(template path, Region) of every stack, in deployment order."""
    paths = []
    roots = roots_of(design)
    last_region_stack = [root for root in roots if not root.is_restore][-1]
    for root in roots:
        paths.append((f"cloudformation/{root.purpose}/{root.region}/template.yaml", root.region))
        if root.is_primary and root.has_kind("cloudfront"):
            paths.append((f"{EDGE_PATH}/template.yaml", EDGE_REGION))
        if root == last_region_stack and _has_global_stack(design):
            # after both Region stacks, whose entry points its records name
            paths.append((f"{GLOBAL_PATH}/template.yaml", global_region(design)))
    return paths


def _has_global_stack(design: Design) -> bool:
    return any(c.kind == "route53-zone" for c in design.components)


def render_cloudformation(design: Design) -> dict[str, str]:
    """Every CloudFormation template of the design and the README that orders them."""
    reason = unsupported_reason(design)
    if reason is not None:
        raise UserError(reason)
    files: dict[str, str] = {}
    roots = roots_of(design)
    for root in roots:
        files[f"cloudformation/{root.purpose}/{root.region}/template.yaml"] = dump(region_stack(root))
    edge = edge_stack(design, roots[0])
    if edge is not None:
        files[f"{EDGE_PATH}/template.yaml"] = dump(edge)
    routing = global_stack(design)
    if routing is not None:
        files[f"{GLOBAL_PATH}/template.yaml"] = dump(routing)
    files["cloudformation/README.md"] = (
        environment()
        .get_template("cloudformation/README.md.j2")
        .render(
            design=design,
            stacks=stack_paths(design),
            edge_region=EDGE_REGION,
            has_edge=edge is not None,
            has_global=routing is not None,
            global_region=global_region(design) if routing is not None else None,
            routing=str(next(c for c in design.components if c.kind == "route53-zone").properties["routing"])
            if routing is not None
            else None,
            replica_databases=[
                (f"{logical_id(c.id)}Arn", copy.region)
                for c in roots[0].components
                if c.kind in ("rds-postgresql", "rds-mysql") and (copy := roots[0].recovery_copy(c.id)) is not None
            ],
            restored_databases=[
                f"{logical_id(c.id)}SnapshotArn"
                for root in roots
                if root.is_restore
                for c in root.components
                if c.kind in ("rds-postgresql", "rds-mysql")
            ],
            config=any(c.kind == "config-recorder" for c in design.components),
            data_stores=any(c.kind in ("rds-postgresql", "rds-mysql", "elasticache-valkey") for c in design.components),
            covered=COVERED_BLUEPRINTS,
            kinds={c.kind for c in design.components},
            replicates=roots[0].replicates,
            strategy=roots[0].strategy,
            replica_buckets=[
                f"{logical_id(copy.id)}Arn"
                for c in roots[0].components_of_kind("s3-bucket")
                if (copy := roots[0].recovery_copy(c.id)) is not None
            ],
            replicates_back=[
                f"{logical_id(c.id)}Arn"
                for c in roots[0].components_of_kind("s3-bucket")
                if roots[0].strategy == "active-active" and roots[0].recovery_copy(c.id) is not None
            ],
            limits=limits_of(design),
            terraform_only=terraform_only(design),
            cloudflare=[_cloudflare_edge(roots[0], c) for c in roots[0].components_of_kind("cloudflare-zone")],
            cloudflare_version=CLOUDFLARE_VERSION,
            environment_name=ENVIRONMENT,
            version=__version__,
        )
    )
    return files


def _cloudflare_edge(primary: Root, zone: Component) -> dict[str, Any]:
    """The Terraform cloudflare module's arguments for a zone in front of the stacks (as cloudflare-zone.tf.j2)."""
    design = primary.design
    origin = next(t for t in primary.targets_of(zone.id) if t.kind in ("alb", "api-gateway-http", "s3-bucket"))
    wafs = [c for c in design.components if c.kind == "waf"]
    return {
        "id": zone.id,
        "plan": zone.properties.get("plan"),
        "origin": origin.id,
        "origin_type": "s3" if origin.kind == "s3-bucket" else "http",
        # the stack output that names the origin's host (the S3 builder writes it for a bucket behind Cloudflare)
        "origin_output": f"{logical_id(origin.id)}RegionalDomainName" if origin.kind == "s3-bucket" else None,
        "region": primary.region,
        "cache_everything": origin.kind == "s3-bucket",
        "rate_limit": wafs[0].properties["rate_limit_per_5min"] if wafs else None,
    }
