"""The security overlay: the audit, detection and image components every design gets, raised by compliance regimes.

Every design gets a multi-Region CloudTrail trail, a GuardDuty detector in each of its Regions and an ECR
repository per container image (scan on push, immutable tags). A named regime adds AWS Config (a recorder and a
conformance pack of the managed rules that regime asks for, filtered to what the Region runs) and raises what the
baseline sets: audit log retention, runtime threat detection, continuous image scanning, locked backups. The
figures and rules live in ``data/security.yaml``; this module only combines them.
"""

from __future__ import annotations

from collections.abc import Sequence

from archgen.design import Alternative, Component, Decision, Props
from archgen.security_data import RegimeSettings, SecureDefault, security_data
from archgen.spec import Spec

CONTAINER_KINDS = ("ecs-service", "ec2-autoscaling-group", "k8s-deployment")
RELATIONAL_KINDS = ("rds-postgresql", "rds-mysql", "aurora-postgresql", "aurora-mysql")
RECOVERY_SUFFIX = "-recovery"
RUNTIME_FLAGS = ("eks", "ecs_fargate_runtime_monitoring", "ec2_runtime_monitoring")


def security_components(spec: Spec, components: Sequence[Component], regions: tuple[str, ...]) -> list[Component]:
    """The audit trail, the detectors, Config (when a regime is named) and the image repositories."""
    settings = regime_settings(spec.compliance)
    baseline = security_data().baseline
    primary = regions[0]
    retention = max([baseline.audit_retention_days] + [s.audit_retention_days or 0 for s in settings])
    regimes = f" ({', '.join(spec.compliance)})" if spec.compliance else ""
    found = [
        Component(
            id="audit",
            kind="cloudtrail",
            region=primary,
            role="CloudTrail: every API call in every Region, tamper-evident, encrypted, "
            f"kept {retention} days{regimes}",
            properties=_drop_none(
                {
                    "retention_days": retention,
                    "archive_after_days": _archive_after(settings),
                    "cloudwatch_retention_days": baseline.audit_cloudwatch_retention_days,
                }
            ),
        )
    ]
    for region in regions:
        suffix = "" if region == primary else RECOVERY_SUFFIX
        running = [c for c in components if c.region == region and not c.properties.get("dormant")]
        kinds = {c.kind for c in running}
        found.append(_detector(region, suffix, kinds, runtime=any(s.runtime_monitoring for s in settings)))
        found += _repositories(components, region, settings)
        if spec.compliance:
            found.append(_recorder(spec, region, suffix, kinds | {c.kind for c in found if c.region == region}))
    return found


def lock_backups(spec: Spec, components: Sequence[Component]) -> list[Component]:
    """Backup vaults get a Vault Lock (governance mode) under a regime that asks for it.

    No recovery point can then be deleted before its retention ends, except by a principal allowed to lift the lock.
    """
    if not any(s.backup_vault_lock for s in regime_settings(spec.compliance)):
        return list(components)
    longest = security_data().baseline.vault_lock_max_retention_days
    return [
        c.model_copy(update={"properties": {**c.properties, "locked": True, "lock_max_retention_days": longest}})
        if c.kind == "backup-vault"
        else c
        for c in components
    ]


def secure_defaults(components: Sequence[Component]) -> list[SecureDefault]:
    """The secure defaults that apply to a design with ``components`` (DESIGN.md lists them)."""
    kinds = {c.kind for c in components}
    return [d for d in security_data().defaults if not d.when or set(d.when) & kinds]


def regime_settings(regimes: Sequence[str]) -> list[RegimeSettings]:
    """The settings of the named regimes (a regime without settings of its own adds nothing)."""
    data = security_data().regimes
    return [data[r] for r in regimes if r in data]


def _archive_after(settings: list[RegimeSettings]) -> int | None:
    days = [s.audit_archive_after_days for s in settings if s.audit_archive_after_days is not None]
    return min(days) if days else security_data().baseline.audit_archive_after_days


def _drop_none(props: dict[str, int | str | bool | tuple[str, ...] | None]) -> Props:
    return {key: value for key, value in props.items() if value is not None}


def _detector(region: str, suffix: str, kinds: set[str], *, runtime: bool) -> Component:
    containers = kinds & {"ecs-service", "eks-cluster", "ec2-autoscaling-group"}
    props: Props = {
        "finding_publishing_frequency": security_data().baseline.finding_publishing_frequency,
        "s3_protection": "s3-bucket" in kinds,
        "rds_protection": bool(kinds & set(RELATIONAL_KINDS)),
        "lambda_protection": "lambda-function" in kinds,
        "eks": runtime and "eks-cluster" in kinds,
        "ecs_fargate_runtime_monitoring": runtime and "ecs-service" in kinds,
        "ec2_runtime_monitoring": runtime and "ec2-autoscaling-group" in kinds,
        "malware_protection": bool(kinds & {"ec2-autoscaling-group", "eks-node-group"}),
    }
    watched = ["CloudTrail management events", "VPC flow logs", "DNS queries"]
    watched += [label for key, label in _PLANS.items() if props[key]]
    if runtime and containers:
        watched.append("runtime behaviour of the workloads")
    return Component(
        id=f"threat-detection{suffix}",
        kind="guardduty-detector",
        region=region,
        role=f"GuardDuty: {', '.join(watched)}",
        properties=props,
    )


_PLANS = {
    "s3_protection": "S3 data events",
    "rds_protection": "database logins",
    "lambda_protection": "Lambda network activity",
    "malware_protection": "malware on EBS volumes",
}


def _repositories(components: Sequence[Component], region: str, settings: list[RegimeSettings]) -> list[Component]:
    """One repository per container service run (or restored) in ``region``.

    The recovery Region's repository receives the same pushes, so a failover or a restore never waits on the primary
    Region's registry.
    """
    found: list[Component] = []
    for c in components:
        if c.kind in CONTAINER_KINDS and c.region == region:
            service = str(c.properties["service"])
            suffix = RECOVERY_SUFFIX if "replica_of" in c.properties else ""
            found.append(
                Component(
                    id=f"images-{service}{suffix}",
                    kind="ecr-repository",
                    region=region,
                    role=f"ECR repository for {service}'s images: immutable tags, scanned on push",
                    properties={
                        "image": service,
                        "keep_images": security_data().baseline.keep_images,
                        # the recovery Region's repository holds the same images: scanned once, in the primary
                        "enhanced_scanning": not suffix and any(s.enhanced_image_scanning for s in settings),
                    },
                )
            )
    # Continuous scanning is a registry-wide setting: the first repository that asks for it sets it for the design's
    # repositories in this Region, the others leave it alone.
    enhanced = [r for r in found if r.properties["enhanced_scanning"] is True]
    if enhanced:
        first = enhanced[0]
        found[found.index(first)] = first.model_copy(
            update={"properties": {**first.properties, "registry_scanning": True}}
        )
    return found


def _recorder(spec: Spec, region: str, suffix: str, kinds: set[str]) -> Component:
    primary = not suffix
    rules = tuple(
        name
        for name, rule in security_data().config_rules.items()
        if set(rule.regimes) & set(spec.compliance)
        and (not rule.when or set(rule.when) & kinds)
        and (primary or not rule.account)
    )
    settings = regime_settings(spec.compliance)
    retention = max([security_data().baseline.config_retention_days] + [s.config_retention_days or 0 for s in settings])
    return Component(
        id=f"config{suffix}",
        kind="config-recorder",
        region=region,
        role=f"AWS Config: configuration history and a conformance pack of {len(rules)} managed rules "
        f"({', '.join(spec.compliance)})",
        properties={
            "rules": rules,
            "retention_days": retention,
            "include_global_resource_types": primary,  # IAM is global: recorded (and billed) in one Region only
        },
    )


def security_decision(spec: Spec, components: Sequence[Component]) -> Decision:
    """The record of what the overlay added and why."""
    regimes = ", ".join(spec.compliance)
    added = ["a multi-Region CloudTrail trail", "a GuardDuty detector per Region"]
    if any(c.kind == "ecr-repository" for c in components):
        added.append("an ECR repository per container image")
    if spec.compliance:
        added.append(f"AWS Config with a conformance pack for {regimes}")
    # what the regimes raised in this design (a regime's setting does nothing where the design has no such part)
    raised = []
    if any(c.properties.get(flag) is True for c in components for flag in RUNTIME_FLAGS):
        raised.append("GuardDuty Runtime Monitoring of the workloads")
    if any(c.properties.get("enhanced_scanning") is True for c in components):
        raised.append("continuous (Amazon Inspector) image scanning")
    if any(c.properties.get("locked") is True for c in components):
        raised.append("a locked backup vault")
    audit = next(c for c in components if c.kind == "cloudtrail")
    archived = "archive_after_days" in audit.properties
    rationale = (
        f"Every design records and watches its account: {', '.join(added)}; every store, log and backup is "
        "encrypted with the Region's customer-managed key (rotated yearly). "
        + (
            f"Under {regimes}: audit logs kept "
            f"{audit.properties['retention_days']} days"
            + (f", archived after {audit.properties['archive_after_days']}" if archived else "")
            + (f"; {', '.join(raised)}" if raised else "")
            + "."
            if spec.compliance
            else "No compliance regime is named, so AWS Config (billed per recorded change and rule evaluation) is "
            "left out."
        )
    )
    alternatives = [
        Alternative(
            choice="the organisation's baseline (AWS Control Tower: organisation trail, delegated GuardDuty, Config)",
            why_not="the spec cannot say whether the account has one; each root has variables "
            "(audit_trail_enabled, threat_detection_enabled, config_enabled) to switch archgen's copy off",
        ),
        Alternative(
            choice="AWS-managed keys (aws/s3, aws/rds …) when no regime is named",
            why_not="CloudWatch Logs, CloudTrail and cross-Region backup copies need a key whose policy names them, "
            "which an AWS-managed key's fixed policy cannot; a customer-managed key costs $1 a month per Region",
        ),
    ]
    if not spec.compliance:
        alternatives.append(
            Alternative(
                choice="AWS Config rules",
                why_not="no regime asks for continuous configuration evidence; name one in compliance to add them",
            )
        )
    return Decision(
        choice="baseline" + (f" + {regimes}" if spec.compliance else ""),
        rationale=rationale,
        drivers=("compliance", "services", "data"),
        alternatives=tuple(alternatives),
    )


__all__ = ["lock_backups", "regime_settings", "secure_defaults", "security_components", "security_decision"]
