"""The CloudFormation target (issue 8): lint-clean, checkov-clean, deterministic, injection-safe.

Covered blueprints are listed in archgen.render.cloudformation.COVERED_BLUEPRINTS; every other design is refused
with a clear error rather than rendered as half a stack.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from archgen import design_from_spec, load_spec, render_files
from archgen.design import Design
from archgen.errors import UserError
from archgen.render import DEFAULT_TARGETS, parse_targets
from archgen.render.cloudformation import EDGE_PATH, render_cloudformation, stack_paths
from tests.conftest import EXAMPLES
from tests.validators import checkov

# examples whose blueprint the CloudFormation target covers (marketing-site: all but its Cloudflare zone)
COVERED = (
    "docs-site",
    "notes-api",
    "order-events",
    "marketing-site",
    "orders-api",
    "nightly-reports",
    "global-catalog",
    "clickstream",
)
NOT_COVERED = ("payments-platform",)
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
TARGETS = parse_targets("cloudformation")
# types without a Tags property in CloudFormation
UNTAGGABLE = frozenset(
    {
        "AWS::KMS::Alias",
        "AWS::S3::BucketPolicy",
        "AWS::Backup::BackupSelection",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::WAFv2::LoggingConfiguration",
        "AWS::Lambda::Permission",
        "AWS::ApiGatewayV2::Integration",
        "AWS::ApiGatewayV2::Route",
        "AWS::ApiGatewayV2::ApiMapping",
        "AWS::SQS::QueuePolicy",
        "AWS::Logs::LogStream",
        "AWS::IAM::Policy",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::Config::ConfigRule",
        "AWS::Config::ConfigurationRecorder",
        "AWS::Config::DeliveryChannel",
        "AWS::EC2::Route",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::Route53::RecordSet",
        "Custom::RestrictDefaultSecurityGroup",  # its properties go to the function, not to a taggable resource
    }
)


def design_of(path: Path) -> Design:
    _, design = design_from_spec(load_spec(path))
    return design


def write(files: dict[str, str], out: Path) -> list[Path]:
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    return sorted(out.glob("cloudformation/**/template.yaml"))


def cfn_lint(templates: list[Path]) -> str:
    """cfn-lint's findings (errors, warnings and informational), empty when there are none."""
    result = subprocess.run(
        [str(CFN_LINT), "--format", "parseable", *map(str, templates)], capture_output=True, text=True, check=False
    )
    assert result.returncode in {0, 2, 4, 6, 8, 10, 12, 14}, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("case", COVERED)
def test_cfn_lint_finds_nothing(case: str, tmp_path: Path) -> None:
    templates = write(render_cloudformation(design_of(EXAMPLES / f"{case}.yaml")), tmp_path)
    assert len(templates) >= 2
    assert cfn_lint(templates) == ""


@pytest.mark.slow
@pytest.mark.parametrize("case", COVERED)
def test_checkov_finds_nothing(case: str, tmp_path: Path) -> None:
    write(render_cloudformation(design_of(EXAMPLES / f"{case}.yaml")), tmp_path)
    failures = checkov(tmp_path, ["cloudformation"])
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in failures] == []


@pytest.mark.parametrize("case", COVERED)
def test_rendering_is_deterministic(case: str) -> None:
    first = render_files(design_of(EXAMPLES / f"{case}.yaml"), TARGETS)
    second = render_files(design_of(EXAMPLES / f"{case}.yaml"), TARGETS)
    assert first == second
    assert any(name.startswith("cloudformation/") for name in first)


@pytest.mark.parametrize("case", COVERED)
def test_default_targets_have_no_cloudformation(case: str) -> None:
    files = render_files(design_of(EXAMPLES / f"{case}.yaml"), DEFAULT_TARGETS)
    assert not any(name.startswith("cloudformation/") for name in files)


def test_one_stack_per_region_root_plus_the_edge() -> None:
    design = design_of(EXAMPLES / "docs-site.yaml")
    files = render_cloudformation(design)
    paths = stack_paths(design)
    assert [path for path, _ in paths] == [
        "cloudformation/prod/eu-west-1/template.yaml",
        f"{EDGE_PATH}/template.yaml",
        "cloudformation/prod/eu-west-3/template.yaml",
        "cloudformation/restore/eu-west-3/template.yaml",
    ]
    assert set(files) == {path for path, _ in paths} | {"cloudformation/README.md"}
    primary = yaml.safe_load(files["cloudformation/prod/eu-west-1/template.yaml"])
    key = primary["Resources"]["Key"]["Properties"]
    assert key["EnableKeyRotation"] is True
    site = primary["Resources"]["SiteBucket"]["Properties"]
    assert site["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert site["VersioningConfiguration"] == {"Status": "Enabled"}
    assert site["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]},
    }
    assert "LoggingConfiguration" in site
    assert primary["Parameters"]["Environment"]["AllowedPattern"]


@pytest.mark.parametrize("case", COVERED)
def test_every_taggable_resource_has_the_terraform_tags(case: str) -> None:
    for name, text in render_cloudformation(design_of(EXAMPLES / f"{case}.yaml")).items():
        if not name.endswith(".yaml"):
            continue
        for logical, resource in yaml.safe_load(text)["Resources"].items():
            properties = resource["Properties"]
            tags = properties.get("Tags")
            if isinstance(tags, dict):  # API Gateway v2 takes tags as a map
                tags = [{"Key": key} for key in tags]
            tags = properties.get("HealthCheckTags", tags)
            for name_of_map in ("BackupVaultTags", "BackupPlanTags"):
                if name_of_map in properties:
                    tags = [{"Key": key} for key in properties[name_of_map]]
            if resource["Type"] == "AWS::DynamoDB::GlobalTable":  # tagged per replica
                tags = properties["Replicas"][0]["Tags"]
            if tags is None:
                assert resource["Type"] in UNTAGGABLE, (name, logical)
                continue
            keys = [tag["Key"] for tag in tags]
            expected = ["archgen:service", "archgen:environment", "archgen:blueprint", "managed-by", "generated-by"]
            assert keys[:5] == expected, (name, logical)


def test_pilot_light_copies_live_to_the_recovery_region() -> None:
    """order-events: the global table replica, S3 replication with RTC and backup copies, wired by parameters."""
    design = design_of(EXAMPLES / "order-events.yaml")
    files = render_cloudformation(design)
    assert [path for path, _ in stack_paths(design)] == [
        "cloudformation/prod/ap-southeast-2/template.yaml",
        "cloudformation/prod/ap-southeast-1/template.yaml",
    ]
    primary = yaml.safe_load(files["cloudformation/prod/ap-southeast-2/template.yaml"])
    recovery = yaml.safe_load(files["cloudformation/prod/ap-southeast-1/template.yaml"])
    resources = primary["Resources"]
    # parameters of the primary are named like the recovery stack's outputs
    for wiring in ("RecoveryKmsKeyArn", "LakeRecoveryArn", "BackupCopyVaultArn"):
        assert primary["Parameters"][wiring]["Default"] == ""
        assert primary["Parameters"][wiring]["AllowedPattern"]
        assert wiring in recovery["Outputs"]
    table = resources["DataFulfilmentTable"]
    assert table["Type"] == "AWS::DynamoDB::GlobalTable"
    local, remote = table["Properties"]["Replicas"]
    assert local["Region"] == {"Ref": "AWS::Region"}
    assert local["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert remote["Fn::If"][0] == "HasRecoveryKey"
    assert remote["Fn::If"][1]["Region"] == "ap-southeast-1"
    assert remote["Fn::If"][1]["SSESpecification"] == {"KMSMasterKeyId": {"Ref": "RecoveryKmsKeyArn"}}
    assert not any(r["Type"].startswith("AWS::DynamoDB::") for r in recovery["Resources"].values())
    rule = resources["LakeBucket"]["Properties"]["ReplicationConfiguration"]["Fn::If"][1]["Rules"][0]
    assert rule["Destination"]["ReplicationTime"] == {"Status": "Enabled", "Time": {"Minutes": 15}}
    assert rule["Destination"]["EncryptionConfiguration"] == {"ReplicaKmsKeyID": {"Ref": "RecoveryKmsKeyArn"}}
    assert resources["LakeReplicationRole"]["Condition"] == "ReplicatesLake"
    plan = resources["BackupsPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"][0]
    assert plan["CopyActions"]["Fn::If"][0] == "CopiesBackups"
    queue = resources["QueueQueue"]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queue["KmsMasterKeyId"] == {"Fn::GetAtt": ["Key", "Arn"]}
    stream = resources["LakeDeliveryDeliveryStream"]["Properties"]
    assert stream["DeliveryStreamEncryptionConfigurationInput"]["KeyType"] == "CUSTOMER_MANAGED_CMK"
    assert stream["ExtendedS3DestinationConfiguration"]["BucketARN"] == {"Fn::GetAtt": ["LakeBucket", "Arn"]}
    assert "LakeRecoveryDeliveryStream" not in recovery["Resources"]
    assert "LakeDeliveryRecoveryDeliveryStream" in recovery["Resources"]


def test_uncovered_blueprint_is_refused_clearly() -> None:
    for case in NOT_COVERED:
        design = design_of(EXAMPLES / f"{case}.yaml")
        with pytest.raises(UserError, match=f"not available for {design.name} \\({design.blueprint} blueprint\\) yet"):
            render_cloudformation(design)


def test_target_option_is_validated() -> None:
    assert parse_targets("terraform,cloudformation") == ("docs", "diagrams", "terraform", "cloudformation")
    with pytest.raises(UserError, match="--target"):
        parse_targets("pulumi")


INJECTION = "Docs \"quoted\" 'single'\n!Ref Evil\n${AWS::AccountId} {a: b} [c]\n- item: x\n# not a comment"


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_free_text_stays_a_plain_string(tmp_path: Path) -> None:
    text = (EXAMPLES / "docs-site.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("description:")]
    spec = tmp_path / "spec.yaml"
    spec.write_text("\n".join([*lines, f"description: {yaml.safe_dump(INJECTION).strip()}", ""]), encoding="utf-8")
    design = design_of(spec)
    assert design.description == INJECTION
    files = render_cloudformation(design)
    for name, body in files.items():
        if not name.endswith(".yaml"):
            continue
        template = yaml.safe_load(body)  # a !Ref tag would make the safe loader fail
        assert template["Metadata"]["archgen"]["description"] == INJECTION
        assert "Evil" not in str(template["Resources"])
        assert [s for s in _strings(template) if "Evil" in s] == [INJECTION]
    assert cfn_lint(write(files, tmp_path / "out")) == ""


def test_vault_lock_under_a_regime_that_asks_for_it(tmp_path: Path) -> None:
    """PCI DSS asks for immutable backups: every vault gets Vault Lock in governance mode, as the Terraform's."""
    spec = (
        (EXAMPLES / "orders-api.yaml")
        .read_text(encoding="utf-8")
        .replace("compliance: [gdpr]", "compliance: [pci-dss]")
    )
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    design = design_of(tmp_path / "spec.yaml")
    templates = write(render_cloudformation(design), tmp_path / "out")
    vaults = [
        resource
        for path in templates
        for resource in yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"].values()
        if resource["Type"] == "AWS::Backup::BackupVault"
    ]
    assert len(vaults) == 2  # the primary's and the recovery Region's
    for vault in vaults:
        # governance mode: no ChangeableForDays, which would turn it into compliance mode after the grace period
        assert vault["Properties"]["LockConfiguration"] == {"MinRetentionDays": 35, "MaxRetentionDays": 3650}
    assert cfn_lint(templates) == ""
    gdpr = write(render_cloudformation(design_of(EXAMPLES / "orders-api.yaml")), tmp_path / "gdpr")
    assert "LockConfiguration" not in "".join(path.read_text(encoding="utf-8") for path in gdpr)
