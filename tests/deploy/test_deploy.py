"""Deploy each example's primary-Region root against moto's server on 127.0.0.1: apply, verify, no drift, destroy.

Run alone with ``pytest -m deploy``. See tests/deploy/harness.py for how the provider is pointed at the server
without changing the generated code.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from archgen import design_from_spec, load_spec, render_files
from tests.conftest import EXAMPLES
from tests.deploy.harness import (
    ACCOUNT_ID,
    DeployRecord,
    MotoServer,
    Terraform,
    aws_session,
    copy_terraform,
    excluded_addresses,
    moto_server,
    override_text,
    resource_type,
    timed,
)

if TYPE_CHECKING:
    from mypy_boto3_s3.literals import BucketLocationConstraintType

pytestmark = [pytest.mark.deploy, pytest.mark.slow]

DOMAIN = "app.example.com"
# Examples deployed at once (each runs its own moto server and Terraform); the provider mostly waits.
DEPLOY_JOBS = int(os.environ.get("ARCHGEN_DEPLOY_JOBS", "2"))
LAMBDA_BUCKET = "archgen-deploy-test-packages"

# Resource types moto's server (5.2.x) cannot create, or creates in a way the provider's waiters never accept.
UNSUPPORTED: dict[str, str] = {
    "aws_s3_bucket_logging": (
        "moto 5.2.5 answers PutBucketLogging with HTTP 500 when the target bucket's policy has a statement whose"
        ' Principal is the string "*" (moto/s3/models.py _log_permissions_enabled_policy calls .get on it)'
    ),
    "aws_guardduty_detector_feature": (
        "moto 5.2.5's GetDetector returns no Features list, so the provider reads every feature back as"
        ' "empty result" and fails'
    ),
    "aws_backup_vault_policy": "moto 5.2.5 does not implement Backup's PutBackupVaultAccessPolicy (404)",
    "aws_sqs_queue_redrive_allow_policy": (
        "moto 5.2.5 does not store RedriveAllowPolicy (GetQueueAttributes leaves it out), so the provider waits for"
        " it to propagate until its timeout"
    ),
    "aws_sqs_queue_policy": (
        "moto 5.2.5 stores the policy, but the provider's wait for the Policy attribute to propagate did not end"
        " (observed: polling for minutes)"
    ),
    "aws_backup_selection": "moto 5.2.5 answers Backup's CreateBackupSelection with HTTP 500",
    "aws_lambda_code_signing_config": (
        "moto 5.2.5 does not implement Lambda's CreateCodeSigningConfig (404); the functions that use it are left"
        " out with it"
    ),
    "aws_apigatewayv2_domain_name": (
        "moto 5.2.5 returns no DomainNameStatus, so the provider's waiter for AVAILABLE never ends"
    ),
    "aws_config_conformance_pack": "moto 5.2.5 answers Config's PutConformancePack with HTTP 500",
    "aws_appautoscaling_target": (
        "moto 5.2.5 answers Application Auto Scaling's ListTagsForResource with HTTP 500 (the provider reads tags"
        " after creating the target); the scaling policies that use it are left out with it"
    ),
    "aws_elasticache_user_group": (
        "moto 5.2.5 answers ElastiCache's CreateUserGroup with HTTP 500; the replication group that uses it is left"
        " out with it"
    ),
}

# Differences the plan after apply shows only because moto does not read back what it stored (resource type ->
# the attributes and why). Any other difference fails the test.
MOTO_READBACK: dict[str, tuple[frozenset[str], str]] = {
    "aws_s3_bucket_notification": (
        frozenset({"eventbridge"}),
        "moto 5.2.5's GetBucketNotificationConfiguration leaves out EventBridgeConfiguration",
    ),
    "aws_backup_vault": (frozenset({"tags_all", "tags"}), "moto 5.2.5's Backup ListTags returns no tags"),
    "aws_backup_plan": (frozenset({"tags_all", "tags"}), "moto 5.2.5's Backup ListTags returns no tags"),
    "aws_sqs_queue": (
        frozenset({"redrive_policy"}),
        "moto 5.2.5 returns RedrivePolicy re-serialised with other whitespace (the plan says whitespace changes)",
    ),
}

Verifier = Callable[[MotoServer, str, dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    example: str
    verify: Verifier
    unsupported: dict[str, str] = field(default_factory=dict)


def _resources(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Every managed resource in ``terraform show -json``, modules included."""
    found: list[dict[str, Any]] = []

    def walk(module: dict[str, Any]) -> None:
        found.extend(r for r in module.get("resources", []) if r.get("mode") == "managed")
        for child in module.get("child_modules", []):
            walk(child)

    walk(state.get("values", {}).get("root_module", {}))
    return found


def _of_type(state: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [r for r in _resources(state) if r["type"] == rtype]


def _verify_common(server: MotoServer, region: str, state: dict[str, Any]) -> None:
    """Every design: KMS keys with rotation; S3 buckets KMS-encrypted, public access blocked, tagged."""
    kms = aws_session(region).client("kms", endpoint_url=server.endpoint)
    keys = _of_type(state, "aws_kms_key")
    assert keys, "no KMS key applied"
    for key in keys:
        assert kms.get_key_rotation_status(KeyId=key["values"]["key_id"])["KeyRotationEnabled"]
    s3 = aws_session(region).client("s3", endpoint_url=server.endpoint)
    buckets = _of_type(state, "aws_s3_bucket")
    assert buckets, "no S3 bucket applied"
    for bucket in buckets:
        name = bucket["values"]["bucket"]
        rules = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        # S3 server access logs can only be delivered to a bucket encrypted with SSE-S3: the logs bucket uses it
        expected = ("AES256",) if bucket["address"].startswith("module.logs.") else ("aws:kms", "aws:kms:dsse")
        assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] in expected, name
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert all(block.values()), (name, block)
        tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]}
        assert tags.get("generated-by") == "archgen", (name, tags)


def _verify_notes_api(server: MotoServer, region: str, state: dict[str, Any]) -> None:
    _verify_common(server, region, state)
    ddb = aws_session(region).client("dynamodb", endpoint_url=server.endpoint)
    tables = _of_type(state, "aws_dynamodb_table")
    assert tables
    for table in tables:
        name = table["values"]["name"]
        described = ddb.describe_table(TableName=name)["Table"]
        assert described["SSEDescription"]["SSEType"] == "KMS", name
        assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        backups = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    lam = aws_session(region).client("lambda", endpoint_url=server.endpoint)
    # the functions are left out while moto lacks code signing configs (UNSUPPORTED); checked when applied
    for function in _of_type(state, "aws_lambda_function"):
        config = lam.get_function_configuration(FunctionName=function["values"]["function_name"])
        assert config["Architectures"] == ["arm64"]
        assert config["MemorySize"] == 1024
        assert config.get("KMSKeyArn"), "Lambda environment not encrypted with the design's key"


def _verify_generic(server: MotoServer, region: str, state: dict[str, Any]) -> None:
    _verify_common(server, region, state)


CASES = [
    Case("notes-api", _verify_notes_api),
    Case("order-events", _verify_generic),
    Case("docs-site", _verify_generic),
    Case("orders-api", _verify_generic),
]


def _prepare_inputs(server: MotoServer, region: str, variables_tf: str, main_tf: str) -> dict[str, Any]:
    """Values for the root's required variables, creating what they point at in moto first."""
    values: dict[str, Any] = {}
    if 'variable "domain_name"' in variables_tf:
        values["domain_name"] = DOMAIN
    if 'variable "certificate_arn"' in variables_tf:
        acm = aws_session(region).client("acm", endpoint_url=server.endpoint)
        values["certificate_arn"] = acm.request_certificate(DomainName=DOMAIN, ValidationMethod="DNS")["CertificateArn"]
    if 'variable "container_images"' in variables_tf:
        values["container_images"] = _container_images(main_tf)
    if 'variable "lambda_packages"' in variables_tf:
        values["lambda_packages"] = _lambda_packages(server, region, main_tf)
    return values


def _container_images(main_tf: str) -> dict[str, str]:
    image = f"{ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.0"
    return dict.fromkeys(_map_keys(main_tf, "container_images"), image)


def _map_keys(main_tf: str, variable: str) -> list[str]:
    """The keys the root looks up in a map variable (``var.x["key"]``)."""
    return sorted(set(re.findall(rf'var\.{variable}\["([^"]+)"\]', main_tf)))


def _lambda_packages(server: MotoServer, region: str, main_tf: str) -> dict[str, Any]:
    s3 = aws_session(region).client("s3", endpoint_url=server.endpoint)
    bucket = f"{LAMBDA_BUCKET}-{region}"
    if region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(
            Bucket=bucket,
            CreateBucketConfiguration={"LocationConstraint": cast("BucketLocationConstraintType", region)},
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bootstrap", "#!/bin/sh\necho ok\n")
    s3.put_object(Bucket=bucket, Key="app.zip", Body=buffer.getvalue())
    return {key: {"s3_bucket": bucket, "s3_key": "app.zip"} for key in _map_keys(main_tf, "lambda_packages")}


def _tolerated(address: str, keys: list[str]) -> bool:
    known = MOTO_READBACK.get(resource_type(address))
    return known is not None and set(keys) <= known[0]


def _release_protection(server: MotoServer, region: str, state: dict[str, Any]) -> None:
    """Turn off the deletion protection the design sets (tables, databases, load balancers) so destroy can run."""
    session = aws_session(region)
    ddb = session.client("dynamodb", endpoint_url=server.endpoint)
    for table in _of_type(state, "aws_dynamodb_table"):
        if table["values"].get("deletion_protection_enabled"):
            ddb.update_table(TableName=table["values"]["name"], DeletionProtectionEnabled=False)
    rds = session.client("rds", endpoint_url=server.endpoint)
    for db in _of_type(state, "aws_db_instance"):
        if db["values"].get("deletion_protection"):
            rds.modify_db_instance(
                DBInstanceIdentifier=db["values"]["identifier"], DeletionProtection=False, ApplyImmediately=True
            )
    elbv2 = session.client("elbv2", endpoint_url=server.endpoint)
    for lb in _of_type(state, "aws_lb"):
        if lb["values"].get("enable_deletion_protection"):
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=lb["values"]["arn"],
                Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}],
            )


def deploy(case: Case, tmp_path: Path) -> DeployRecord:
    spec = load_spec(EXAMPLES / f"{case.example}.yaml")
    _, design = design_from_spec(spec)
    design_dir = tmp_path / "design"
    for relative, content in render_files(design, ("terraform",)).items():
        path = design_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    region = design.regions[0]
    terraform_dir = copy_terraform(design_dir, tmp_path / "work")
    root = terraform_dir / "prod" / region
    record = DeployRecord(case.example, f"prod/{region}")
    unsupported = {**UNSUPPORTED, **case.unsupported}
    with moto_server(tmp_path) as server:
        (root / "zz_moto_override.tf").write_text(override_text(root, server.endpoint), encoding="utf-8")
        variables_tf = (root / "variables.tf").read_text(encoding="utf-8")
        var_file = tmp_path / "deploy.tfvars.json"
        main_tf = (root / "main.tf").read_text(encoding="utf-8")
        inputs = _prepare_inputs(server, region, variables_tf, main_tf)
        var_file.write_text(json.dumps(inputs), encoding="utf-8")
        tf = Terraform(root, var_file)
        with timed(record, "init"):
            tf.init()
        with timed(record, "plan"):
            planned = tf.planned_addresses()
            record.planned = len(planned)
            record.excluded = excluded_addresses(planned, tf.graph_edges(), unsupported)
        target = [a for a in planned if a not in record.excluded] if record.excluded else None
        try:
            with timed(record, "apply"):
                tf.apply(target)
            state = tf.state()
            record.applied = len(_resources(state))
            with timed(record, "verify"):
                case.verify(server, region, state)
            with timed(record, "drift"):
                _, changed = tf.drift(target)
            record.drift_tolerated = {a: keys for a, keys in changed.items() if _tolerated(a, keys)}
            real = {a: keys for a, keys in changed.items() if a not in record.drift_tolerated}
            assert real == {}, f"plan after apply shows changes: {real}"
        finally:
            _release_protection(server, region, tf.state())
            with timed(record, "destroy"):
                tf.destroy(target)
            left = tf.state_list()
        assert left == [], f"destroy left {left}"
        assert not any(resource_type(a) in unsupported for a in planned if a not in record.excluded)
    return record


def _selected(session: pytest.Session) -> list[Case]:
    """The cases this run selected (``-k``, ``-m``), so the fixture deploys only those."""
    names = set()
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and isinstance(callspec.params.get("case"), Case):
            names.add(callspec.params["case"].example)
    return [case for case in CASES if case.example in names]


@pytest.fixture(scope="session")
def deployed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, DeployOutcome]:
    """Deploy the selected examples, DEPLOY_JOBS at a time (each with its own moto server): example -> outcome."""

    def run(case: Case) -> DeployOutcome:
        try:
            return DeployOutcome(deploy(case, tmp_path_factory.mktemp(case.example)), None)
        except Exception as exc:
            return DeployOutcome(None, exc)

    cases = _selected(request.session)
    with ThreadPoolExecutor(max_workers=DEPLOY_JOBS) as pool:
        return dict(zip([c.example for c in cases], pool.map(run, cases), strict=True))


@dataclass(frozen=True)
class DeployOutcome:
    record: DeployRecord | None
    error: BaseException | None


# Examples whose root cannot be planned here yet; strict, so the test says when that changes.
KNOWN_FAILURES = {
    "docs-site": (
        "plan fails: the edge module's aws_cloudfront_cache_policy data source calls CloudFront ListCachePolicies,"
        " which moto 5.2.5 does not implement (404); a data source cannot be left out with -target"
    ),
    "orders-api": (
        "applies (with the unsupported types above left out), but the plan after apply differs on attributes not yet"
        " triaged as moto read-back gaps or real drift (security group rules' referenced_security_group_id, the"
        " IAM role policy, RDS Performance Insights, the DB parameter group, three ECS service attributes), and"
        " moto answers ElastiCache's DeleteCacheSubnetGroup with HTTP 500 so destroy cannot finish"
    ),
}


def _params() -> list[Any]:
    return [
        pytest.param(c, id=c.example, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[c.example])])
        if c.example in KNOWN_FAILURES
        else pytest.param(c, id=c.example)
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_deploy_example(case: Case, deployed: dict[str, DeployOutcome]) -> None:
    outcome = deployed[case.example]
    if outcome.error is not None:
        raise outcome.error
    assert outcome.record is not None
    print(outcome.record.summary())
    assert outcome.record.applied > 0
