"""CloudFormation for the container-service blueprint's data, DNS and compliance kinds.

RDS for PostgreSQL and MySQL, ElastiCache for Valkey, the AWS Config recorder (archgen.render.cloudformation
.databases and .compliance) and the global Route 53 stack (.dns): lint-clean, checkov-clean, and the secure
defaults and DR resources the Terraform has. Each Region root is rendered through ``region_stack`` on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from archgen.design import Component, Design
from archgen.render.cloudformation import stack_paths
from archgen.render.cloudformation.databases import ENVIRONMENT_MAX, bounded_name
from archgen.render.cloudformation.dns import GLOBAL_PATH, global_stack
from archgen.render.cloudformation.network import zone_count
from archgen.render.cloudformation.region import region_stack
from archgen.render.cloudformation.stack import Stack, Template, dump
from archgen.render.terraform import Root, roots_of
from archgen.security_data import security_data
from tests.conftest import EXAMPLES
from tests.test_cloudformation import cfn_lint, design_of
from tests.validators import checkov

CASES = ("orders-api", "nightly-reports")  # examples with RDS, ElastiCache or AWS Config
GLOBAL_CASES = ("orders-api", "global-catalog")  # examples with a route53-zone
KEY_ARN = {"Fn::GetAtt": ["Key", "Arn"]}
VPC_CIDR = {"Fn::GetAtt": ["Vpc", "CidrBlock"]}


def region_templates(design: Design) -> dict[str, tuple[Root, Template]]:
    """path → (root, template) of every Region root, as far as the builders go."""
    return {f"{root.purpose}/{root.region}": (root, region_stack(root)) for root in roots_of(design)}


def write(templates: dict[str, Template], out: Path) -> list[Path]:
    paths = []
    for name, template in templates.items():
        path = out / name / "template.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(template), encoding="utf-8")
        paths.append(path)
    return paths


def all_templates(case: str) -> dict[str, Template]:
    design = design_of(EXAMPLES / f"{case}.yaml")
    templates = {path: template for path, (_, template) in region_templates(design).items()}
    routing = global_stack(design)
    if routing is not None:
        templates["prod/global"] = routing
    return templates


def of_type(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def lint_templates(case: str) -> dict[str, Template]:
    """The templates of an example this module checks (global-catalog: its global stack; its Region roots have
    kinds the CloudFormation target does not cover yet)."""
    if case in CASES:
        return all_templates(case)
    return {"prod/global": _global(case)}


@pytest.mark.parametrize("case", sorted(set(CASES) | set(GLOBAL_CASES)))
def test_cfn_lint_finds_nothing(case: str, tmp_path: Path) -> None:
    assert cfn_lint(write(lint_templates(case), tmp_path)) == ""


@pytest.mark.slow
def test_checkov_finds_nothing(tmp_path: Path) -> None:
    for case in sorted(set(CASES) | set(GLOBAL_CASES)):
        write(lint_templates(case), tmp_path / case)
    assert checkov(tmp_path, ["cloudformation"]) == []


def _global(case: str) -> Template:
    template = global_stack(design_of(EXAMPLES / f"{case}.yaml"))
    assert template is not None
    return template


def _component(design: Design, kind: str, region: str) -> Component:
    return next(c for c in design.components if c.kind == kind and c.region == region)


@pytest.mark.parametrize("case", CASES)
def test_databases_are_private_encrypted_and_multi_az_as_designed(case: str) -> None:
    design = design_of(EXAMPLES / f"{case}.yaml")
    seen = 0
    for root, template in region_templates(design).values():
        for name, db in of_type(template, "AWS::RDS::DBInstance").items():
            seen += 1
            c = next(c for c in root.components if c.kind.startswith("rds-") and name.startswith(_lid(c.id)))
            p = db["Properties"]
            assert p["KmsKeyId"] == KEY_ARN
            assert p["PerformanceInsightsKMSKeyId"] == KEY_ARN
            assert p.get("StorageEncrypted", True) is True  # a replica inherits it (CloudFormation refuses it)
            assert p["PubliclyAccessible"] is False
            assert p["MultiAZ"] is bool(c.properties["multi_az"])  # exactly as the design says, never more
            assert p["EnableIAMDatabaseAuthentication"] is True
            assert p["DeletionProtection"] is True
            assert db["DeletionPolicy"] == "Snapshot"
            assert p["BackupRetentionPeriod"] == c.properties["backup_retention_days"]
            assert p["AllocatedStorage"] == str(c.properties["allocated_storage_gb"])
            assert p["MaxAllocatedStorage"] == c.properties["max_allocated_storage_gb"]
            assert p["DBInstanceClass"] == c.properties["instance_class"]
            if "SourceDBInstanceIdentifier" not in p:
                assert p["EngineVersion"] == c.properties["engine_version"]
                assert p["ManageMasterUserPassword"] is True
                assert p["MasterUserSecret"] == {"KmsKeyId": KEY_ARN}
            group = template["Resources"][p["DBSubnetGroupName"]["Ref"]]["Properties"]
            assert group["SubnetIds"] == [{"Ref": f"PrivateSubnet{i}"} for i in range(1, zone_count(root) + 1)]
            parameters = template["Resources"][p["DBParameterGroupName"]["Ref"]]["Properties"]["Parameters"]
            tls = "rds.force_ssl" if c.kind == "rds-postgresql" else "require_secure_transport"
            assert parameters[tls] == "1"
    assert seen >= 2


def _lid(component_id: str) -> str:
    return "".join(part.capitalize() for part in component_id.split("-"))


@pytest.mark.parametrize("case", CASES)
def test_data_stores_admit_their_port_from_the_vpc_only(case: str) -> None:
    design = design_of(EXAMPLES / f"{case}.yaml")
    for _, template in region_templates(design).values():
        for name, group in of_type(template, "AWS::EC2::SecurityGroup").items():
            if not name.startswith("Data"):
                continue
            port = 6379 if "Sessions" in name else (5432 if "Orders" in name else 3306)
            (rule,) = group["Properties"]["SecurityGroupIngress"]
            assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", port, port)
            assert rule["CidrIp"] == VPC_CIDR
            (egress,) = group["Properties"]["SecurityGroupEgress"]
            assert egress["CidrIp"] == "255.255.255.255/32"  # matches nothing: no egress, as in the Terraform


def test_caches_encrypt_and_fail_over_exactly_as_designed() -> None:
    design = design_of(EXAMPLES / "orders-api.yaml")
    templates = region_templates(design)
    for region, replicas in (("eu-west-1", 1), ("eu-west-3", 0)):
        _, template = templates[f"prod/{region}"]
        (group,) = of_type(template, "AWS::ElastiCache::ReplicationGroup").values()
        p = group["Properties"]
        assert _component(design, "elasticache-valkey", region).properties["replicas"] == replicas
        assert p["NumCacheClusters"] == 1 + replicas
        assert p["AutomaticFailoverEnabled"] is p["MultiAZEnabled"] is (replicas > 0)
        assert p["AtRestEncryptionEnabled"] is True
        assert p["KmsKeyId"] == KEY_ARN
        assert p["TransitEncryptionEnabled"] is True
        assert p["TransitEncryptionMode"] == "required"
        assert p["Engine"] == "valkey"
        assert p["SnapshotRetentionLimit"] == 7
        assert group["DeletionPolicy"] == "Snapshot"
        (user,) = of_type(template, "AWS::ElastiCache::User").values()
        assert user["Properties"]["AuthenticationMode"] == {"Type": "iam"}  # no shared AUTH token


def test_pilot_light_recovery_database_is_a_read_replica_wired_by_parameter() -> None:
    design = design_of(EXAMPLES / "orders-api.yaml")
    templates = region_templates(design)
    _, primary = templates["prod/eu-west-1"]
    _, recovery = templates["prod/eu-west-3"]
    assert "DataOrdersArn" in primary["Outputs"]
    (name,) = of_type(recovery, "AWS::RDS::DBInstance")
    replica = recovery["Resources"][name]
    assert replica["Properties"]["SourceDBInstanceIdentifier"] == {"Ref": "DataOrdersArn"}
    assert "Engine" not in replica["Properties"]
    assert "MasterUsername" not in replica["Properties"]
    # named like the primary's output; empty until the primary exists, the replica comes with the update
    assert recovery["Parameters"]["DataOrdersArn"]["Default"] == ""
    assert replica["Condition"] == "ReplicatesDataOrders"
    assert "archgen:backup" not in {t["Key"] for t in replica["Properties"]["Tags"]}  # AWS Backup cannot
    assert "archgen:backup" in {t["Key"] for t in primary["Resources"]["DataOrdersDatabase"]["Properties"]["Tags"]}


def test_backup_and_restore_creates_the_database_only_in_the_restore_stack() -> None:
    design = design_of(EXAMPLES / "nightly-reports.yaml")
    templates = region_templates(design)
    assert of_type(templates["prod/ca-central-1"][1], "AWS::RDS::DBInstance")
    assert not of_type(templates["prod/us-east-1"][1], "AWS::RDS::DBInstance")
    _, restore = templates["restore/us-east-1"]
    (db,) = of_type(restore, "AWS::RDS::DBInstance").values()
    assert db["Properties"]["DBSnapshotIdentifier"] == {"Ref": "DataStagingRecoverySnapshotArn"}
    assert "Default" not in restore["Parameters"]["DataStagingRecoverySnapshotArn"]  # required: a disaster's input
    assert db["Properties"]["MultiAZ"] is True


def test_config_recorder_is_switchable_and_has_the_designs_rules() -> None:
    design = design_of(EXAMPLES / "orders-api.yaml")
    rules = security_data().config_rules
    for path, (root, template) in region_templates(design).items():
        (c,) = root.components_of_kind("config-recorder")
        assert template["Parameters"]["ConfigEnabled"]["Default"] == "true"
        config = {
            name: r
            for name, r in template["Resources"].items()
            if r["Type"].startswith("AWS::Config::") or name.startswith("Config")
        }
        assert all(r["Condition"] == "ConfigRecording" for r in config.values()), path
        (recorder,) = of_type(template, "AWS::Config::ConfigurationRecorder").values()
        group = recorder["Properties"]["RecordingGroup"]
        assert group["IncludeGlobalResourceTypes"] is bool(c.properties["include_global_resource_types"])
        (channel,) = of_type(template, "AWS::Config::DeliveryChannel").values()
        assert channel["Properties"]["S3KmsKeyArn"] == KEY_ARN
        bucket = template["Resources"]["ConfigBucket"]["Properties"]
        encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert encryption["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == KEY_ARN
        found = sorted(
            r["Properties"]["Source"]["SourceIdentifier"] for r in of_type(template, "AWS::Config::ConfigRule").values()
        )
        assert found == sorted(rules[str(rule)].source for rule in c.properties["rules"])  # type: ignore[union-attr]


@pytest.mark.parametrize(("case", "routing"), [("orders-api", "Failover"), ("global-catalog", "Region")])
def test_global_stack_routes_as_the_terraform_global_root(case: str, routing: str) -> None:
    design = design_of(EXAMPLES / f"{case}.yaml")
    template = _global(case)
    dns = next(c for c in design.components if c.kind == "route53-zone")
    assert template["Metadata"]["archgen"]["region"] == design.regions[1]  # the recovery Region
    checks = of_type(template, "AWS::Route53::HealthCheck")
    records = of_type(template, "AWS::Route53::RecordSet")
    assert len(checks) == len(records) == 2
    for check in checks.values():
        config = check["Properties"]["HealthCheckConfig"]
        assert (config["Type"], config["Port"], config["EnableSNI"]) == ("HTTPS", 443, True)
        assert config["RequestInterval"] == dns.properties["health_check_interval_seconds"]
        assert config["FailureThreshold"] == dns.properties["failure_threshold"]
    values = {r["Properties"][routing] for r in records.values()}
    assert values == ({"PRIMARY", "SECONDARY"} if routing == "Failover" else set(design.regions))
    assert all(r["Properties"]["TTL"] == str(dns.properties["dns_ttl_seconds"]) for r in records.values())
    paths = stack_paths(design)
    assert paths.index((f"{GLOBAL_PATH}/template.yaml", design.regions[1])) > paths.index(
        (f"cloudformation/prod/{design.regions[1]}/template.yaml", design.regions[1])
    )


def test_designs_without_routing_have_no_global_stack() -> None:
    design = design_of(EXAMPLES / "nightly-reports.yaml")
    assert global_stack(design) is None
    assert all("global" not in path for path, _ in stack_paths(design))


@pytest.mark.parametrize("case", CASES)
def test_names_fit_their_limits_with_the_longest_environment(case: str) -> None:
    design = design_of(EXAMPLES / f"{case}.yaml")
    stack = Stack(design, "names", design.primary_region)
    for c in design.components:
        for stem, limit in ((c.id, 63), (c.id, 40), (f"{c.id}-app", 40)):
            name = bounded_name(stack, stem, limit)
            text = name["Fn::Sub"] if isinstance(name, dict) else name
            assert len(text.replace("${Environment}", "e" * ENVIRONMENT_MAX)) <= limit, text


def test_templates_dump_as_yaml() -> None:
    for case in CASES:
        for template in all_templates(case).values():
            assert yaml.safe_load(dump(template))["Resources"]
