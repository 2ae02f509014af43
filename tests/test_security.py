"""The security overlay: the audit trail, the GuardDuty detectors, AWS Config and the image repositories every design
gets, what each compliance regime raises, and how they reach the Terraform (parsed with python-hcl2, never grepped),
the security_baseline decision and the cost.

Designs are planned in memory (examples with their ``compliance:`` line replaced) and cached; no tool runs here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

import hcl2
import pytest

from archgen import UserError, design_from_spec, parse_spec
from archgen.design import Component, Design
from archgen.plan.security import regime_settings
from archgen.render.escape import tf_name
from archgen.render.terraform import render_terraform
from archgen.security_data import security_data
from tests.conftest import EXAMPLES

EXAMPLE_NAMES = tuple(sorted(path.stem for path in EXAMPLES.glob("*.yaml")))
REGIMES = ("pci-dss", "hipaa", "soc2", "gdpr")
CONTAINER_KINDS = ("ecs-service", "ec2-autoscaling-group", "k8s-deployment")
RELATIONAL_KINDS = ("rds-postgresql", "rds-mysql", "aurora-postgresql", "aurora-mysql")
RUNTIME_FLAGS = {  # a detector's Runtime Monitoring flag → the kind it watches
    "eks": "eks-cluster",
    "ecs_fargate_runtime_monitoring": "ecs-service",
    "ec2_runtime_monitoring": "ec2-autoscaling-group",
}
ROOT_FILES = ("main.tf", "variables.tf")
RAISED_PHRASES = {  # what the security_baseline rationale says for each setting a regime may raise
    "runtime_monitoring": "Runtime Monitoring",
    "enhanced_image_scanning": "image scanning",
    "backup_vault_lock": "locked backup vault",
}
ADDED_BY_REGIMES = ("config/", "inspector/", "guardduty/runtime")  # cost items a regime adds to the baseline

# A steady fleet large enough for EC2 instances (the only way to get ec2-autoscaling-group components).
EC2_SPEC = """\
name: fleet
workload: web-api
traffic:
  peak_rps: 5000
  average_rps: 4000
availability:
  slo: 99.9
  rto: 1h
  rpo: 15m
regions:
  primary: us-east-1
data:
  - name: items
    kind: key-value
services:
  - {name: api, port: 8080, public: true}
  - {name: worker, port: 8080}
"""

# Data residency in one Region: no recovery Region at all.
SINGLE_REGION_SPEC = """\
name: solo
workload: web-api
traffic:
  peak_rps: 100
availability:
  slo: 99.9
  rto: 4h
  rpo: 1h
regions:
  primary: us-east-1
  allowed: [us-east-1]
"""

INLINE = {"ec2-fleet": EC2_SPEC, "single-region": SINGLE_REGION_SPEC}
ALL_CASES = EXAMPLE_NAMES + tuple(INLINE)
STRICT = ("pci-dss", "hipaa")  # the regimes that raise the most: most Terraform tests render with these


# -- helpers -----------------------------------------------------------------------------------------------------------
def _text(case: str) -> str:
    return INLINE[case] if case in INLINE else (EXAMPLES / f"{case}.yaml").read_text(encoding="utf-8")


@cache
def design(case: str, regimes: tuple[str, ...] | None = None) -> Design:
    """The design of an example (or inline spec), with its compliance replaced by ``regimes`` unless None."""
    text = _text(case)
    if regimes is not None:
        lines = [line for line in text.splitlines() if not line.startswith("compliance:")]
        text = "\n".join([*lines, f"compliance: [{', '.join(regimes)}]", ""])
    return design_from_spec(parse_spec(text, f"{case}.yaml"))[1]


def of_kind(d: Design, kind: str, region: str | None = None) -> list[Component]:
    return [c for c in d.components if c.kind == kind and (region is None or c.region == region)]


def rules_of(recorder: Component) -> tuple[str, ...]:
    rules = recorder.properties["rules"]
    assert isinstance(rules, tuple)
    return rules


def running_kinds(d: Design, region: str) -> set[str]:
    """Kinds of the components that run (are not dormant) in ``region``."""
    return {c.kind for c in d.components if c.region == region and not c.properties.get("dormant")}


def asks(regimes: tuple[str, ...], setting: str) -> bool:
    return any(getattr(s, setting) for s in regime_settings(regimes))


def _clean(value: Any) -> Any:
    """python-hcl2 output without its quoting and block markers: keys and string literals unquoted."""
    if isinstance(value, dict):
        return {_unquote(k): _clean(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return _unquote(value) if isinstance(value, str) else value


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


@cache
def roots(case: str, regimes: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    """Every root folder (``prod/<region>``, ``restore/<region>``, ``prod/global``) → the modules and variables of its
    main.tf and variables.tf (where every root keeps them)."""
    merged: dict[str, dict[str, Any]] = {}
    for name, text in render_terraform(design(case, regimes)).items():
        parts = name.split("/")
        if len(parts) != 4 or parts[0] != "terraform" or parts[1] == "modules" or parts[3] not in ROOT_FILES:
            continue
        root = merged.setdefault(f"{parts[1]}/{parts[2]}", {"module": {}, "variable": {}})
        for block, entries in _clean(hcl2.loads(text)).items():
            if block in ("module", "variable"):
                for entry in entries:
                    root[block].update(entry)
    return merged


def modules_from(root: Mapping[str, Any], source: str) -> dict[str, Any]:
    return {k: v for k, v in root["module"].items() if v["source"] == f"../../modules/{source}"}


def conformance_rules(template_body: str) -> dict[str, Any]:
    """The Resources of a conformance pack's ``yamlencode({...})`` template body, parsed as the HCL object it is."""
    match = re.fullmatch(r"\$\{yamlencode\((\{.*\})\)\}", template_body, re.DOTALL)
    assert match, template_body[:200]
    resources = _clean(hcl2.loads(f"pack = {match.group(1)}\n"))["pack"]["Resources"]
    assert isinstance(resources, dict)
    return resources


def expected_rules(d: Design, region: str) -> set[str]:
    """The documented contract of data/security.yaml: named regime, `when` kinds run in the Region, account rules in
    the primary Region only."""
    kinds = running_kinds(d, region)
    named = set(d.requirements.compliance)
    return {
        name
        for name, rule in security_data().config_rules.items()
        if named & set(rule.regimes)
        and (not rule.when or set(rule.when) & kinds)
        and (region == d.primary_region or not rule.account)
    }


# -- the components ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL_CASES)
def test_one_trail_in_the_primary_region(case: str) -> None:
    d = design(case)
    trails = of_kind(d, "cloudtrail")
    assert len(trails) == 1
    assert trails[0].region == d.primary_region
    assert trails[0].id == "audit"


@pytest.mark.parametrize("case", ALL_CASES)
def test_one_detector_per_region(case: str) -> None:
    d = design(case)
    regions = Counter(c.region for c in of_kind(d, "guardduty-detector"))
    assert regions == Counter(d.regions)


def test_single_region_design_has_one_detector_and_no_recovery_copies() -> None:
    d = design("single-region", ("pci-dss",))
    assert d.regions == ("us-east-1",)
    assert [c.id for c in of_kind(d, "guardduty-detector")] == ["threat-detection"]
    assert [c.id for c in of_kind(d, "config-recorder")] == ["config"]
    assert of_kind(d, "config-recorder")[0].properties["include_global_resource_types"] is True


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("regimes", [(), ("gdpr",), ("pci-dss", "soc2")])
def test_config_recorder_per_region_only_when_a_regime_is_named(case: str, regimes: tuple[str, ...]) -> None:
    d = design(case, regimes)
    recorders = of_kind(d, "config-recorder")
    if regimes:
        assert Counter(c.region for c in recorders) == Counter(d.regions)
        globals_ = {c.region for c in recorders if c.properties["include_global_resource_types"] is True}
        assert globals_ == {d.primary_region}  # IAM recorded (and billed) once
    else:
        assert recorders == []


def test_examples_as_written_record_configuration_only_with_compliance() -> None:
    with_config = {case for case in EXAMPLE_NAMES if of_kind(design(case), "config-recorder")}
    assert with_config == {case for case in EXAMPLE_NAMES if design(case).requirements.compliance}
    assert {"orders-api", "payments-platform"} <= with_config


@pytest.mark.parametrize("case", ALL_CASES)
def test_one_image_repository_per_container_service_per_region(case: str) -> None:
    d = design(case)
    for region in d.regions:
        services = sorted(str(c.properties["service"]) for kind in CONTAINER_KINDS for c in of_kind(d, kind, region))
        repos = of_kind(d, "ecr-repository", region)
        assert sorted(str(r.properties["image"]) for r in repos) == services, region
        suffix = "" if region == d.primary_region else "-recovery"
        assert sorted(r.id for r in repos) == sorted(f"images-{s}{suffix}" for s in services)
        assert all(r.properties["keep_images"] == security_data().baseline.keep_images for r in repos)
    assert of_kind(d, "ecr-repository") == [] or any(of_kind(d, kind) for kind in CONTAINER_KINDS)


@pytest.mark.parametrize(("case", "kind"), [("clickstream", "ecs-service"), ("payments-platform", "k8s-deployment")])
def test_container_examples_have_repositories(case: str, kind: str) -> None:
    d = design(case)
    assert of_kind(d, kind)
    assert len(of_kind(d, "ecr-repository")) == len(of_kind(d, kind))


def test_ec2_services_have_repositories() -> None:
    d = design("ec2-fleet")
    assert {c.id for c in of_kind(d, "ec2-autoscaling-group")} == {"api", "worker", "api-recovery", "worker-recovery"}
    assert {c.id for c in of_kind(d, "ecr-repository")} == {
        "images-api",
        "images-worker",
        "images-api-recovery",
        "images-worker-recovery",
    }


@pytest.mark.parametrize("case", ["notes-api", "order-events"])
def test_lambda_only_designs_have_no_repositories(case: str) -> None:
    d = design(case, REGIMES)
    assert of_kind(d, "lambda-function")
    assert of_kind(d, "ecr-repository") == []
    assert not any("image-scanning" in rules_of(c) for c in of_kind(d, "config-recorder"))


@pytest.mark.parametrize("case", ALL_CASES)
def test_detector_protection_plans_follow_what_the_region_runs(case: str) -> None:
    d = design(case)
    for detector in of_kind(d, "guardduty-detector"):
        kinds = running_kinds(d, detector.region)
        props = detector.properties
        assert props["s3_protection"] is ("s3-bucket" in kinds)
        assert props["rds_protection"] is bool(kinds & set(RELATIONAL_KINDS))
        assert props["lambda_protection"] is ("lambda-function" in kinds)
        assert props["finding_publishing_frequency"] == security_data().baseline.finding_publishing_frequency


# -- retention ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("regimes", "retention", "archive", "config_retention"),
    [
        ((), 365, None, None),
        (("gdpr",), 365, None, 365),
        (("soc2",), 365, None, 365),
        (("pci-dss",), 365, 90, 365),
        (("hipaa",), 2192, 90, 2192),
        (("pci-dss", "hipaa"), 2192, 90, 2192),
        (("gdpr", "hipaa"), 2192, 90, 2192),
        (("soc2", "gdpr"), 365, None, 365),
        (("gdpr", "pci-dss"), 365, 90, 365),
    ],
)
def test_audit_and_config_retention(
    regimes: tuple[str, ...], retention: int, archive: int | None, config_retention: int | None
) -> None:
    d = design("orders-api", regimes)
    (trail,) = of_kind(d, "cloudtrail")
    assert trail.properties["retention_days"] == retention
    assert trail.properties.get("archive_after_days") == archive
    assert trail.properties["cloudwatch_retention_days"] == security_data().baseline.audit_cloudwatch_retention_days
    assert f"{retention} days" in trail.role
    recorders = of_kind(d, "config-recorder")
    assert {c.properties["retention_days"] for c in recorders} == ({config_retention} if config_retention else set())


def test_combined_regimes_keep_the_longest_retention_in_any_order() -> None:
    for regimes in [("hipaa", "soc2"), ("soc2", "hipaa"), ("pci-dss", "gdpr", "hipaa", "soc2")]:
        (trail,) = of_kind(design("notes-api", regimes), "cloudtrail")
        longest = max(s.audit_retention_days or 0 for s in regime_settings(regimes))
        assert trail.properties["retention_days"] == longest == 2192
        archive = trail.properties["archive_after_days"]
        assert isinstance(archive, int)
        assert archive < longest


# -- Config rules ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("regimes", [("gdpr",), ("soc2",), ("pci-dss",), ("hipaa",), REGIMES])
def test_config_rules_follow_the_regimes_and_what_each_region_runs(case: str, regimes: tuple[str, ...]) -> None:
    d = design(case, regimes)
    rules = security_data().config_rules
    for recorder in of_kind(d, "config-recorder"):
        names = rules_of(recorder)
        assert len(set(names)) == len(names), f"{recorder.id}: a rule twice"
        assert set(names) <= set(rules)
        assert all(set(rules[n].regimes) & set(regimes) for n in names), f"{recorder.id}: a rule of another regime"
        primary = recorder.region == d.primary_region
        account = {n for n in names if rules[n].account}
        if primary:
            wanted = {n for n, r in rules.items() if r.account and set(r.regimes) & set(regimes)}
            assert account == wanted, f"{recorder.id}: account-wide rules"
        else:
            assert account == set(), f"{recorder.id}: account-wide rules outside the primary Region"
        assert set(names) == expected_rules(d, recorder.region), recorder.id
        assert f"{len(names)} managed rules" in recorder.role


def test_dynamodb_only_design_has_no_database_instance_rules() -> None:
    d = design("notes-api", REGIMES)
    assert not running_kinds(d, d.primary_region) & set(RELATIONAL_KINDS)
    (primary,) = of_kind(d, "config-recorder", d.primary_region)
    names = set(rules_of(primary))
    assert "dynamodb-point-in-time-recovery" in names
    assert not {"rds-storage-encrypted", "rds-not-public", "rds-backups"} & names
    assert not {"vpc-flow-logs", "ebs-encrypted", "load-balancer-https-only"} & names  # no VPC, instances or ALB


def test_gdpr_rules_on_a_relational_design() -> None:
    d = design("orders-api", ("gdpr",))
    for recorder in of_kind(d, "config-recorder"):
        names = set(rules_of(recorder))
        assert {"rds-storage-encrypted", "rds-not-public", "load-balancer-https-only"} <= names
        assert "rds-backups" not in names  # HIPAA and SOC 2 only
        assert "image-scanning" not in names  # not a GDPR rule, though orders-api has repositories
        assert "access-keys-rotated" not in names  # PCI DSS only
    (primary,) = of_kind(d, "config-recorder", d.primary_region)
    assert "cloudtrail-enabled" in rules_of(primary)


def test_pci_rules_on_a_container_design() -> None:
    d = design("payments-platform", ("pci-dss",))
    primary, recovery = (set(rules_of(of_kind(d, "config-recorder", r)[0])) for r in d.regions)
    assert {"access-keys-rotated", "image-scanning", "guardduty-enabled", "rds-not-public"} <= primary
    assert "access-keys-rotated" not in recovery
    assert {"image-scanning", "guardduty-enabled"} <= recovery  # the recovery Region's repositories and detector
    assert "s3-versioning" not in primary  # HIPAA and SOC 2 only


# -- what the regimes raise --------------------------------------------------------------------------------------------
def test_regimes_that_raise_the_baseline() -> None:
    assert {r for r in REGIMES if asks((r,), "runtime_monitoring")} == {"pci-dss", "hipaa"}
    assert {r for r in REGIMES if asks((r,), "enhanced_image_scanning")} == {"pci-dss", "hipaa"}
    assert {r for r in REGIMES if asks((r,), "backup_vault_lock")} == {"pci-dss", "hipaa", "soc2"}


@pytest.mark.parametrize("case", ["payments-platform", "clickstream", "ec2-fleet", "global-catalog", "notes-api"])
@pytest.mark.parametrize("regimes", [(), ("gdpr",), ("soc2",), ("pci-dss",), ("hipaa",), ("gdpr", "hipaa")])
def test_runtime_monitoring_only_under_regimes_that_ask(case: str, regimes: tuple[str, ...]) -> None:
    d = design(case, regimes)
    runtime = asks(regimes, "runtime_monitoring")
    for detector in of_kind(d, "guardduty-detector"):
        kinds = running_kinds(d, detector.region)
        for flag, kind in RUNTIME_FLAGS.items():
            assert detector.properties[flag] is (runtime and kind in kinds), f"{detector.id}: {flag}"


@pytest.mark.parametrize(
    ("case", "flag"),
    [
        ("payments-platform", "eks"),
        ("clickstream", "ecs_fargate_runtime_monitoring"),
        ("ec2-fleet", "ec2_runtime_monitoring"),
    ],
)
def test_each_kind_of_container_gets_runtime_monitoring_under_pci(case: str, flag: str) -> None:
    d = design(case, ("pci-dss",))
    (primary,) = of_kind(d, "guardduty-detector", d.primary_region)
    assert primary.properties[flag] is True
    assert "runtime behaviour" in primary.role
    assert of_kind(design(case, ()), "guardduty-detector", d.primary_region)[0].properties[flag] is False


@pytest.mark.parametrize("case", ["payments-platform", "clickstream", "ec2-fleet", "global-catalog"])
@pytest.mark.parametrize("regimes", [(), ("gdpr",), ("soc2",), ("pci-dss",), ("hipaa",)])
def test_enhanced_scanning_only_under_regimes_that_ask_and_only_in_the_primary(
    case: str, regimes: tuple[str, ...]
) -> None:
    d = design(case, regimes)
    repos = of_kind(d, "ecr-repository")
    assert repos
    enhanced = asks(regimes, "enhanced_image_scanning")
    for repo in repos:
        assert repo.properties["enhanced_scanning"] is (enhanced and repo.region == d.primary_region), repo.id


@pytest.mark.parametrize("case", ["orders-api", "payments-platform", "notes-api", "clickstream"])
@pytest.mark.parametrize(
    ("regimes", "locked"),
    [
        ((), False),
        (("gdpr",), False),
        (("pci-dss",), True),
        (("hipaa",), True),
        (("soc2",), True),
        (("gdpr", "soc2"), True),
    ],
)
def test_backup_vaults_locked_under_regimes_that_ask(case: str, regimes: tuple[str, ...], locked: bool) -> None:
    vaults = of_kind(design(case, regimes), "backup-vault")
    assert vaults
    for vault in vaults:
        assert vault.properties.get("locked", False) is locked, vault.id


# -- the rendered Terraform (parsed) -----------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL_CASES)
def test_trail_and_key_policy_in_the_primary_root_only(case: str) -> None:
    d = design(case)
    parsed = roots(case)
    primary = f"prod/{d.primary_region}"
    assert primary in parsed
    for folder, root in parsed.items():
        trails = modules_from(root, "audit-trail")
        kms = root["module"].get("kms")
        if folder == primary:
            assert list(trails) == ["audit"]
            assert root["variable"]["audit_trail_enabled"]["default"] is True
            assert trails["audit"]["enabled"] == "${var.audit_trail_enabled}"
            assert trails["audit"]["kms_key_arn"] == "${module.kms.key_arn}"
            policies = kms["policy_documents"]
            refs = re.findall(r"module\.([a-z0-9_]+)\.kms_key_policy_json", policies)
            assert refs == ["audit"], policies
            assert policies.startswith("${[for ")
            assert "!= null" in policies  # the trail's off switch leaves no null in the list
        else:
            assert trails == {}, folder
            assert "audit_trail_enabled" not in root["variable"], folder
            assert kms is None or "policy_documents" not in kms, folder


@pytest.mark.parametrize(("case", "regimes"), [("orders-api", None), ("notes-api", None), ("orders-api", STRICT)])
def test_trail_module_inputs_follow_the_component(case: str, regimes: tuple[str, ...] | None) -> None:
    d = design(case, regimes)
    (trail,) = of_kind(d, "cloudtrail")
    module = roots(case, regimes)[f"prod/{d.primary_region}"]["module"]["audit"]
    assert module["retention_days"] == trail.properties["retention_days"]
    assert module["archive_after_days"] == trail.properties.get("archive_after_days")  # null without an archive
    assert module["cloudwatch_logs_retention_days"] == trail.properties["cloudwatch_retention_days"]


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("regimes", [None, STRICT])
def test_each_root_declares_the_switches_of_what_it_holds(case: str, regimes: tuple[str, ...] | None) -> None:
    d = design(case, regimes)
    parsed = roots(case, regimes)
    regions_with_detector: list[str] = []
    for folder, root in parsed.items():
        purpose, region = folder.split("/")
        live = purpose == "prod" and region in d.regions
        detectors = modules_from(root, "guardduty")
        recorders = modules_from(root, "config-rules")
        assert sorted(detectors) == sorted(tf_name(c.id) for c in of_kind(d, "guardduty-detector", region) if live)
        assert sorted(recorders) == sorted(tf_name(c.id) for c in of_kind(d, "config-recorder", region) if live)
        assert ("threat_detection_enabled" in root["variable"]) is bool(detectors), folder
        assert ("config_enabled" in root["variable"]) is bool(recorders), folder
        for module in detectors.values():
            assert module["enabled"] == "${var.threat_detection_enabled}"
        for module in recorders.values():
            assert module["enabled"] == "${var.config_enabled}"
        regions_with_detector += [region] * len(detectors)
    assert sorted(regions_with_detector) == sorted(d.regions)  # restore and global roots hold none


@pytest.mark.parametrize("case", ["payments-platform", "clickstream", "ec2-fleet", "notes-api"])
@pytest.mark.parametrize("regimes", [None, STRICT])
def test_detector_module_inputs_follow_the_component(case: str, regimes: tuple[str, ...] | None) -> None:
    d = design(case, regimes)
    parsed = roots(case, regimes)
    for detector in of_kind(d, "guardduty-detector"):
        module = parsed[f"prod/{detector.region}"]["module"][tf_name(detector.id)]
        for key, value in detector.properties.items():
            assert module[key] == value, f"{detector.id}.{key}"


@pytest.mark.parametrize(
    ("case", "regimes"),
    [
        ("payments-platform", None),
        ("orders-api", None),
        ("notes-api", STRICT),
        ("ec2-fleet", STRICT),
        ("clickstream", ("soc2", "gdpr")),
    ],
)
def test_conformance_pack_holds_each_rule_of_the_recorder(case: str, regimes: tuple[str, ...] | None) -> None:
    d = design(case, regimes)
    data = security_data().config_rules
    parsed = roots(case, regimes)
    recorders = of_kind(d, "config-recorder")
    assert recorders
    for recorder in recorders:
        module = parsed[f"prod/{recorder.region}"]["module"][tf_name(recorder.id)]
        assert module["retention_days"] == recorder.properties["retention_days"]
        assert module["include_global_resource_types"] is recorder.properties["include_global_resource_types"]
        resources = conformance_rules(module["conformance_pack"]["template_body"])
        assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key) for key in resources), list(resources)  # logical ids
        by_name: dict[str, Any] = {}
        for body in resources.values():
            assert body["Type"] == "AWS::Config::ConfigRule"
            name = body["Properties"]["ConfigRuleName"]
            assert name.startswith("${local.name_prefix}-")
            by_name[name.removeprefix("${local.name_prefix}-")] = body["Properties"]
        names = rules_of(recorder)
        assert sorted(by_name) == sorted(names), recorder.id
        for rule_id, props in by_name.items():
            rule = data[rule_id]
            assert props["Source"] == {"Owner": "AWS", "SourceIdentifier": rule.source}, rule_id
            assert props.get("InputParameters", {}) == rule.params, rule_id
            assert props["Description"] == rule.why


@pytest.mark.parametrize("case", ALL_CASES)
@pytest.mark.parametrize("regimes", [None, STRICT])
def test_registry_scanning_at_most_once_per_root(case: str, regimes: tuple[str, ...] | None) -> None:
    d = design(case, regimes)
    for folder, root in roots(case, regimes).items():
        repos = modules_from(root, "ecr-repository")
        region = folder.split("/")[1]
        live = folder.startswith("prod/") and region in d.regions
        assert sorted(repos) == sorted(tf_name(c.id) for c in of_kind(d, "ecr-repository", region) if live), folder
        scanning = [m["registry_scanning"] for m in repos.values() if "registry_scanning" in m]
        assert len(scanning) <= 1, folder
        enhanced = any(c.properties["enhanced_scanning"] for c in of_kind(d, "ecr-repository", region) if live)
        assert bool(scanning) is enhanced, folder
        for block in scanning:
            assert block["scan_type"] == "ENHANCED"
            assert block["repository_filters"] == ["${local.name_prefix}/*"]  # this design's repositories only
        for name, module in repos.items():
            assert module["name"].startswith("${local.name_prefix}/"), name
            assert module["kms_key_arn"] == "${module.kms.key_arn}"


@pytest.mark.parametrize(("regimes", "locked"), [(None, False), (STRICT, True)])  # orders-api names gdpr
def test_vault_lock_rendered_only_for_locked_vaults(regimes: tuple[str, ...] | None, locked: bool) -> None:
    d = design("orders-api", regimes)
    parsed = roots("orders-api", regimes)
    vaults = of_kind(d, "backup-vault")
    assert vaults
    for vault in vaults:
        module = parsed[f"prod/{vault.region}"]["module"][tf_name(vault.id)]
        assert ("vault_lock" in module) is locked, vault.id
        if locked:
            assert module["vault_lock"]["min_retention_days"] == vault.properties["retention_days"]


# -- the decision ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL_CASES)
def test_security_baseline_decision_is_recorded(case: str) -> None:
    d = design(case)
    decision = d.decisions["security_baseline"]
    assert decision.choice.startswith("baseline")
    assert decision.rationale
    assert "compliance" in decision.drivers
    assert decision.alternatives
    assert all(a.choice and a.why_not for a in decision.alternatives)
    assert "CloudTrail" in decision.rationale
    assert "GuardDuty" in decision.rationale


@pytest.mark.parametrize("regimes", [("gdpr",), ("pci-dss", "soc2"), ("hipaa",), REGIMES])
def test_security_baseline_names_the_regimes(regimes: tuple[str, ...]) -> None:
    d = design("orders-api", regimes)
    decision = d.decisions["security_baseline"]
    assert decision.choice == f"baseline + {', '.join(regimes)}"
    for regime in regimes:
        assert regime in decision.rationale
    (trail,) = of_kind(d, "cloudtrail")
    assert f"{trail.properties['retention_days']} days" in decision.rationale
    archive = trail.properties.get("archive_after_days")
    assert (f"archived after {archive}" in decision.rationale) is (archive is not None)
    assert "AWS Config" in decision.rationale
    assert not any(a.choice == "AWS Config rules" for a in decision.alternatives)
    # orders-api runs ECS services and has backup vaults: each raised setting applies, and is said
    for setting, phrase in RAISED_PHRASES.items():
        assert (phrase in decision.rationale) is asks(regimes, setting), phrase


def test_security_baseline_without_a_regime() -> None:
    decision = design("orders-api", ()).decisions["security_baseline"]
    assert decision.choice == "baseline"
    assert not any(regime in decision.rationale for regime in REGIMES)
    assert any(a.choice == "AWS Config rules" for a in decision.alternatives)


def test_security_baseline_claims_only_what_the_design_has() -> None:
    d = design("notes-api", ("pci-dss",))
    assert of_kind(d, "ecr-repository") == []
    assert not any(d_.properties[f] for d_ in of_kind(d, "guardduty-detector") for f in RUNTIME_FLAGS)
    rationale = d.decisions["security_baseline"].rationale
    assert RAISED_PHRASES["enhanced_image_scanning"] not in rationale
    assert RAISED_PHRASES["runtime_monitoring"] not in rationale


# -- cost --------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL_CASES)
def test_every_security_component_is_priced(case: str) -> None:
    d = design(case)
    assert d.cost is not None
    totals: dict[str, float] = {}
    for line in d.cost.lines:
        totals[line.component] = totals.get(line.component, 0.0) + line.monthly_usd
    kinds = ("cloudtrail", "guardduty-detector", "ecr-repository", "config-recorder")
    priced = [c for kind in kinds for c in of_kind(d, kind)]
    assert len(priced) >= 1 + len(d.regions)
    for component in priced:
        assert totals.get(component.id, 0.0) > 0, f"{component.id} has no cost"
        regions = {line.region for line in d.cost.lines if line.component == component.id}
        assert regions == {component.region}, component.id


def test_regime_items_appear_only_under_regimes() -> None:
    plain = design("payments-platform", ())
    assert plain.cost is not None
    assert not [line for line in plain.cost.lines if line.item.startswith(ADDED_BY_REGIMES)]
    strict = design("payments-platform", ("pci-dss",))
    assert strict.cost is not None
    items = {line.item for line in strict.cost.lines}
    assert {"config/item", "config/evaluation", "inspector/image-scan", "guardduty/runtime"} <= items


def test_compliance_has_a_price_on_payments_platform() -> None:
    d = design("payments-platform")
    assert d.cost is not None
    regimes = ", ".join(d.requirements.compliance)
    (price,) = [r for r in d.cost.requirement_costs if r.requirement == f"compliance {regimes}"]
    assert price.relaxed_to == "none"
    assert price.monthly_usd > 0
    # relaxing compliance removes exactly what the regimes add: Config, Inspector scans, Runtime Monitoring
    added = sum(line.monthly_usd for line in d.cost.lines if line.item.startswith(ADDED_BY_REGIMES))
    assert price.monthly_usd == pytest.approx(added, abs=0.1)


@pytest.mark.parametrize("case", ALL_CASES)
def test_no_compliance_price_without_a_regime(case: str) -> None:
    d = design(case)
    assert d.cost is not None
    priced = [r for r in d.cost.requirement_costs if r.requirement.startswith("compliance")]
    assert bool(priced) is bool(d.requirements.compliance)


# -- names -------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("service", ["audit", "config", "threat-detection"])
def test_service_named_like_a_security_component(service: str) -> None:
    text = EC2_SPEC.replace("name: worker", f"name: {service}") + "compliance: [pci-dss]\n"
    try:
        d = design_from_spec(parse_spec(text))[1]
    except UserError as error:
        message = str(error)
    else:
        ids = [c.id for c in d.components]
        assert len(ids) == len(set(ids))
        return
    # rejected: then the message must say the name is one archgen uses itself
    reserved = message.partition("archgen itself adds")[2]
    assert re.search(rf"\b{re.escape(service)}\b", reserved), message
