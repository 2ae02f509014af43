"""CloudFormation from the design: one stack per Region root, plus an edge stack in us-east-1.

Stack layout (mirrors the Terraform roots, see archgen.render.terraform): ``cloudformation/<purpose>/<region>/
template.yaml`` for each Region root (the primary and recovery Regions, and the dormant restore root of backup and
restore). One stack per root rather than nested stacks: a nested stack lives in its parent's Region, while the
recovery Region must be deployable while the primary is down, exactly as the Terraform roots are. A stack cannot
create resources in another Region, so what Terraform's primary root creates in us-east-1 through a provider alias
(the CloudFront distribution's certificate, the CLOUDFRONT-scope WAF web ACL and the distribution's log delivery)
is the separate stack ``cloudformation/prod/edge/template.yaml``, deployed in us-east-1. Values one stack needs from
another are Parameters named like the other stack's Outputs.

Templates are built as Python dicts and dumped with PyYAML's safe dumper: free text from the spec is always a
quoted scalar, never YAML structure or an intrinsic function. Fn::GetAtt is always in its long (list) form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from archgen import __version__
from archgen.design import Component, Design, number
from archgen.errors import UserError
from archgen.render.environment import environment
from archgen.render.terraform import ENVIRONMENT, Root, roots_of

EDGE_REGION = "us-east-1"  # CloudFront certificates, CLOUDFRONT-scope web ACLs and CloudFront log delivery
EDGE_PATH = f"cloudformation/{ENVIRONMENT}/edge"
# Component kinds the CloudFormation target realises; a design with any other kind is refused as a whole.
SUPPORTED_KINDS = frozenset(
    {
        "cloudfront",
        "waf",
        "s3-bucket",
        "backup-vault",
        "cloudtrail",
        "guardduty-detector",
        "lambda-function",
        "api-gateway-http",
        "dynamodb-table",
        "sqs-queue",
        "firehose-stream",
    }
)
COVERED_BLUEPRINTS = ("static-site", "serverless-api", "event-pipeline (SQS and Lambda consumers)")
# AWS managed CloudFront policies (fixed ids published by AWS).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
ARN_OR_EMPTY = r"^(arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:\S+)?$"

Template = dict[str, Any]


def _ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def _get_att(resource: str, attribute: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [resource, attribute]}


def _sub(text: str) -> dict[str, str] | str:
    """Fn::Sub of a text with ${...} references; a text without any stays a plain string."""
    return {"Fn::Sub": text} if "${" in text else text


def _if(condition: str, then: Any, otherwise: Any = None) -> dict[str, list[Any]]:
    return {"Fn::If": [condition, then, _ref("AWS::NoValue") if otherwise is None else otherwise]}


def _logical(component_id: str, suffix: str = "") -> str:
    """A CloudFormation logical id from a component id: site-recovery → SiteRecovery."""
    return "".join(part.capitalize() for part in component_id.replace("_", "-").split("-")) + suffix


def _statement(sid: str, actions: list[str], resources: Any, principal: Any, **extra: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": sid, "Effect": extra.pop("effect", "Allow"), "Principal": principal}
    statement |= {"Action": actions, "Resource": resources}
    if "condition" in extra:
        statement["Condition"] = extra.pop("condition")
    return statement


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _deny_insecure(arn: Any) -> dict[str, Any]:
    return _statement(
        "DenyInsecureTransport",
        ["s3:*"],
        [arn, {"Fn::Join": ["", [arn, "/*"]]}],
        "*",
        effect="Deny",
        condition={"Bool": {"aws:SecureTransport": "false"}},
    )


def unsupported_reason(design: Design) -> str | None:
    """Why the design has no CloudFormation yet, or None when every component is covered."""
    kinds = sorted({c.kind for c in design.components} - SUPPORTED_KINDS)
    if not kinds:
        return None
    return (
        f"CloudFormation is not available for {design.name} ({design.blueprint} blueprint) yet: no CloudFormation "
        f"support for component kinds {', '.join(kinds)} (covered so far: {', '.join(COVERED_BLUEPRINTS)}, "
        "with a CloudFront edge). Use --target terraform for this design."
    )


class _Stack:
    """One template being built: parameters, conditions, resources and outputs, tagged alike."""

    def __init__(self, design: Design, description: str, region: str) -> None:
        self.design = design
        self.region = region
        self.parameters: dict[str, Any] = {}
        self.conditions: dict[str, Any] = {}
        self.resources: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.rules: dict[str, Any] = {}
        self.description = description
        self.parameter("Environment", {
            "Type": "String",
            "Default": ENVIRONMENT,
            "AllowedPattern": "^[a-z][a-z0-9-]{1,15}$",
            "ConstraintDescription": "a short lowercase name such as prod or staging",
            "Description": "Environment name, part of every resource name.",
        })  # fmt: skip

    @property
    def prefix(self) -> str:
        """The name prefix every named resource starts with (as a Fn::Sub text)."""
        return f"{self.design.name}-${{Environment}}"

    def tags(self, extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The tags the Terraform providers set as default_tags (managed-by names the tool)."""
        tags: dict[str, Any] = {
            "archgen:service": self.design.name,
            "archgen:environment": _ref("Environment"),
            "archgen:blueprint": self.design.blueprint,
            "managed-by": "cloudformation",
            "generated-by": "archgen",
        }
        tags |= extra or {}
        return [{"Key": key, "Value": value} for key, value in tags.items()]

    def tag_map(self) -> dict[str, Any]:
        """The same tags as a map (AWS Backup takes tags as a map)."""
        return {tag["Key"]: tag["Value"] for tag in self.tags()}

    def parameter(self, name: str, spec: dict[str, Any]) -> None:
        self.parameters[name] = spec

    def add(self, name: str, type_: str, properties: dict[str, Any], **attributes: Any) -> None:
        resource: dict[str, Any] = {"Type": type_}
        for key in ("Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy"):
            if key in attributes:
                resource[key] = attributes[key]
        resource["Properties"] = properties
        self.resources[name] = resource

    def output(self, name: str, description: str, value: Any, condition: str | None = None) -> None:
        output: dict[str, Any] = {"Description": description, "Value": value}
        if condition is not None:
            output["Condition"] = condition
        self.outputs[name] = output

    def template(self) -> Template:
        template: Template = {"AWSTemplateFormatVersion": "2010-09-09", "Description": self.description}
        template["Metadata"] = {
            # the spec's free text lives here, as a plain string: a Description is capped at 1,024 characters and
            # cfn-lint reads "${...}" in it as a misplaced Fn::Sub reference
            "archgen": {
                "version": __version__,
                "service": self.design.name,
                "region": self.region,
                "description": self.design.description,
            },
        }
        if "${" in self.design.description:
            # The only suppression: cfn-lint reads "${...}" anywhere as a Fn::Sub reference out of place, but
            # CloudFormation substitutes only inside Fn::Sub, so the spec's text stays literal here.
            template["Metadata"]["archgen"]["lint_suppressions"] = {
                "E1029": "the spec's description is quoted as free text; it contains '${' but is no Fn::Sub"
            }
            template["Metadata"]["cfn-lint"] = {"config": {"ignore_checks": ["E1029"]}}
        template["Parameters"] = self.parameters
        # As the Terraform root's region variable: each stack is designed for one Region.
        template["Rules"] = self.rules | {
            "DesignedRegion": {
                "Assertions": [
                    {
                        "Assert": {"Fn::Equals": [_ref("AWS::Region"), self.region]},
                        "AssertDescription": f"This stack is designed for {self.region}.",
                    }
                ]
            }
        }
        if self.conditions:
            template["Conditions"] = self.conditions
        template["Resources"] = self.resources
        template["Outputs"] = self.outputs
        return template


# -- shared per-Region resources ---------------------------------------------------------------------------------------
def _kms(stack: _Stack, alias: str, *, cloudtrail: bool) -> None:
    """The Region's customer-managed key, rotated yearly (templates/terraform/modules/kms)."""
    account = _sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    source_account = {"StringEquals": {"aws:SourceAccount": _ref("AWS::AccountId")}}
    services = ["delivery.logs.amazonaws.com", "cloudfront.amazonaws.com", "backup.amazonaws.com"]
    statements = [
        _statement("AccountAdministersTheKey", ["kms:*"], "*", {"AWS": account}),
        _statement(
            "CloudWatchLogsEncryptsLogGroups",
            ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "*",
            {"Service": _sub("logs.${AWS::Region}.amazonaws.com")},
            condition={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": _sub(
                        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"
                    )
                }
            },
        ),
        _statement(
            "ServicesUseTheKeyForThisAccount",
            ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "*",
            {"Service": services},
            condition=source_account,
        ),
    ]
    if cloudtrail:
        statements.append(
            _statement(
                "CloudTrailEncryptsThisAccountsTrails",
                ["kms:GenerateDataKey*", "kms:DescribeKey"],
                "*",
                {"Service": "cloudtrail.amazonaws.com"},
                condition={
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": _sub(
                            "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"
                        )
                    }
                },
            )
        )
    stack.add(
        "Key",
        "AWS::KMS::Key",
        {
            "Description": _sub(f"{alias}: encryption at rest for every store and log of this Region"),
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": _policy(*statements),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add("KeyAlias", "AWS::KMS::Alias", {"AliasName": _sub(f"alias/{alias}"), "TargetKeyId": _ref("Key")})
    stack.output("KmsKeyArn", "The Region's customer-managed KMS key.", _get_att("Key", "Arn"))


def _bucket_basics(stack: _Stack, encryption: dict[str, Any], lifecycle: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "LifecycleConfiguration": {"Rules": lifecycle},
        "NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": True}},
    }


def _logs(stack: _Stack) -> None:
    """The Region's access-log bucket (templates/terraform/modules/logs): SSE-S3, as log delivery requires."""
    properties = _bucket_basics(
        stack,
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}},
        [
            {
                "Id": "expire-logs",
                "Status": "Enabled",
                "ExpirationInDays": 365,
                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            }
        ],
    )
    properties["Tags"] = stack.tags()
    stack.add(
        "LogBucket",
        "AWS::S3::Bucket",
        properties,
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
        Metadata={
            "checkov": {
                "skip": [
                    {"id": "CKV_AWS_18", "comment": "This is the access-log bucket; logging its own access would loop."}
                ]
            }
        },
    )
    arn = _get_att("LogBucket", "Arn")
    source_account = {"StringEquals": {"aws:SourceAccount": _ref("AWS::AccountId")}}
    stack.add(
        "LogBucketPolicy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": _ref("LogBucket"),
            "PolicyDocument": _policy(
                _deny_insecure(arn),
                _statement(
                    "ServerAccessLogDelivery",
                    ["s3:PutObject"],
                    {"Fn::Join": ["", [arn, "/s3/*"]]},
                    {"Service": "logging.s3.amazonaws.com"},
                    condition=source_account,
                ),
                _statement(
                    "LogDeliveryService",
                    ["s3:PutObject"],
                    {"Fn::Join": ["", [arn, "/cdn/*"]]},
                    {"Service": "delivery.logs.amazonaws.com"},
                    condition=source_account,
                ),
            ),
        },
    )
    stack.output("LogBucket", "The Region's access-log bucket.", _ref("LogBucket"))
    stack.output("LogBucketArn", "ARN of the Region's access-log bucket.", arn)


# -- components ----------------------------------------------------------------------------------------------------
def _s3_bucket(stack: _Stack, root: Root, c: Component) -> None:
    name = _logical(c.id, "Bucket")
    backup = any(b.kind == "backup-vault" and "schedule" in b.properties for b in root.components)
    properties = _bucket_basics(
        stack,
        {
            "BucketKeyEnabled": True,
            "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": _get_att("Key", "Arn")},
        },
        [
            {
                "Id": "expire-old-versions-and-abandoned-uploads",
                "Status": "Enabled",
                "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            }
        ],
    )
    if not c.properties.get("versioning"):
        properties["VersioningConfiguration"] = {"Status": "Suspended"}
    properties["LoggingConfiguration"] = {"DestinationBucketName": _ref("LogBucket"), "LogFilePrefix": f"s3/{c.id}/"}
    properties["Tags"] = stack.tags({"archgen:backup": "true"} if backup else None)
    origin = root.origin_of(c)
    copy = root.recovery_copy(c.id) if origin is None else None
    if origin is not None and not root.is_restore and root.strategy == "active-active":
        raise UserError(f"CloudFormation does not cover active/active replication back to {origin.id} yet")
    reason = (
        "Cross-Region Replication is not set by this stack: the design's DR strategy recovers from AWS Backup "
        "copies in the recovery Region."
    )
    if c.properties.get("dormant"):
        reason = "This is the dormant recovery copy, restored from AWS Backup copies after a disaster."
    elif origin is not None:
        reason = f"This is the Cross-Region Replication destination of {origin.id} in {origin.region}."
    metadata: dict[str, Any] = {"checkov": {"skip": [{"id": "CKV_AWS_144", "comment": reason}]}}
    if copy is not None:
        if not c.properties.get("versioning"):
            raise UserError(f"Cross-Region Replication of {c.id} needs versioning")
        condition = _replication(stack, c, copy, name)
        properties["ReplicationConfiguration"] = _if(condition, _replication_configuration(c, copy))
        metadata = {}  # replicated: nothing to suppress
    extra = {"Metadata": metadata} if metadata else {}
    stack.add(name, "AWS::S3::Bucket", properties, DeletionPolicy="Retain", UpdateReplacePolicy="Retain", **extra)
    arn = _get_att(name, "Arn")
    statements: list[Any] = [_deny_insecure(arn)]
    if any(s.kind == "cloudfront" for s in root.sources_of(c.id)):
        stack.parameter("CloudFrontDistributionArn", {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^(arn:aws[a-z-]*:cloudfront::[0-9]{12}:distribution/[A-Z0-9]+)?$",
            "ConstraintDescription": "empty, or the DistributionArn output of the edge stack",
            "Description": "ARN of the CloudFront distribution (the edge stack's output) that reads this bucket "
            "through origin access control; empty until the edge stack exists.",
        })  # fmt: skip
        stack.conditions["HasDistribution"] = {"Fn::Not": [{"Fn::Equals": [_ref("CloudFrontDistributionArn"), ""]}]}
        statements.append(
            _if(
                "HasDistribution",
                _statement(
                    "CloudFrontOriginAccessControlReads",
                    ["s3:GetObject"],
                    {"Fn::Join": ["", [arn, "/*"]]},
                    {"Service": "cloudfront.amazonaws.com"},
                    condition={"StringEquals": {"AWS:SourceArn": _ref("CloudFrontDistributionArn")}},
                ),
            )
        )
        stack.output(
            f"{_logical(c.id)}RegionalDomainName",
            f"Regional domain name of {c.id}: the edge stack's OriginDomainName.",
            _get_att(name, "RegionalDomainName"),
        )
    stack.add(name + "Policy", "AWS::S3::BucketPolicy", {"Bucket": _ref(name), "PolicyDocument": _policy(*statements)})
    stack.output(f"{_logical(c.id)}Arn", f"ARN of {c.id} (S3 bucket).", arn)
    stack.output(f"{_logical(c.id)}Name", f"Name of {c.id} (S3 bucket).", _ref(name))


def _recovery_key_parameter(stack: _Stack, region: str) -> str:
    """The RecoveryKmsKeyArn parameter (the recovery stack's output of that name) and its condition's name."""
    stack.parameter("RecoveryKmsKeyArn", {
        "Type": "String",
        "Default": "",
        "AllowedPattern": rf"^(arn:aws[a-z-]*:kms:{region}:[0-9]{{12}}:key/[a-f0-9-]{{36}})?$",
        "ConstraintDescription": f"empty, or the ARN of a KMS key in {region}",
        "Description": f"ARN of the {region} stack's KMS key (its RecoveryKmsKeyArn output): encrypts the DynamoDB "
        f"replicas and S3 replicas there. Empty until that stack exists; replication starts on the update after "
        "it is set.",
    })  # fmt: skip
    stack.conditions["HasRecoveryKey"] = {"Fn::Not": [{"Fn::Equals": [_ref("RecoveryKmsKeyArn"), ""]}]}
    return "HasRecoveryKey"


def _replication(stack: _Stack, c: Component, copy: Component, bucket: str) -> str:
    """The destination parameter, condition and role of a bucket's Cross-Region Replication; the condition's name."""
    _recovery_key_parameter(stack, copy.region)
    destination = f"{_logical(copy.id)}Arn"
    stack.parameter(destination, {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^(arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$",
        "ConstraintDescription": "empty, or the ARN of an S3 bucket",
        "Description": f"ARN of the {copy.id} bucket in {copy.region} (that stack's output of the same name), the "
        f"Cross-Region Replication destination of {c.id}. Empty until that stack exists.",
    })  # fmt: skip
    condition = f"Replicates{_logical(c.id)}"
    stack.conditions[condition] = {
        "Fn::And": [{"Condition": "HasRecoveryKey"}, {"Fn::Not": [{"Fn::Equals": [_ref(destination), ""]}]}]
    }
    arn = _get_att(bucket, "Arn")
    statements: list[dict[str, Any]] = [
        {"Sid": "ReadReplicationConfiguration", "Effect": "Allow",
         "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": arn},
        {"Sid": "ReadSourceVersions", "Effect": "Allow",
         "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
         "Resource": {"Fn::Join": ["", [arn, "/*"]]}},
        {"Sid": "WriteReplicas", "Effect": "Allow",
         "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
         "Resource": _sub(f"${{{destination}}}/*")},
        {"Sid": "DecryptSourceObjects", "Effect": "Allow", "Action": ["kms:Decrypt"],
         "Resource": _get_att("Key", "Arn"),
         "Condition": {"StringEquals": {"kms:ViaService": _sub("s3.${AWS::Region}.amazonaws.com")}}},
        {"Sid": "EncryptReplicas", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
         "Resource": _ref("RecoveryKmsKeyArn"),
         "Condition": {"StringEquals": {"kms:ViaService": f"s3.{copy.region}.amazonaws.com"}}},
    ]  # fmt: skip
    stack.add(
        f"{_logical(c.id)}ReplicationRole",
        "AWS::IAM::Role",
        {
            "Description": _sub(f"S3 Cross-Region Replication of {stack.prefix}-{c.id} to {copy.id} in {copy.region}"),
            "AssumeRolePolicyDocument": _policy(
                _statement(
                    "S3Assumes",
                    ["sts:AssumeRole"],
                    None,
                    {"Service": "s3.amazonaws.com"},
                    condition={"StringEquals": {"aws:SourceAccount": _ref("AWS::AccountId")}},
                )
            ),
            "Tags": stack.tags(),
        },
        Condition=condition,
    )
    # a policy of its own: inline in the role, it would name the bucket that names the role (a cycle)
    stack.add(
        f"{_logical(c.id)}ReplicationPolicy",
        "AWS::IAM::Policy",
        {
            "PolicyName": "replicate-to-recovery",
            "Roles": [_ref(f"{_logical(c.id)}ReplicationRole")],
            "PolicyDocument": _policy(*statements),
        },
        Condition=condition,
    )
    return condition


def _replication_configuration(c: Component, copy: Component) -> dict[str, Any]:
    """Replicate every object, delete marker and tag within 15 minutes (RTC), re-encrypted with the copy's key."""
    return {
        "Role": _get_att(f"{_logical(c.id)}ReplicationRole", "Arn"),
        "Rules": [
            {
                "Id": "replicate-everything",
                "Status": "Enabled",
                "Priority": 0,
                "Filter": {"Prefix": ""},
                "DeleteMarkerReplication": {"Status": "Enabled"},
                "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
                "Destination": {
                    "Bucket": _ref(f"{_logical(copy.id)}Arn"),
                    "StorageClass": "STANDARD",
                    "EncryptionConfiguration": {"ReplicaKmsKeyID": _ref("RecoveryKmsKeyArn")},
                    "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
                    "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
                },
            }
        ],
    }


def _backup_vault(stack: _Stack, c: Component) -> None:
    name = _logical(c.id, "Vault")
    stack.add(
        name,
        "AWS::Backup::BackupVault",
        {
            "BackupVaultName": _sub(f"{stack.prefix}-{c.id}"),
            "EncryptionKeyArn": _get_att("Key", "Arn"),
            "BackupVaultTags": stack.tag_map(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.output(f"{_logical(c.id)}VaultArn", f"ARN of the {c.id} backup vault.", _get_att(name, "BackupVaultArn"))
    copied_here = any(
        b.kind == "backup-vault" and b.properties.get("copy_to_region") == stack.region for b in stack.design.components
    )
    if copied_here and "schedule" not in c.properties:
        stack.output(
            "BackupCopyVaultArn",
            f"ARN of this Region's backup vault: the {stack.design.primary_region} stack's BackupCopyVaultArn "
            "parameter (its plan copies every recovery point here).",
            _get_att(name, "BackupVaultArn"),
        )
    if "schedule" not in c.properties:
        return
    retention = int(number(c.properties, "retention_days"))
    copy_region = c.properties.get("copy_to_region")
    rule: dict[str, Any] = {
        "RuleName": "scheduled",
        "TargetBackupVault": _ref(name),
        "ScheduleExpression": str(c.properties["schedule"]),
        "StartWindowMinutes": 60,
        "CompletionWindowMinutes": 180,
        "Lifecycle": {"DeleteAfterDays": retention},
        "RecoveryPointTags": {"archgen:backup-plan": _sub(f"{stack.prefix}-{c.id}")},
    }
    if isinstance(copy_region, str):
        stack.parameter("BackupCopyVaultArn", {
            "Type": "String",
            "Default": "",
            "AllowedPattern": rf"^(arn:aws[a-z-]*:backup:{copy_region}:[0-9]{{12}}:backup-vault:[A-Za-z0-9_.-]+)?$",
            "ConstraintDescription": f"empty, or the ARN of a backup vault in {copy_region}",
            "Description": f"ARN of the backup vault in {copy_region} (an output of that Region's stack) that "
            "receives copies; empty until it exists.",
        })  # fmt: skip
        stack.conditions["CopiesBackups"] = {"Fn::Not": [{"Fn::Equals": [_ref("BackupCopyVaultArn"), ""]}]}
        rule["CopyActions"] = _if(
            "CopiesBackups",
            [{"DestinationBackupVaultArn": _ref("BackupCopyVaultArn"), "Lifecycle": {"DeleteAfterDays": retention}}],
        )
    stack.add(
        _logical(c.id, "Plan"),
        "AWS::Backup::BackupPlan",
        {
            "BackupPlan": {"BackupPlanName": _sub(f"{stack.prefix}-{c.id}"), "BackupPlanRule": [rule]},
            "BackupPlanTags": stack.tag_map(),
        },
    )
    managed = [
        "service-role/AWSBackupServiceRolePolicyForBackup",
        "service-role/AWSBackupServiceRolePolicyForRestores",
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
    ]
    stack.add(
        _logical(c.id, "Role"),
        "AWS::IAM::Role",
        {
            "Description": _sub(f"AWS Backup runs the {stack.prefix}-{c.id} plan's backups and restores."),
            "AssumeRolePolicyDocument": _policy(
                _statement("BackupAssumes", ["sts:AssumeRole"], None, {"Service": "backup.amazonaws.com"})
            ),
            "ManagedPolicyArns": [_sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{arn}") for arn in managed],
            "Tags": stack.tags(),
        },
    )
    stack.add(
        _logical(c.id, "Selection"),
        "AWS::Backup::BackupSelection",
        {
            "BackupPlanId": _ref(_logical(c.id, "Plan")),
            "BackupSelection": {
                "SelectionName": _sub(f"{stack.prefix}-{c.id}-tagged"),
                "IamRoleArn": _get_att(_logical(c.id, "Role"), "Arn"),
                "ListOfTags": [
                    {"ConditionType": "STRINGEQUALS", "ConditionKey": "archgen:backup", "ConditionValue": "true"}
                ],
            },
        },
    )


def _guardduty(stack: _Stack, c: Component) -> None:
    stack.parameter("ThreatDetectionEnabled", {
        "Type": "String",
        "Default": "true",
        "AllowedValues": ["true", "false"],
        "Description": "Create the GuardDuty detector of this Region. Set false when the organisation's GuardDuty "
        "delegated administrator already enables it here (one detector per account and Region).",
    })  # fmt: skip
    stack.conditions["ThreatDetection"] = {"Fn::Equals": [_ref("ThreatDetectionEnabled"), "true"]}
    flags = {
        "S3_DATA_EVENTS": "s3_protection",
        "EKS_AUDIT_LOGS": "eks",
        "EBS_MALWARE_PROTECTION": "malware_protection",
        "RDS_LOGIN_EVENTS": "rds_protection",
        "LAMBDA_NETWORK_LOGS": "lambda_protection",
    }
    features = [
        {"Name": feature, "Status": "ENABLED" if c.properties.get(flag) else "DISABLED"}
        for feature, flag in flags.items()
    ]
    stack.add(
        _logical(c.id, "Detector"),
        "AWS::GuardDuty::Detector",
        {
            "Enable": True,
            "FindingPublishingFrequency": str(c.properties["finding_publishing_frequency"]),
            "Features": features,
            "Tags": stack.tags(),
        },
        Condition="ThreatDetection",
    )


def _cloudtrail(stack: _Stack, c: Component) -> None:
    stack.parameter("AuditTrailEnabled", {
        "Type": "String",
        "Default": "true",
        "AllowedValues": ["true", "false"],
        "Description": "Create the design's multi-Region CloudTrail trail. Set false when the organisation already "
        "runs an organisation trail (e.g. AWS Control Tower).",
    })  # fmt: skip
    stack.conditions["AuditTrail"] = {"Fn::Equals": [_ref("AuditTrailEnabled"), "true"]}
    retention = int(number(c.properties, "retention_days"))
    properties = _bucket_basics(
        stack,
        {
            "BucketKeyEnabled": True,
            "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": _get_att("Key", "Arn")},
        },
        [
            {
                "Id": "expire-trail-logs",
                "Status": "Enabled",
                "ExpirationInDays": retention,
                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            }
        ],
    )
    properties["LoggingConfiguration"] = {"DestinationBucketName": _ref("LogBucket"), "LogFilePrefix": "s3/trail/"}
    properties["Tags"] = stack.tags()
    stack.add(
        "TrailBucket",
        "AWS::S3::Bucket",
        properties,
        Condition="AuditTrail",
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
        Metadata={
            "checkov": {
                "skip": [
                    {
                        "id": "CKV_AWS_144",
                        "comment": "The trail is multi-Region already; its log files are audit evidence kept here.",
                    }
                ]
            }
        },
    )
    trail_name = f"{stack.prefix}-{c.id}"
    trail_arn = _sub(f"arn:${{AWS::Partition}}:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{trail_name}")
    arn = _get_att("TrailBucket", "Arn")
    trail_source = {"StringEquals": {"aws:SourceArn": trail_arn}}
    stack.add(
        "TrailBucketPolicy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": _ref("TrailBucket"),
            "PolicyDocument": _policy(
                _deny_insecure(arn),
                _statement(
                    "CloudTrailChecksTheBucketAcl",
                    ["s3:GetBucketAcl"],
                    arn,
                    {"Service": "cloudtrail.amazonaws.com"},
                    condition=trail_source,
                ),
                _statement(
                    "CloudTrailWritesThisTrailsLogs",
                    ["s3:PutObject"],
                    {"Fn::Join": ["", [arn, _sub("/AWSLogs/${AWS::AccountId}/*")]]},
                    {"Service": "cloudtrail.amazonaws.com"},
                    condition={
                        "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail_arn}
                    },
                ),
            ),
        },
        Condition="AuditTrail",
    )
    cw_retention = int(number(c.properties, "cloudwatch_retention_days"))
    stack.add(
        "TrailLogGroup",
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": _sub(f"/aws/cloudtrail/{trail_name}"),
            "RetentionInDays": cw_retention,
            "KmsKeyId": _get_att("Key", "Arn"),
            "Tags": stack.tags(),
        },
        Condition="AuditTrail",
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add(
        "TrailLogsRole",
        "AWS::IAM::Role",
        {
            "Description": _sub(f"CloudTrail trail {trail_name} writes its events to CloudWatch Logs."),
            "AssumeRolePolicyDocument": _policy(
                _statement(
                    "CloudTrailAssumes",
                    ["sts:AssumeRole"],
                    None,
                    {"Service": "cloudtrail.amazonaws.com"},
                    condition=trail_source,
                )
            ),
            "Policies": [
                {
                    "PolicyName": "write-trail-log-streams",
                    "PolicyDocument": _policy(
                        {
                            "Sid": "WriteTheTrailsLogStreams",
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": {"Fn::Join": ["", [_get_att("TrailLogGroup", "Arn")]]},
                        }
                    ),
                }
            ],
            "Tags": stack.tags(),
        },
        Condition="AuditTrail",
    )
    stack.add(
        "Trail",
        "AWS::CloudTrail::Trail",
        {
            "TrailName": _sub(trail_name),
            "IsLogging": True,
            "IsMultiRegionTrail": True,
            "IncludeGlobalServiceEvents": True,
            "EnableLogFileValidation": True,
            "KMSKeyId": _get_att("Key", "Arn"),
            "S3BucketName": _ref("TrailBucket"),
            "CloudWatchLogsLogGroupArn": _get_att("TrailLogGroup", "Arn"),
            "CloudWatchLogsRoleArn": _get_att("TrailLogsRole", "Arn"),
            "Tags": stack.tags(),
        },
        Condition="AuditTrail",
        DependsOn=["TrailBucketPolicy"],
    )
    stack.output("TrailArn", "ARN of the audit trail.", _get_att("Trail", "Arn"), condition="AuditTrail")


def _pascal(text: str) -> str:
    return "".join(part.capitalize() for part in "".join(ch if ch.isalnum() else "-" for ch in text).split("-"))


def _dynamodb_table(stack: _Stack, root: Root, c: Component) -> None:
    name = _logical(c.id, "Table")
    origin = root.origin_of(c)
    if origin is not None and not root.is_restore:
        # The replica of a global table: created and owned by the primary Region's stack (its Replicas list), so
        # this stack must not create a table of the same name; its functions get access to it (_access_statements).
        stack.output(
            f"{_logical(c.id)}TableArn",
            f"ARN of {c.id}, the {root.region} replica of the {origin.id} global table (created by the "
            f"{origin.region} stack).",
            _sub(
                f"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{stack.prefix}-{origin.id}"
            ),
        )
        return
    if c.properties.get("billing_mode") == "PROVISIONED":
        raise UserError(f"CloudFormation covers on-demand DynamoDB tables only yet; {c.id} is PROVISIONED")
    backup = any(b.kind == "backup-vault" and "schedule" in b.properties for b in root.components)
    pitr = {"PointInTimeRecoveryEnabled": bool(c.properties.get("point_in_time_recovery"))}
    tags = stack.tags({"archgen:backup": "true"} if backup else None)
    keys: dict[str, Any] = {
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    }
    copy = root.recovery_copy(c.id) if origin is None else None
    if copy is not None:
        # A global table (the DR strategy's live copy): the replica in the recovery Region is encrypted with that
        # Region's key and has point-in-time recovery of its own; it is added once RecoveryKmsKeyArn is set.
        condition = _recovery_key_parameter(stack, copy.region)
        replica = {
            "Region": copy.region,
            "SSESpecification": {"KMSMasterKeyId": _ref("RecoveryKmsKeyArn")},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "DeletionProtectionEnabled": True,
            "Tags": tags,
        }
        properties: dict[str, Any] = {
            "TableName": _sub(f"{stack.prefix}-{c.id}"),
            "BillingMode": str(c.properties["billing_mode"]),
            **keys,
            # replicas sync through the table's stream (needed once there are two)
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"},
            "Replicas": [
                {
                    "Region": _ref("AWS::Region"),
                    "SSESpecification": {"KMSMasterKeyId": _get_att("Key", "Arn")},
                    "PointInTimeRecoverySpecification": pitr,
                    "DeletionProtectionEnabled": True,
                    "Tags": tags,
                },
                _if(condition, replica),
            ],
        }
        stack.add(name, "AWS::DynamoDB::GlobalTable", properties, DeletionPolicy="Retain",
                  UpdateReplacePolicy="Retain")  # fmt: skip
    else:
        properties = {
            "TableName": _sub(f"{stack.prefix}-{c.id}"),
            "BillingMode": str(c.properties["billing_mode"]),
            **keys,
            "PointInTimeRecoverySpecification": pitr,
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": _get_att("Key", "Arn")},
            "DeletionProtectionEnabled": True,
            "Tags": tags,
        }
        stack.add(name, "AWS::DynamoDB::Table", properties, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
    stack.output(f"{_logical(c.id)}TableArn", f"ARN of {c.id} (DynamoDB table).", _get_att(name, "Arn"))


def _stack_prefix(root: Root) -> str:
    """The name prefix of a root's stack (as a Fn::Sub text), as _Stack.prefix."""
    return f"{root.design.name}-${{Environment}}"


def _access_statements(root: Root, c: Component) -> list[dict[str, Any]]:
    """What a function needs on the stores it connects to (the Terraform modules' access_policy_json)."""
    statements: list[dict[str, Any]] = []
    via_s3 = {"StringEquals": {"kms:ViaService": _sub("s3.${AWS::Region}.amazonaws.com")}}
    for target in root.targets_of(c.id):
        if target.kind == "dynamodb-table":
            origin = root.origin_of(target)
            copy = root.recovery_copy(target.id) if origin is None else None
            arn: Any
            if origin is not None and not root.is_restore:  # the replica the primary Region's stack created
                arn = _sub(
                    f"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/"
                    f"{_stack_prefix(root)}-{origin.id}"
                )
            else:
                arn = _get_att(_logical(target.id, "Table"), "Arn")
            actions = [
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:UpdateItem",
            ]
            resources: list[Any] = [arn, {"Fn::Join": ["", [arn, "/index/*"]]}]
            keys: list[Any] = [_get_att("Key", "Arn")]
            via: list[Any] = [_sub("dynamodb.${AWS::Region}.amazonaws.com")]
            if copy is not None:  # the global table's replica in the recovery Region, once it exists
                replica = _sub(
                    f"arn:${{AWS::Partition}}:dynamodb:{copy.region}:${{AWS::AccountId}}:table/"
                    f"{_stack_prefix(root)}-{target.id}"
                )
                resources += [
                    _if("HasRecoveryKey", replica),
                    _if("HasRecoveryKey", {"Fn::Join": ["", [replica, "/index/*"]]}),
                ]
                keys.append(_if("HasRecoveryKey", _ref("RecoveryKmsKeyArn")))
                via.append(_if("HasRecoveryKey", f"dynamodb.{copy.region}.amazonaws.com"))
            statements.append({"Sid": f"ReadWrite{_pascal(target.id)}", "Effect": "Allow", "Action": actions,
                               "Resource": resources})  # fmt: skip
            statements.append(
                {
                    "Sid": f"Use{_pascal(target.id)}KeysThroughDynamoDB",
                    "Effect": "Allow",
                    "Action": [
                        "kms:Decrypt",
                        "kms:DescribeKey",
                        "kms:Encrypt",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                    "Resource": keys,
                    "Condition": {"StringEquals": {"kms:ViaService": via}},
                }
            )
        elif target.kind == "sqs-queue":
            statements += [
                {
                    "Sid": f"Use{_pascal(target.id)}",
                    "Effect": "Allow",
                    "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                               "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                    "Resource": _get_att(_logical(target.id, "Queue"), "Arn"),
                },
                {
                    "Sid": f"Use{_pascal(target.id)}KeyThroughSqs",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": _get_att("Key", "Arn"),
                    "Condition": {"StringEquals": {"kms:ViaService": _sub("sqs.${AWS::Region}.amazonaws.com")}},
                },
            ]  # fmt: skip
        elif target.kind == "firehose-stream":
            statements.append(
                {
                    "Sid": f"PutRecordsTo{_pascal(target.id)}",
                    "Effect": "Allow",
                    "Action": ["firehose:PutRecord", "firehose:PutRecordBatch", "firehose:DescribeDeliveryStream"],
                    "Resource": _get_att(_logical(target.id, "DeliveryStream"), "Arn"),
                }
            )
        elif target.kind == "s3-bucket":
            arn = _get_att(_logical(target.id, "Bucket"), "Arn")
            statements += [
                {"Sid": f"List{_pascal(target.id)}", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": arn},
                {
                    "Sid": f"ReadWrite{_pascal(target.id)}Objects",
                    "Effect": "Allow",
                    "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                    "Resource": {"Fn::Join": ["", [arn, "/*"]]},
                },
                {
                    "Sid": f"Use{_pascal(target.id)}KeyThroughS3",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": _get_att("Key", "Arn"),
                    "Condition": via_s3,
                },
            ]
    return statements


def _lambda_function(stack: _Stack, root: Root, c: Component) -> None:
    service = str(c.properties["service"])
    base = _logical(c.id)
    package = _pascal(service)
    stack.parameter(f"{package}PackageBucket", {
        "Type": "String",
        "AllowedPattern": r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        "ConstraintDescription": "an S3 bucket name",
        "Description": f"S3 bucket (in this Region) holding the {service} service's deployment package.",
    })  # fmt: skip
    stack.parameter(f"{package}PackageKey", {
        "Type": "String",
        "AllowedPattern": r"^[A-Za-z0-9!_.*'()/-]+\.zip$",
        "ConstraintDescription": "the key of a .zip object",
        "Description": f"S3 key of the {service} service's .zip deployment package.",
    })  # fmt: skip
    stack.parameter(f"{package}Runtime", {
        "Type": "String",
        "Default": "provided.al2023",
        "AllowedPattern": r"^[a-z0-9.]+$",
        "Description": f"Lambda runtime of the {service} service.",
    })  # fmt: skip
    stack.parameter(f"{package}Handler", {
        "Type": "String",
        "Default": "bootstrap",
        "AllowedPattern": r"^[A-Za-z0-9_.:/-]{1,128}$",
        "Description": f"Handler of the {service} service.",
    })  # fmt: skip
    function_name = f"{stack.prefix}-{c.id}"
    stack.add(
        f"{base}LogGroup",
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": _sub(f"/aws/lambda/{function_name}"),
            "RetentionInDays": 365,
            "KmsKeyId": _get_att("Key", "Arn"),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add(
        f"{base}DeadLetterQueue",
        "AWS::SQS::Queue",
        {
            "QueueName": _sub(f"{function_name}-dlq"),
            "KmsMasterKeyId": _get_att("Key", "Arn"),
            "KmsDataKeyReusePeriodSeconds": 300,
            "MessageRetentionPeriod": 1209600,
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}SigningProfile",
        "AWS::Signer::SigningProfile",
        {
            "PlatformId": "AWSLambda-SHA384-ECDSA",
            "SignatureValidityPeriod": {"Value": 5, "Type": "YEARS"},
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}CodeSigning",
        "AWS::Lambda::CodeSigningConfig",
        {
            "Description": _sub(f"Signing profile for {function_name}"),
            "AllowedPublishers": {
                "SigningProfileVersionArns": [_get_att(f"{base}SigningProfile", "ProfileVersionArn")]
            },
            "CodeSigningPolicies": {"UntrustedArtifactOnDeployment": "Warn"},
            "Tags": stack.tags(),
        },
    )
    log_group_arn = _get_att(f"{base}LogGroup", "Arn")
    own = [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Join": ["", [log_group_arn, ":*"]]},
        },
        {
            "Sid": "SendFailedEventsToTheDeadLetterQueue",
            "Effect": "Allow",
            "Action": ["sqs:SendMessage"],
            "Resource": _get_att(f"{base}DeadLetterQueue", "Arn"),
        },
        {
            "Sid": "UseTheRegionKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": _get_att("Key", "Arn"),
        },
    ]
    policies = [{"PolicyName": "logs-dlq-and-key", "PolicyDocument": _policy(*own)}]
    access = _access_statements(root, c)
    if access:
        policies.append({"PolicyName": "data-access", "PolicyDocument": _policy(*access)})
    stack.add(
        f"{base}Role",
        "AWS::IAM::Role",
        {
            "Description": _sub(f"Runtime identity of the {service} function ({function_name})"),
            "AssumeRolePolicyDocument": _policy(
                _statement("LambdaAssumes", ["sts:AssumeRole"], None, {"Service": "lambda.amazonaws.com"})
            ),
            "MaxSessionDuration": 3600,
            "ManagedPolicyArns": [_sub("arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess")],
            "Policies": policies,
            "Tags": stack.tags(),
        },
    )
    code: dict[str, Any] = {"S3Bucket": _ref(f"{package}PackageBucket"), "S3Key": _ref(f"{package}PackageKey")}
    stack.add(
        f"{base}Function",
        "AWS::Lambda::Function",
        {
            "FunctionName": _sub(function_name),
            "Description": _sub(f"{service} ({function_name})"),
            "Role": _get_att(f"{base}Role", "Arn"),
            "Code": code,
            "Runtime": _ref(f"{package}Runtime"),
            "Handler": _ref(f"{package}Handler"),
            "Architectures": [str(c.properties["architecture"])],
            "MemorySize": int(number(c.properties, "memory_mib")),
            "Timeout": int(number(c.properties, "timeout_seconds")),
            "ReservedConcurrentExecutions": int(c.properties.get("reserved_concurrency", 100)),  # type: ignore[arg-type]
            "KmsKeyArn": _get_att("Key", "Arn"),
            "CodeSigningConfigArn": _ref(f"{base}CodeSigning"),
            "Environment": {"Variables": {"SERVICE_NAME": service}},
            "TracingConfig": {"Mode": "Active"},
            "DeadLetterConfig": {"TargetArn": _get_att(f"{base}DeadLetterQueue", "Arn")},
            "LoggingConfig": {
                "LogFormat": "JSON",
                "LogGroup": _ref(f"{base}LogGroup"),
                "ApplicationLogLevel": "INFO",
                "SystemLogLevel": "WARN",
            },
            "Tags": stack.tags(),
        },
        Metadata={
            "checkov": {
                "skip": [
                    {
                        "id": "CKV_AWS_117",
                        "comment": "The design has no VPC: a function with no VPC resources to reach needs no "
                        "network interfaces (the Terraform attaches it whenever the design has a VPC).",
                    }
                ]
            }
        },
    )
    stack.output(f"{base}FunctionArn", f"ARN of the {c.id} function.", _get_att(f"{base}Function", "Arn"))


def _api_gateway(stack: _Stack, root: Root, c: Component) -> None:
    base = _logical(c.id)
    functions = [f for f in root.components_of_kind("lambda-function") if f.properties.get("public")]
    name = f"{stack.prefix}-{c.id}"
    stack.add(
        f"{base}AccessLogGroup",
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": _sub(f"/aws/apigateway/{name}"),
            "RetentionInDays": 365,
            "KmsKeyId": _get_att("Key", "Arn"),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add(
        f"{base}Api",
        "AWS::ApiGatewayV2::Api",
        {
            "Name": _sub(name),
            "Description": _sub(f"HTTP API {name}"),
            "ProtocolType": "HTTP",
            "DisableExecuteApiEndpoint": False,
            "Tags": {tag["Key"]: tag["Value"] for tag in stack.tags()},
        },
    )
    api = _ref(f"{base}Api")
    single = len(functions) == 1
    for f in functions:
        fn = _logical(f.id)
        integration = f"{base}{fn}Integration"
        stack.add(
            integration,
            "AWS::ApiGatewayV2::Integration",
            {
                "ApiId": api,
                "Description": f"Lambda function {f.id}",
                "IntegrationType": "AWS_PROXY",
                "IntegrationMethod": "POST",
                "IntegrationUri": _get_att(f"{fn}Function", "Arn"),
                "PayloadFormatVersion": "2.0",
                "TimeoutInMillis": 30000,
            },
        )
        service = str(f.properties["service"])
        keys = ["$default"] if single else [f"ANY /{service}", f"ANY /{service}/{{proxy+}}"]
        for index, key in enumerate(keys):
            stack.add(
                f"{base}{fn}Route{index or ''}",
                "AWS::ApiGatewayV2::Route",
                {
                    "ApiId": api,
                    "RouteKey": key,
                    "Target": {"Fn::Join": ["/", ["integrations", _ref(integration)]]},
                    "AuthorizationType": "NONE",
                },
                Metadata={
                    "checkov": {
                        "skip": [
                            {
                                "id": "CKV_AWS_309",
                                "comment": "The public API authenticates callers in the service itself, as the "
                                "spec describes it (the Terraform adds a JWT authorizer only with jwt_issuer).",
                            }
                        ]
                    }
                },
            )
        source = "/*/$default" if single else f"/*/*/{service}*"
        stack.add(
            f"{base}{fn}Permission",
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": _ref(f"{fn}Function"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {
                    "Fn::Join": [
                        "",
                        [
                            _sub(
                                f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{base}Api}}"
                            ),
                            source,
                        ],
                    ]
                },
            },
        )
    fields = ["requestId", "requestTime", "identity.sourceIp", "identity.userAgent", "httpMethod", "path",
              "routeKey", "protocol", "status", "responseLength", "responseLatency", "integrationLatency",
              "integrationStatus", "integrationErrorMessage", "error.message", "domainName"]  # fmt: skip
    log_format = "{" + ",".join(f'"{f.split(".")[-1]}":"$context.{f}"' for f in fields) + "}"
    stack.add(
        f"{base}Stage",
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": api,
            "StageName": "$default",
            "AutoDeploy": True,
            "AccessLogSettings": {"DestinationArn": _get_att(f"{base}AccessLogGroup", "Arn"), "Format": log_format},
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": int(c.properties.get("throttling_rate_limit", 1000)),  # type: ignore[arg-type]
                "ThrottlingBurstLimit": int(c.properties.get("throttling_burst_limit", 2000)),  # type: ignore[arg-type]
                "DetailedMetricsEnabled": True,
            },
            "Tags": {tag["Key"]: tag["Value"] for tag in stack.tags()},
        },
    )
    stack.parameter("DomainName", {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})?$",
        "ConstraintDescription": "empty, or a fully qualified lowercase DNS name",
        "Description": "The DNS name users reach the API at, e.g. api.example.com; empty for the execute-api name.",
    })  # fmt: skip
    stack.parameter("CertificateArn", {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[a-f0-9-]{36})?$",
        "ConstraintDescription": "empty, or the ARN of a regional ACM certificate for DomainName",
        "Description": "Regional ACM certificate of DomainName (needed when DomainName is set).",
    })  # fmt: skip
    stack.conditions["HasDomain"] = {"Fn::Not": [{"Fn::Equals": [_ref("DomainName"), ""]}]}
    stack.conditions["HasCertificate"] = {"Fn::Not": [{"Fn::Equals": [_ref("CertificateArn"), ""]}]}
    stack.rules["DomainNeedsCertificate"] = {
        "RuleCondition": {"Fn::Not": [{"Fn::Equals": [_ref("DomainName"), ""]}]},
        "Assertions": [
            {
                "Assert": {"Fn::Not": [{"Fn::Equals": [_ref("CertificateArn"), ""]}]},
                "AssertDescription": "A custom DomainName needs CertificateArn (a regional ACM certificate).",
            }
        ],
    }
    stack.add(
        f"{base}DomainName",
        "AWS::ApiGatewayV2::DomainName",
        {
            "DomainName": _ref("DomainName"),
            "DomainNameConfigurations": [
                {
                    # the same condition as the resource's: cfn-lint would otherwise check the empty default
                    "CertificateArn": _if("HasCertificate", _ref("CertificateArn")),
                    "EndpointType": "REGIONAL",
                    "SecurityPolicy": "TLS_1_2",
                }
            ],
            "Tags": {tag["Key"]: tag["Value"] for tag in stack.tags()},
        },
        Condition="HasDomain",
    )
    stack.add(
        f"{base}ApiMapping",
        "AWS::ApiGatewayV2::ApiMapping",
        {"ApiId": api, "DomainName": _ref(f"{base}DomainName"), "Stage": _ref(f"{base}Stage")},
        Condition="HasDomain",
    )
    stack.output(f"{base}Endpoint", f"Invoke URL of the {c.id} HTTP API.", _get_att(f"{base}Api", "ApiEndpoint"))


def _tls_only_queue_policy(stack: _Stack, name: str, queue: str) -> None:
    stack.add(
        name,
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [_ref(queue)],
            "PolicyDocument": _policy(
                _statement(
                    "DenyInsecureTransport",
                    ["sqs:*"],
                    _get_att(queue, "Arn"),
                    "*",
                    effect="Deny",
                    condition={"Bool": {"aws:SecureTransport": "false"}},
                )
            ),
        },
    )


def _sqs_queue(stack: _Stack, c: Component) -> None:
    """A standard queue and its dead-letter queue, KMS-encrypted, TLS-only (templates/terraform/modules/sqs-queue)."""
    base = _logical(c.id)
    queue_name = f"{stack.prefix}-{c.id}"
    stack.add(
        f"{base}DeadLetterQueue",
        "AWS::SQS::Queue",
        {
            "QueueName": _sub(f"{queue_name}-dlq"),
            "KmsMasterKeyId": _get_att("Key", "Arn"),
            "KmsDataKeyReusePeriodSeconds": 300,
            "MessageRetentionPeriod": 1209600,  # the maximum: failed messages wait for a human
            # only this queue may use the dead-letter queue (its ARN built from its name: a reference would loop)
            "RedriveAllowPolicy": {
                "redrivePermission": "byQueue",
                "sourceQueueArns": [
                    _sub(f"arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{queue_name}")
                ],
            },
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}Queue",
        "AWS::SQS::Queue",
        {
            "QueueName": _sub(queue_name),
            "KmsMasterKeyId": _get_att("Key", "Arn"),
            "KmsDataKeyReusePeriodSeconds": 300,
            "VisibilityTimeout": int(number(c.properties, "visibility_timeout_seconds")),
            "MessageRetentionPeriod": int(number(c.properties, "message_retention_seconds")),
            "ReceiveMessageWaitTimeSeconds": 20,
            "RedrivePolicy": {
                "deadLetterTargetArn": _get_att(f"{base}DeadLetterQueue", "Arn"),
                "maxReceiveCount": int(number(c.properties, "max_receive_count")),
            },
            "Tags": stack.tags(),
        },
    )
    _tls_only_queue_policy(stack, f"{base}QueuePolicy", f"{base}Queue")
    _tls_only_queue_policy(stack, f"{base}DeadLetterQueuePolicy", f"{base}DeadLetterQueue")
    stack.output(f"{base}Arn", f"ARN of {c.id} (SQS queue).", _get_att(f"{base}Queue", "Arn"))
    stack.output(f"{base}Url", f"URL of {c.id} (what SDKs take as QueueUrl).", _ref(f"{base}Queue"))
    stack.output(
        f"{base}DeadLetterQueueArn",
        f"ARN of the dead-letter queue of {c.id}.",
        _get_att(f"{base}DeadLetterQueue", "Arn"),
    )


def _firehose(stack: _Stack, root: Root, c: Component) -> None:
    """A Direct PUT Data Firehose stream into the lake bucket (templates/terraform/modules/firehose).

    GZIP objects under date partitions, encrypted with the Region's key; delivery errors are logged.
    """
    base = _logical(c.id)
    if any(s.kind == "kinesis-stream" for s in root.sources_of(c.id)):
        raise UserError(f"CloudFormation does not cover a Firehose stream fed by a Kinesis stream yet ({c.id})")
    lakes = [t for t in root.targets_of(c.id) if t.kind == "s3-bucket"]
    if not lakes:
        raise UserError(f"{c.id} (Data Firehose) has no S3 bucket to deliver to in {root.region}")
    lake = _get_att(_logical(lakes[0].id, "Bucket"), "Arn")
    name = f"{stack.prefix}-{c.id}"
    log_stream = "DestinationDelivery"
    date_path = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    stack.add(
        f"{base}LogGroup",
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": _sub(f"/aws/kinesisfirehose/{name}"),
            "RetentionInDays": 365,
            "KmsKeyId": _get_att("Key", "Arn"),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add(
        f"{base}LogStream",
        "AWS::Logs::LogStream",
        {"LogGroupName": _ref(f"{base}LogGroup"), "LogStreamName": log_stream},
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    via_s3 = _sub("s3.${AWS::Region}.amazonaws.com")
    delivery: list[dict[str, Any]] = [
        {
            "Sid": "WriteLakeObjects",
            "Effect": "Allow",
            "Action": ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                       "s3:ListBucketMultipartUploads", "s3:PutObject"],
            "Resource": [lake, {"Fn::Join": ["", [lake, "/*"]]}],
        },
        {
            "Sid": "EncryptLakeObjects",
            "Effect": "Allow",
            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
            "Resource": _get_att("Key", "Arn"),
            "Condition": {
                "StringEquals": {"kms:ViaService": via_s3},
                "StringLike": {"kms:EncryptionContext:aws:s3:arn": {"Fn::Join": ["", [lake, "/*"]]}},
            },
        },
        {
            "Sid": "LogDeliveryErrors",
            "Effect": "Allow",
            "Action": ["logs:PutLogEvents"],
            "Resource": {"Fn::Join": ["", [_get_att(f"{base}LogGroup", "Arn"), f":log-stream:{log_stream}"]]},
        },
    ]  # fmt: skip
    stack.add(
        f"{base}Role",
        "AWS::IAM::Role",
        {
            "Description": _sub(f"Data Firehose stream {name}: writes the lake bucket."),
            "AssumeRolePolicyDocument": _policy(
                _statement(
                    "FirehoseAssumes",
                    ["sts:AssumeRole"],
                    None,
                    {"Service": "firehose.amazonaws.com"},
                    condition={"StringEquals": {"sts:ExternalId": _ref("AWS::AccountId")}},
                )
            ),
            "Policies": [{"PolicyName": "deliver-to-lake", "PolicyDocument": _policy(*delivery)}],
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}DeliveryStream",
        "AWS::KinesisFirehose::DeliveryStream",
        {
            "DeliveryStreamName": _sub(name),
            "DeliveryStreamType": "DirectPut",
            "DeliveryStreamEncryptionConfigurationInput": {
                "KeyType": "CUSTOMER_MANAGED_CMK",
                "KeyARN": _get_att("Key", "Arn"),
            },
            "ExtendedS3DestinationConfiguration": {
                "BucketARN": lake,
                "RoleARN": _get_att(f"{base}Role", "Arn"),
                "BufferingHints": {
                    "SizeInMBs": int(number(c.properties, "buffer_mb")),
                    "IntervalInSeconds": int(number(c.properties, "buffer_seconds")),
                },
                "CompressionFormat": "GZIP",
                "EncryptionConfiguration": {"KMSEncryptionConfig": {"AWSKMSKeyARN": _get_att("Key", "Arn")}},
                "Prefix": f"events/{date_path}",
                "ErrorOutputPrefix": f"errors/!{{firehose:error-output-type}}/{date_path}",
                "CloudWatchLoggingOptions": {
                    "Enabled": True,
                    "LogGroupName": _ref(f"{base}LogGroup"),
                    "LogStreamName": _ref(f"{base}LogStream"),
                },
            },
            "Tags": stack.tags(),
        },
    )
    stack.output(
        f"{base}Arn", f"ARN of {c.id} (Data Firehose delivery stream).", _get_att(f"{base}DeliveryStream", "Arn")
    )


def _strip_none_principal(template: Any) -> Any:
    """Drop the ``Resource: None`` placeholders of trust policies (they take no Resource)."""
    if isinstance(template, dict):
        return {k: _strip_none_principal(v) for k, v in template.items() if not (k == "Resource" and v is None)}
    if isinstance(template, list):
        return [_strip_none_principal(v) for v in template]
    return template


def _region_stack(root: Root) -> Template:
    design = root.design
    kind = "the dormant restore stack of" if root.is_restore else "the stack of"
    stack = _Stack(design, f"archgen {__version__}: {kind} {design.name} in {root.region}.", root.region)
    alias = f"{stack.prefix}-restore" if root.is_restore else stack.prefix
    _kms(stack, alias, cloudtrail=root.has_kind("cloudtrail"))
    if root.replicates and not root.is_primary and not root.is_restore:
        stack.output(
            "RecoveryKmsKeyArn",
            f"This Region's KMS key: the {design.primary_region} stack's RecoveryKmsKeyArn parameter (encrypts the "
            "replicas it sends here).",
            _get_att("Key", "Arn"),
        )
    _logs(stack)
    builders: dict[str, Callable[[_Stack, Root, Component], None]] = {
        "s3-bucket": _s3_bucket,
        "backup-vault": lambda stack, _, c: _backup_vault(stack, c),
        "guardduty-detector": lambda stack, _, c: _guardduty(stack, c),
        "cloudtrail": lambda stack, _, c: _cloudtrail(stack, c),
        "dynamodb-table": _dynamodb_table,
        "lambda-function": _lambda_function,
        "api-gateway-http": _api_gateway,
        "sqs-queue": lambda stack, _, c: _sqs_queue(stack, c),
        "firehose-stream": _firehose,
    }
    for c in root.components:
        if c.kind in builders:
            builders[c.kind](stack, root, c)
    # cloudfront and waf are global: the edge stack has them
    return stack.template()


# -- the edge stack (us-east-1) ----------------------------------------------------------------------------------------
def _edge_stack(design: Design, primary: Root) -> Template | None:
    edges = primary.components_of_kind("cloudfront")
    if not edges:
        return None
    edge = edges[0]
    wafs = primary.components_of_kind("waf")
    origin = next((t for t in primary.targets_of(edge.id) if t.kind == "s3-bucket"), None)
    if origin is None:
        raise UserError(f"CloudFormation covers only S3 origins for CloudFront yet; {edge.id} has none")
    stack = _Stack(
        design, f"archgen {__version__}: the edge of {design.name} (deploy in {EDGE_REGION}).",
        EDGE_REGION,
    )  # fmt: skip
    stack.parameter("DomainName", {
        "Type": "String",
        "AllowedPattern": DOMAIN_PATTERN,
        "ConstraintDescription": "a fully qualified lowercase DNS name",
        "Description": "The DNS name users reach the service at, e.g. docs.example.com.",
    })  # fmt: skip
    stack.parameter("OriginDomainName", {
        "Type": "String",
        "AllowedPattern": r"^[a-z0-9][a-z0-9.-]{2,62}\.s3\.[a-z0-9-]+\.amazonaws\.com$",
        "ConstraintDescription": "the regional domain name of an S3 bucket",
        "Description": f"Regional domain name of {origin.id}: the {_logical(origin.id)}RegionalDomainName output of "
        f"the {primary.region} stack.",
    })  # fmt: skip
    stack.parameter("LogBucketArn", {
        "Type": "String",
        "AllowedPattern": r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        "ConstraintDescription": "the ARN of an S3 bucket",
        "Description": f"ARN of the access-log bucket: the LogBucketArn output of the {primary.region} stack.",
    })  # fmt: skip
    name = f"{stack.prefix}-{edge.id}"
    stack.add(
        "Certificate",
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": _ref("DomainName"),
            "ValidationMethod": "DNS",
            "CertificateTransparencyLoggingPreference": "ENABLED",
            "Tags": stack.tags(),
        },
    )
    if wafs:
        _waf(stack, wafs[0])
    stack.add(
        "OriginAccessControl",
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": {
                "Name": _sub(f"{name}-oac"),
                "Description": _sub(f"CloudFront signs its requests to the {origin.id} bucket."),
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    )
    stack.add(
        "SecurityHeaders",
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": {
                "Name": _sub(f"{name}-security-headers"),
                "Comment": "Security headers for every response.",
                "SecurityHeadersConfig": {
                    "StrictTransportSecurity": {
                        "AccessControlMaxAgeSec": 31536000,
                        "IncludeSubdomains": True,
                        "Preload": True,
                        "Override": True,
                    },
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True},
                    "XSSProtection": {"Protection": True, "ModeBlock": True, "Override": True},
                },
            }
        },
    )
    config: dict[str, Any] = {
        "Enabled": True,
        "Comment": _sub(f"{name}: ${{DomainName}}"),
        "Aliases": [_ref("DomainName")],
        "PriceClass": str(edge.properties["price_class"]),
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "DefaultRootObject": "index.html",
        "Origins": [
            {
                "Id": "primary",
                "DomainName": _ref("OriginDomainName"),
                "OriginAccessControlId": _get_att("OriginAccessControl", "Id"),
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": "primary",
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
            "CachedMethods": ["GET", "HEAD"],
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": _ref("SecurityHeaders"),
        },
        "Restrictions": {"GeoRestriction": {"RestrictionType": "none"}},
        "ViewerCertificate": {
            "AcmCertificateArn": _ref("Certificate"),
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    }
    if wafs:
        config["WebACLId"] = _get_att("WebAcl", "Arn")
    skips = [
        {
            "id": "CKV_AWS_86",
            "comment": "Access logs use CloudFront standard logging v2 (the AccessLog delivery resources of this "
            "stack, to the log bucket's cdn/ prefix), which this check does not recognise; the legacy Logging "
            "property would need ACLs on the log bucket.",
        },
    ]
    stack.add(
        "Distribution",
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": config, "Tags": stack.tags()},
        Metadata={"checkov": {"skip": skips}},
    )
    stack.add(
        "AccessLogSource",
        "AWS::Logs::DeliverySource",
        {
            "Name": _sub(f"{name}-access-logs"),
            "LogType": "ACCESS_LOGS",
            "ResourceArn": _sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"),
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "AccessLogDestination",
        "AWS::Logs::DeliveryDestination",
        {
            "Name": _sub(f"{name}-access-logs"),
            "OutputFormat": "w3c",
            "DestinationResourceArn": _sub("${LogBucketArn}/cdn"),
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "AccessLogDelivery",
        "AWS::Logs::Delivery",
        {
            "DeliverySourceName": _ref("AccessLogSource"),
            "DeliveryDestinationArn": _get_att("AccessLogDestination", "Arn"),
            "Tags": stack.tags(),
        },
    )
    stack.output("DistributionId", "Id of the CloudFront distribution.", _ref("Distribution"))
    stack.output(
        "DistributionArn",
        f"ARN of the distribution: the CloudFrontDistributionArn parameter of the {primary.region} stack.",
        _sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"),
    )
    stack.output("DistributionDomainName", "Name to point the DNS record at.", _get_att("Distribution", "DomainName"))
    stack.output("CertificateArn", "The distribution's certificate.", _ref("Certificate"))
    return stack.template()


def _waf(stack: _Stack, c: Component) -> None:
    """A CLOUDFRONT-scope web ACL with its own log key and log group (templates/terraform/modules/waf)."""
    name = f"{stack.prefix}-{c.id}"
    metric = "".join(ch for ch in f"{stack.design.name}{c.id}" if ch.isalnum())
    log_group = f"aws-waf-logs-{name}"
    account = _sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    stack.add(
        "WafLogKey",
        "AWS::KMS::Key",
        {
            "Description": _sub(f"{name}: encrypts the web ACL's request log"),
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": _policy(
                _statement("AccountAdministersTheKey", ["kms:*"], "*", {"AWS": account}),
                _statement(
                    "CloudWatchLogsEncryptsTheWafLogGroup",
                    ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    "*",
                    {"Service": _sub("logs.${AWS::Region}.amazonaws.com")},
                    condition={
                        "ArnEquals": {
                            "kms:EncryptionContext:aws:logs:arn": _sub(
                                f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{log_group}"
                            )
                        }
                    },
                ),
            ),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add(
        "WafLogGroup",
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": _sub(log_group),
            "RetentionInDays": 365,
            "KmsKeyId": _get_att("WafLogKey", "Arn"),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )

    def visibility(rule: str) -> dict[str, Any]:
        return {"CloudWatchMetricsEnabled": True, "MetricName": f"{metric}{rule}", "SampledRequestsEnabled": True}

    def managed(rule: str, priority: int, overrides: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        statement: dict[str, Any] = {"Name": rule, "VendorName": "AWS"}
        if overrides:
            statement["RuleActionOverrides"] = overrides
        return {
            "Name": rule,
            "Priority": priority,
            "OverrideAction": {"None": {}},
            "Statement": {"ManagedRuleGroupStatement": statement},
            "VisibilityConfig": visibility(rule),
        }

    rules = [
        managed("AWSManagedRulesAmazonIpReputationList", 10),
        managed(
            "AWSManagedRulesAnonymousIpList",
            15,
            [{"Name": "HostingProviderIPList", "ActionToUse": {"Count": {}}}],
        ),
        {
            "Name": "RateLimitPerIp",
            "Priority": 20,
            "Action": {"Block": {}},
            "Statement": {
                "RateBasedStatement": {
                    "Limit": int(number(c.properties, "rate_limit_per_5min")),
                    "EvaluationWindowSec": 300,
                    "AggregateKeyType": "IP",
                }
            },
            "VisibilityConfig": visibility("RateLimitPerIp"),
        },
        managed("AWSManagedRulesCommonRuleSet", 30),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 40),
    ]
    stack.add(
        "WebAcl",
        "AWS::WAFv2::WebACL",
        {
            "Name": _sub(name),
            "Description": "Managed rule groups and a per-IP rate limit.",
            "Scope": "CLOUDFRONT",
            "DefaultAction": {"Allow": {}},
            "Rules": rules,
            "VisibilityConfig": visibility(""),
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "WebAclLogging",
        "AWS::WAFv2::LoggingConfiguration",
        {"ResourceArn": _get_att("WebAcl", "Arn"), "LogDestinationConfigs": [_get_att("WafLogGroup", "Arn")]},
    )
    stack.output("WebAclArn", "ARN of the CLOUDFRONT-scope web ACL.", _get_att("WebAcl", "Arn"))


# -- rendering ---------------------------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Safe dumper; lists indented under their key (as cfn-lint's and yamllint's defaults expect)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, indentless=False)


def dump(template: Template) -> str:
    """The template as YAML: block style, keys in insertion order, every string safely quoted where needed."""
    text = yaml.dump(
        _strip_none_principal(template),
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=10_000,
    )
    return (
        f"# Generated by archgen {__version__}. Regenerate with `archgen design` rather than editing by hand.\n{text}"
    )


def stack_paths(design: Design) -> list[tuple[str, str]]:
    """(template path, Region) of every stack, in deployment order."""
    paths = []
    for root in roots_of(design):
        paths.append((f"cloudformation/{root.purpose}/{root.region}/template.yaml", root.region))
        if root.is_primary and root.has_kind("cloudfront"):
            paths.append((f"{EDGE_PATH}/template.yaml", EDGE_REGION))
    return paths


def render_cloudformation(design: Design) -> dict[str, str]:
    """Every CloudFormation template of the design and the README that orders them."""
    reason = unsupported_reason(design)
    if reason is not None:
        raise UserError(reason)
    files: dict[str, str] = {}
    roots = roots_of(design)
    for root in roots:
        files[f"cloudformation/{root.purpose}/{root.region}/template.yaml"] = dump(_region_stack(root))
    edge = _edge_stack(design, roots[0])
    if edge is not None:
        files[f"{EDGE_PATH}/template.yaml"] = dump(edge)
    files["cloudformation/README.md"] = (
        environment()
        .get_template("cloudformation/README.md.j2")
        .render(
            design=design,
            stacks=stack_paths(design),
            edge_region=EDGE_REGION,
            has_edge=edge is not None,
            covered=COVERED_BLUEPRINTS,
            replicates=roots[0].replicates,
            strategy=roots[0].strategy,
            replica_buckets=[
                f"{_logical(copy.id)}Arn"
                for c in roots[0].components_of_kind("s3-bucket")
                if (copy := roots[0].recovery_copy(c.id)) is not None
            ],
            version=__version__,
        )
    )
    return files
