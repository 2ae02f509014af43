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
    readback_overrides,
    resource_type,
    timed,
)

if TYPE_CHECKING:
    from mypy_boto3_ec2 import EC2Client
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
    "aws_cloudfront_response_headers_policy": (
        "moto 5.2.5 does not implement CloudFront's CreateResponseHeadersPolicy (404)"
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
    "aws_rds_global_cluster": (
        frozenset({"tags_all", "tags"}),
        "moto 5.2.5's RDS CreateGlobalCluster drops the Tags it is sent, so the global cluster reads back untagged",
    ),
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
    # Resource or data source types that fail the plan itself (reading a data source moto lacks, configuring a
    # provider this machine has only a schema stand-in of): they and their dependents are left out of the first plan.
    plan_unsupported: dict[str, str] = field(default_factory=dict)
    # Read-back gaps whose difference would force a replacement or make dependents' values unknown (so every
    # dependent would show a change): resource type -> (attributes, reason); the plan after apply ignores them.
    readback_ignored: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)


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
    keys = _of_type(state, "aws_kms_key")
    assert keys, "no KMS key applied"
    for key in keys:
        # a root can hold keys of another Region (a CloudFront WAF's in us-east-1): ask the key's own Region
        kms = aws_session(key["values"]["arn"].split(":")[3]).client("kms", endpoint_url=server.endpoint)
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


def _design_key_arn(state: dict[str, Any]) -> str:
    """The ARN of the design's Region key (the kms module's)."""
    keys = [k for k in _of_type(state, "aws_kms_key") if k["address"].startswith("module.kms.")]
    assert len(keys) == 1, [k["address"] for k in keys]
    arn: str = keys[0]["values"]["arn"]
    return arn


def _assert_private(ec2: EC2Client, subnet_ids: list[str]) -> None:
    """Each subnet is private: no public IPs on launch, and its route table has no route to an internet gateway."""
    for subnet in ec2.describe_subnets(SubnetIds=subnet_ids)["Subnets"]:
        assert not subnet.get("MapPublicIpOnLaunch"), subnet["SubnetId"]
        tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])[
            "RouteTables"
        ]
        assert tables, f"{subnet['SubnetId']} has no route table of its own"
        gateways = [r.get("GatewayId", "") for t in tables for r in t.get("Routes", [])]
        assert not any(g.startswith("igw-") for g in gateways), (subnet["SubnetId"], gateways)


def _verify_kubernetes_platform(server: MotoServer, region: str, state: dict[str, Any]) -> None:
    """EKS control plane and managed node groups, the Aurora global database (what is applied), keys, buckets."""
    _verify_common(server, region, state)
    session = aws_session(region)
    eks = session.client("eks", endpoint_url=server.endpoint)
    ec2 = session.client("ec2", endpoint_url=server.endpoint)
    key_arn = _design_key_arn(state)

    clusters = _of_type(state, "aws_eks_cluster")
    assert clusters, "no EKS cluster applied"
    for cluster in clusters:
        values = cluster["values"]
        described = eks.describe_cluster(name=values["name"])["cluster"]
        assert described.get("version") == values["version"], (described.get("version"), values["version"])
        secrets_keys = [
            e.get("provider", {}).get("keyArn")
            for e in described.get("encryptionConfig", [])
            if "secrets" in e.get("resources", [])
        ]
        assert secrets_keys == [key_arn], f"secrets not envelope-encrypted with the design's key: {secrets_keys}"
        vpc = described["resourcesVpcConfig"]
        designed = values["vpc_config"][0]
        assert vpc.get("endpointPrivateAccess") is designed["endpoint_private_access"] is True
        assert vpc.get("endpointPublicAccess") is designed["endpoint_public_access"] is False
        logged = {
            t
            for entry in described.get("logging", {}).get("clusterLogging", [])
            if entry.get("enabled")
            for t in entry.get("types", [])
        }
        assert logged == set(values["enabled_cluster_log_types"]), logged
        assert logged >= {"api", "audit", "authenticator"}, logged
        subnet_ids = vpc.get("subnetIds", [])
        assert set(subnet_ids) == set(designed["subnet_ids"]), subnet_ids
        zones = {s["AvailabilityZone"] for s in ec2.describe_subnets(SubnetIds=subnet_ids)["Subnets"]}
        assert len(zones) >= 2, f"control plane subnets in {zones}"

    groups = _of_type(state, "aws_eks_node_group")
    assert groups, "no managed node group applied"
    for group in groups:
        values = group["values"]
        described_group = eks.describe_nodegroup(
            clusterName=values["cluster_name"], nodegroupName=values["node_group_name"]
        )["nodegroup"]
        assert described_group.get("instanceTypes") == values["instance_types"]
        scaling = described_group.get("scalingConfig", {})
        designed_scaling = values["scaling_config"][0]
        assert (scaling.get("minSize"), scaling.get("maxSize"), scaling.get("desiredSize")) == (
            designed_scaling["min_size"],
            designed_scaling["max_size"],
            designed_scaling["desired_size"],
        ), scaling
        assert set(described_group.get("subnets", [])) == set(values["subnet_ids"])
        _assert_private(ec2, described_group.get("subnets", []))
        # the nodes' launch template: IMDSv2 only, root volume encrypted with the design's key
        template = described_group.get("launchTemplate", {})
        assert template.get("id") == values["launch_template"][0]["id"], template
        data = ec2.describe_launch_template_versions(
            LaunchTemplateId=template["id"], Versions=[str(template.get("version", "$Latest"))]
        )["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        assert data.get("MetadataOptions", {}).get("HttpTokens") == "required", data.get("MetadataOptions")
        volumes = [m.get("Ebs", {}) for m in data.get("BlockDeviceMappings", [])]
        assert volumes, "no volume in the launch template"
        assert all(v.get("Encrypted") is True and v.get("KmsKeyId") == key_arn for v in volumes), volumes

    rds = session.client("rds", endpoint_url=server.endpoint)
    members: dict[str, list[str]] = {}
    for global_cluster in _of_type(state, "aws_rds_global_cluster"):
        values = global_cluster["values"]
        found = rds.describe_global_clusters(GlobalClusterIdentifier=values["global_cluster_identifier"])
        described_global = found["GlobalClusters"][0]
        assert described_global.get("Engine") == values["engine"]
        assert described_global.get("StorageEncrypted") is True
        assert described_global.get("DeletionProtection") is values["deletion_protection"]
        members[values["id"]] = [m["DBClusterArn"] for m in described_global.get("GlobalClusterMembers", [])]
    # the Aurora cluster and its instances are left out while the random provider is missing (plan_unsupported)
    for db_cluster in _of_type(state, "aws_rds_cluster"):
        values = db_cluster["values"]
        described_db = rds.describe_db_clusters(DBClusterIdentifier=values["cluster_identifier"])["DBClusters"][0]
        assert described_db.get("Engine") == values["engine"]
        assert described_db.get("StorageEncrypted") is True
        assert described_db.get("KmsKeyId") == key_arn
        assert described_db.get("DeletionProtection") is values["deletion_protection"] is True
        assert described_db.get("BackupRetentionPeriod") == values["backup_retention_period"]
        assert described_db.get("IAMDatabaseAuthenticationEnabled") is True
        if values.get("global_cluster_identifier"):
            assert described_db["DBClusterArn"] in members[values["global_cluster_identifier"]]
        for instance in _of_type(state, "aws_rds_cluster_instance"):
            if instance["values"]["cluster_identifier"] != values["cluster_identifier"]:
                continue
            db = rds.describe_db_instances(DBInstanceIdentifier=instance["values"]["identifier"])["DBInstances"][0]
            assert db.get("DBInstanceClass") == instance["values"]["instance_class"]
            assert db.get("DBClusterIdentifier") == values["cluster_identifier"]
            assert db.get("PubliclyAccessible") is False


def _verify_generic(server: MotoServer, region: str, state: dict[str, Any]) -> None:
    _verify_common(server, region, state)


CASES = [
    Case("notes-api", _verify_notes_api),
    Case("order-events", _verify_generic),
    Case("docs-site", _verify_generic),
    Case("orders-api", _verify_generic),
    Case(
        "payments-platform",
        _verify_kubernetes_platform,
        unsupported={
            "module.cluster.output.cluster_security_group_id": (
                "moto 5.2.5's EKS CreateCluster creates no cluster security group (DescribeCluster's"
                " resourcesVpcConfig has no clusterSecurityGroupId), so the output is empty and the security group"
                " rules from the pods to the database fail with InvalidGroup.NotFound for the group ''"
            ),
        },
        readback_ignored={
            "aws_eks_cluster": (
                ("access_config", "upgrade_policy"),
                "moto 5.2.5's EKS CreateCluster stores neither accessConfig nor upgradePolicy and DescribeCluster"
                " leaves them out; access_config.bootstrap_cluster_creator_admin_permissions forces a replacement,"
                " which would make the OIDC provider, the IRSA roles and the node group change too",
            ),
            "aws_eks_node_group": (
                ("remote_access", "update_config", "node_repair_config"),
                "moto 5.2.5's EKS CreateNodegroup answers a remoteAccess it was not sent (ec2SshKey eksKeypair, which"
                " forces a replacement) and does not store updateConfig or nodeRepairConfig",
            ),
            "aws_launch_template": (
                ("tag_specifications",),
                "moto 5.2.5 copies CreateLaunchTemplate's own TagSpecifications (resource type launch-template) into"
                " the version's LaunchTemplateData, so an extra tag_specifications block reads back; the update would"
                " make latest_version unknown and the node group change too",
            ),
            "aws_sqs_queue": (
                ("redrive_policy",),
                "as MOTO_READBACK says (RedrivePolicy re-serialised); here the in-place update would make the queue"
                " access policy documents, and so the IRSA roles' inline policies, unknown",
            ),
        },
        plan_unsupported={
            "aws_cloudfront_cache_policy": (
                "moto 5.2.5 does not implement CloudFront's ListCachePolicies (404), which the data source (the"
                " managed cache policy by name) calls; the distribution is left out with it"
            ),
            "aws_cloudfront_origin_request_policy": (
                "moto 5.2.5 does not implement CloudFront's ListOriginRequestPolicies (404), which the data source"
                " calls"
            ),
            "random_password": (
                "not a moto gap: this machine has no real hashicorp/random provider, only the validators' schema-only"
                " stand-in, which cannot be configured (ConfigureProvider unsupported); the Aurora global primary's"
                " master password comes from it, so the cluster, its instances and the secret's value are left out"
            ),
        },
    ),
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


def _is_data(address: str) -> bool:
    return address.startswith("data.") or ".data." in address


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
            unplannable: dict[str, str] = {}
            plan_target = None
            if case.plan_unsupported:
                nodes = tf.resource_nodes()
                blocked = excluded_addresses(nodes, tf.graph_edges(), case.plan_unsupported)
                plan_target = [n for n in nodes if n not in blocked and not _is_data(n)]
                # managed resources only, by configuration address (their instances are never planned)
                unplannable = {a: reason for a, reason in blocked.items() if not _is_data(a)}
            planned = tf.planned_addresses(plan_target)
            record.planned = len(planned) + len(unplannable)
            record.excluded = {**unplannable, **excluded_addresses(planned, tf.graph_edges(), unsupported)}
        target = [a for a in planned if a not in record.excluded] if record.excluded else None
        try:
            with timed(record, "apply"):
                tf.apply(target)
            state = tf.state()
            record.applied = len(_resources(state))
            with timed(record, "verify"):
                case.verify(server, region, state)
            with timed(record, "drift"):
                ignored = {rtype: attributes for rtype, (attributes, _) in case.readback_ignored.items()}
                for path, text in readback_overrides(terraform_dir, ignored).items():
                    path.write_text(text, encoding="utf-8")
                record.readback_ignored = {rtype: list(attributes) for rtype, attributes in ignored.items()}
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
