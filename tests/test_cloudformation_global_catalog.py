"""CloudFormation of global-catalog: active/active, a PROVISIONED DynamoDB global table, buckets replicating both ways.

The whole design renders (every stack, not only the builders' parts the other CloudFormation tests check): each
template is cfn-lint and checkov clean, and the live copies are the Terraform's (dynamodb-table module with
replica_regions and autoscaling, the s3-bucket module's replication in both directions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from archgen.render.cloudformation import render_cloudformation
from tests.conftest import EXAMPLES
from tests.test_cloudformation import UNTAGGABLE, cfn_lint, design_of, write
from tests.validators import checkov

CASE = "global-catalog"
PRIMARY = "cloudformation/prod/us-east-1/template.yaml"
RECOVERY = "cloudformation/prod/us-east-2/template.yaml"


def files() -> dict[str, str]:
    return render_cloudformation(design_of(EXAMPLES / f"{CASE}.yaml"))


def template(path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(files()[path])
    return loaded


def test_cfn_lint_finds_nothing(tmp_path: Path) -> None:
    templates = write(files(), tmp_path)
    assert len(templates) == 4  # both Regions, the edge and the global (Route 53) stack
    assert cfn_lint(templates) == ""


@pytest.mark.slow
def test_checkov_finds_nothing(tmp_path: Path) -> None:
    write(files(), tmp_path)
    failures = checkov(tmp_path, ["cloudformation"])
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in failures] == []


def test_every_taggable_resource_has_the_terraform_tags() -> None:
    expected = ["archgen:service", "archgen:environment", "archgen:blueprint", "managed-by", "generated-by"]
    for name, text in files().items():
        if not name.endswith(".yaml"):
            continue
        for logical, resource in yaml.safe_load(text)["Resources"].items():
            properties = resource["Properties"]
            tags = properties.get("Tags")
            if isinstance(tags, dict):
                tags = [{"Key": key} for key in tags]
            for map_name in ("BackupVaultTags", "BackupPlanTags"):
                if map_name in properties:
                    tags = [{"Key": key} for key in properties[map_name]]
            if resource["Type"] == "AWS::DynamoDB::GlobalTable":
                tags = properties["Replicas"][0]["Tags"]
            if tags is None:
                continue  # untaggable types: checked by the other CloudFormation tests
            assert [tag["Key"] for tag in tags][:5] == expected, (name, logical)
    assert "AWS::S3::BucketPolicy" in UNTAGGABLE


def test_provisioned_global_table_scales_as_the_terraform() -> None:
    """Write scaling for the table, read scaling per replica, 70 % target between the design's bounds; each
    replica with its own Region's key, point-in-time recovery and deletion protection."""
    primary, recovery = template(PRIMARY), template(RECOVERY)
    table = primary["Resources"]["DataProductsTable"]
    assert table["Type"] == "AWS::DynamoDB::GlobalTable"
    assert table["DeletionPolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["BillingMode"] == "PROVISIONED"
    assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}
    write_scaling = properties["WriteProvisionedThroughputSettings"]["WriteCapacityAutoScalingSettings"]
    assert write_scaling == {
        "MinCapacity": 150,
        "MaxCapacity": 1143,
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70},
    }
    local, remote = properties["Replicas"]
    assert remote["Fn::If"][0] == "HasRecoveryKey"
    remote = remote["Fn::If"][1]
    assert remote["Region"] == "us-east-2"
    assert local["SSESpecification"] == {"KMSMasterKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}
    assert remote["SSESpecification"] == {"KMSMasterKeyId": {"Ref": "RecoveryKmsKeyArn"}}
    for replica in (local, remote):
        assert replica["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert replica["DeletionProtectionEnabled"] is True
        assert replica["ReadProvisionedThroughputSettings"]["ReadCapacityAutoScalingSettings"] == {
            "MinCapacity": 300,
            "MaxCapacity": 2286,
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70},
        }
    # the global table registers its own scaling: no Application Auto Scaling resources contend with it
    scaling = [
        name
        for name, r in primary["Resources"].items()
        if r["Type"].startswith("AWS::ApplicationAutoScaling::") and name.startswith("DataProducts")
    ]
    assert scaling == []
    assert "AWS::DynamoDB::Table" not in {r["Type"] for r in primary["Resources"].values()}
    assert not any(r["Type"].startswith("AWS::DynamoDB::") for r in recovery["Resources"].values())
    assert "RecoveryKmsKeyArn" in recovery["Outputs"]


def test_buckets_replicate_both_ways_wired_by_parameters() -> None:
    """Each Region's bucket replicates to the other's, re-encrypted with that Region's key, once its stack has the
    other stack's outputs as parameters of the same names."""
    primary, recovery = template(PRIMARY), template(RECOVERY)
    for stack, other, bucket, destination, key, condition in (
        (primary, recovery, "DataImages", "DataImagesRecoveryArn", "RecoveryKmsKeyArn", "HasRecoveryKey"),
        (recovery, primary, "DataImagesRecovery", "DataImagesArn", "PrimaryKmsKeyArn", "HasPrimaryKey"),
    ):
        for parameter in (destination, key):
            assert stack["Parameters"][parameter]["Default"] == ""
            assert parameter in other["Outputs"]
        resources = stack["Resources"]
        replication = resources[f"{bucket}Bucket"]["Properties"]["ReplicationConfiguration"]["Fn::If"]
        assert replication[0] == f"Replicates{bucket}"
        assert stack["Conditions"][f"Replicates{bucket}"]["Fn::And"][0] == {"Condition": condition}
        rule = replication[1]["Rules"][0]
        assert rule["Destination"]["Bucket"] == {"Ref": destination}
        assert rule["Destination"]["EncryptionConfiguration"] == {"ReplicaKmsKeyID": {"Ref": key}}
        assert rule["Destination"]["ReplicationTime"] == {"Status": "Enabled", "Time": {"Minutes": 15}}
        assert resources[f"{bucket}ReplicationRole"]["Condition"] == f"Replicates{bucket}"
        assert "Metadata" not in resources[f"{bucket}Bucket"]  # replicated: no CKV_AWS_144 to skip
    readme = files()["cloudformation/README.md"]
    assert "updated a second time" in readme
    assert "`PrimaryKmsKeyArn` and `DataImagesArn` as the" in readme
