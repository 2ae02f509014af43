"""What the CloudFormation target cannot express, or expresses differently from the Terraform: one table.

Each ``Limit`` names the component kind it concerns, when it applies (some only in some designs), what the stacks
do instead and why. ``terraform_only`` limits are components no stack has: they stay in the Terraform target, and
the target renders every other component rather than refusing the design. The target's coverage check
(``unsupported_reason``), ``cloudformation/README.md`` and DESIGN.md all read this table, so a limit is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archgen.design import Component, Design


def _always(_design: Design, _c: Component) -> bool:
    return True


def _with_cloudflare(design: Design, _c: Component) -> bool:
    return any(c.kind == "cloudflare-zone" for c in design.components)


def _without_cloudflare(design: Design, c: Component) -> bool:
    return not _with_cloudflare(design, c)


def _dormant(_design: Design, c: Component) -> bool:
    return bool(c.properties.get("dormant"))


def _live_replica(_design: Design, c: Component) -> bool:
    return "replica_of" in c.properties and not c.properties.get("dormant")


def _provisioned_global(design: Design, c: Component) -> bool:
    """A PROVISIONED table with a live replica in the recovery Region (a provisioned global table)."""
    return c.properties.get("billing_mode") == "PROVISIONED" and any(
        r.properties.get("replica_of") == c.id and not r.properties.get("dormant") for r in design.components
    )


def _replicates_back(design: Design, c: Component) -> bool:
    """A recovery bucket that replicates back to its origin (active/active)."""
    return _live_replica(design, c) and design.decisions["dr_strategy"].choice == "active-active"


@dataclass(frozen=True)
class Limit:
    """One thing the CloudFormation stacks leave to the Terraform target or express differently, and why."""

    kinds: tuple[str, ...]  # the component kinds it concerns
    what: str  # what the stacks do instead (a sentence)
    why: str  # why CloudFormation cannot do it the Terraform's way (a sentence)
    terraform_only: bool = False  # no stack has the component: it stays in the Terraform target
    applies: Callable[[Design, Component], bool] = _always


LIMITS: tuple[Limit, ...] = (
    Limit(
        ("cloudflare-zone",),
        "Not in any stack: the Cloudflare zone (proxied DNS record, zone TLS settings, cache rule, Cloud Connector to "
        "the origin) stays in the Terraform target's cloudflare module.",
        "CloudFormation has no resource types for Cloudflare: neither AWS nor Cloudflare publishes any.",
        terraform_only=True,
    ),
    Limit(
        ("waf",),
        "Not in any stack: the Cloudflare Managed Ruleset and the per-IP rate limit are rulesets of the Cloudflare "
        "zone, in the Terraform target's cloudflare module.",
        "With a Cloudflare edge the WAF is Cloudflare's, not an AWS WAF web ACL, and CloudFormation has no resource "
        "types for Cloudflare.",
        terraform_only=True,
        applies=_with_cloudflare,
    ),
    Limit(
        ("cloudfront",),
        "The distribution, its certificate, its CLOUDFRONT-scope web ACL and its log delivery are a stack of their "
        "own in us-east-1, wired to the Region stack through parameters rather than references.",
        "A stack cannot create resources in another Region; the Terraform creates them from the primary root "
        "through a us-east-1 provider alias.",
        applies=_without_cloudflare,
    ),
    Limit(
        ("s3-bucket",),
        "Buckets are named by CloudFormation (stack name, logical id and a random suffix), not "
        "name-account-Region as in the Terraform.",
        "CloudFormation has no string hashing or substring to shorten a deterministic name that is too long.",
    ),
    Limit(
        ("dynamodb-table",),
        "The restore stack creates its tables empty: restore the AWS Backup recovery point into a new table "
        "(aws backup start-restore-job), then import it into the stack.",
        "CloudFormation cannot create a table from a backup or a point in time (it can only import from S3).",
        applies=_dormant,
    ),
    Limit(
        ("dynamodb-table",),
        "The recovery Region's replica belongs to the primary stack's global table: the recovery stack has no table "
        "of its own and cannot change the replica while the primary Region is down (it keeps serving reads and "
        "writes); functions reach it by an ARN built from the table name. The global table's stream is on from the "
        "start (the Terraform turns it on with the replica), so the update that adds the replica changes nothing else.",
        "A stack can create no replica of a table it does not own, and cannot read another Region's resources.",
        applies=_live_replica,
    ),
    Limit(
        ("dynamodb-table",),
        "The provisioned global table's capacity auto scaling is the table's own settings (write capacity for every "
        "replica, read capacity per replica, the recovery replica with the same bounds; 70 % target tracking between "
        "the design's floor and ceiling), not the Terraform's Application Auto Scaling targets and policies.",
        "AWS::DynamoDB::GlobalTable registers its replicas' auto scaling itself; scalable targets of their own on "
        "its tables would contend with it.",
        applies=_provisioned_global,
    ),
    Limit(
        ("s3-bucket",),
        "The recovery bucket replicates back to its origin once the recovery stack is updated with the primary "
        "stack's PrimaryKmsKeyArn and bucket ARN outputs: the two Region stacks need each other's outputs, so the "
        "first one deployed is updated a second time.",
        "A stack cannot read another stack's outputs in another Region (Fn::ImportValue is per Region); the "
        "Terraform roots pass the same values as variables, in the same order.",
        applies=_replicates_back,
    ),
    Limit(
        ("alb",),
        "The log bucket admits the Region's Elastic Load Balancing account (from a table in archgen) and the log "
        "delivery service principal that newer Regions use.",
        "CloudFormation has no data source for the Region's ELB account, which the Terraform reads.",
    ),
    Limit(
        ("alb",),
        "Load balancer and target group names longer than 32 characters get the Terraform's hashed name for the "
        "default environment, computed when the template is generated; any other environment gets a name "
        "CloudFormation makes up.",
        "CloudFormation cannot hash a name at deploy time.",
    ),
    Limit(
        ("alb",),
        "AWS-managed prefix lists (CloudFront's origin-facing servers, Route 53's health checkers) are parameters "
        "holding their ids.",
        "CloudFormation cannot look a managed prefix list up by name, which the Terraform does with a data source.",
    ),
    Limit(
        ("vpc",),
        "A custom resource (an inline Lambda function) revokes the rules of the VPC's default security group when "
        "the VPC is created.",
        "CloudFormation has no resource for a VPC's default security group (Terraform's aws_default_security_group).",
    ),
    Limit(
        ("rds-postgresql", "rds-mysql", "elasticache-valkey"),
        "Where <service>-<Environment>-<component> could exceed the RDS (63) or ElastiCache (40) name limit with the "
        "longest Environment, the name is shortened when the template is generated (8 hex digits of its SHA-1), not "
        "per Environment as in the Terraform.",
        "CloudFormation cannot hash or cut a name at deploy time.",
    ),
    Limit(
        ("rds-postgresql", "rds-mysql"),
        "The engine version is the design's, as in the Terraform; where cfn-lint's RDS data no longer offers it for "
        "new instances, the template's Metadata says so (a reasoned suppression): raise it in the design data.",
        "The design data pins engine versions for both targets alike.",
    ),
    Limit(
        ("elasticache-valkey",),
        "The recovery cache is an independent cache that starts empty and warms from the databases after failover, "
        "as in the Terraform.",
        "An ElastiCache Global Datastore needs larger nodes and Multi-AZ secondaries than the design sizes.",
        applies=_live_replica,
    ),
    Limit(
        ("config-recorder",),
        "The AWS Config rules are AWS::Config::ConfigRule resources of the stack (same names, managed rule "
        "identifiers and parameters) rather than the Terraform's conformance pack.",
        "A conformance pack's template is a nested document; separate rules keep each one visible to cfn-lint and "
        "checkov.",
    ),
)


def limits_of(design: Design) -> list[tuple[Limit, list[str]]]:
    """The limits that apply to the design, in table order, each with the ids of the components it concerns."""
    found = []
    for limit in LIMITS:
        ids = [c.id for c in design.components if c.kind in limit.kinds and limit.applies(design, c)]
        if ids:
            found.append((limit, ids))
    return found


def terraform_only(design: Design) -> list[tuple[Limit, list[str]]]:
    """The design's components no stack has (they stay in the Terraform target), grouped by limit."""
    return [(limit, ids) for limit, ids in limits_of(design) if limit.terraform_only]


def terraform_only_ids(design: Design) -> frozenset[str]:
    """The ids of the components no stack has."""
    return frozenset(i for _, ids in terraform_only(design) for i in ids)
