"""Per-Region security resources: the KMS key, log buckets, AWS Backup, GuardDuty, CloudTrail and WAF."""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import (
    deny_insecure_transport,
    fn_if,
    fn_sub,
    get_att,
    logical_id,
    policy_document,
    policy_statement,
    ref,
)
from archgen.render.cloudformation.stack import Stack
from archgen.render.cloudformation.storage import bucket_basics, kms_encryption


def add_kms(stack: Stack, alias: str, *, cloudtrail: bool) -> None:
    """The Region's customer-managed key, rotated yearly (templates/terraform/modules/kms)."""
    account = fn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    source_account = {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}
    services = ["delivery.logs.amazonaws.com", "cloudfront.amazonaws.com", "backup.amazonaws.com"]
    statements = [
        policy_statement("AccountAdministersTheKey", ["kms:*"], "*", {"AWS": account}),
        policy_statement(
            "CloudWatchLogsEncryptsLogGroups",
            ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "*",
            {"Service": fn_sub("logs.${AWS::Region}.amazonaws.com")},
            condition={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": fn_sub(
                        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"
                    )
                }
            },
        ),
        policy_statement(
            "ServicesUseTheKeyForThisAccount",
            ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "*",
            {"Service": services},
            condition=source_account,
        ),
    ]
    if cloudtrail:
        statements.append(
            policy_statement(
                "CloudTrailEncryptsThisAccountsTrails",
                ["kms:GenerateDataKey*", "kms:DescribeKey"],
                "*",
                {"Service": "cloudtrail.amazonaws.com"},
                condition={
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": fn_sub(
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
            "Description": fn_sub(f"{alias}: encryption at rest for every store and log of this Region"),
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": policy_document(*statements),
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.add("KeyAlias", "AWS::KMS::Alias", {"AliasName": fn_sub(f"alias/{alias}"), "TargetKeyId": ref("Key")})
    stack.output("KmsKeyArn", "The Region's customer-managed KMS key.", get_att("Key", "Arn"))


def add_logs(stack: Stack) -> None:
    """The Region's access-log bucket (templates/terraform/modules/logs): SSE-S3, as log delivery requires."""
    properties = bucket_basics(
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
    arn = get_att("LogBucket", "Arn")
    source_account = {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}
    stack.add(
        "LogBucketPolicy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref("LogBucket"),
            "PolicyDocument": policy_document(
                deny_insecure_transport(arn),
                policy_statement(
                    "ServerAccessLogDelivery",
                    ["s3:PutObject"],
                    {"Fn::Join": ["", [arn, "/s3/*"]]},
                    {"Service": "logging.s3.amazonaws.com"},
                    condition=source_account,
                ),
                policy_statement(
                    "LogDeliveryService",
                    ["s3:PutObject"],
                    {"Fn::Join": ["", [arn, "/cdn/*"]]},
                    {"Service": "delivery.logs.amazonaws.com"},
                    condition=source_account,
                ),
            ),
        },
    )
    stack.output("LogBucket", "The Region's access-log bucket.", ref("LogBucket"))
    stack.output("LogBucketArn", "ARN of the Region's access-log bucket.", arn)


def add_backup_vault(stack: Stack, c: Component) -> None:
    """An AWS Backup vault, its plan and selection, and copy actions to the recovery vault."""
    name = logical_id(c.id, "Vault")
    vault: dict[str, Any] = {
        "BackupVaultName": fn_sub(f"{stack.prefix}-{c.id}"),
        "EncryptionKeyArn": get_att("Key", "Arn"),
        "BackupVaultTags": stack.tag_map(),
    }
    if c.properties.get("locked") is True:
        # Vault Lock in governance mode, as the Terraform: no ChangeableForDays, so no grace period that ends in
        # compliance mode; a principal allowed backup:DeleteBackupVaultLockConfiguration can still lift it.
        vault["LockConfiguration"] = {
            "MinRetentionDays": int(number(c.properties, "retention_days")),
            "MaxRetentionDays": int(number(c.properties, "lock_max_retention_days")),
        }
    stack.add(
        name,
        "AWS::Backup::BackupVault",
        vault,
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    stack.output(f"{logical_id(c.id)}VaultArn", f"ARN of the {c.id} backup vault.", get_att(name, "BackupVaultArn"))
    copied_here = any(
        b.kind == "backup-vault" and b.properties.get("copy_to_region") == stack.region for b in stack.design.components
    )
    if copied_here and "schedule" not in c.properties:
        stack.output(
            "BackupCopyVaultArn",
            f"ARN of this Region's backup vault: the {stack.design.primary_region} stack's BackupCopyVaultArn "
            "parameter (its plan copies every recovery point here).",
            get_att(name, "BackupVaultArn"),
        )
    if "schedule" not in c.properties:
        return
    retention = int(number(c.properties, "retention_days"))
    copy_region = c.properties.get("copy_to_region")
    rule: dict[str, Any] = {
        "RuleName": "scheduled",
        "TargetBackupVault": ref(name),
        "ScheduleExpression": str(c.properties["schedule"]),
        "StartWindowMinutes": 60,
        "CompletionWindowMinutes": 180,
        "Lifecycle": {"DeleteAfterDays": retention},
        "RecoveryPointTags": {"archgen:backup-plan": fn_sub(f"{stack.prefix}-{c.id}")},
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
        stack.conditions["CopiesBackups"] = {"Fn::Not": [{"Fn::Equals": [ref("BackupCopyVaultArn"), ""]}]}
        rule["CopyActions"] = fn_if(
            "CopiesBackups",
            [{"DestinationBackupVaultArn": ref("BackupCopyVaultArn"), "Lifecycle": {"DeleteAfterDays": retention}}],
        )
    stack.add(
        logical_id(c.id, "Plan"),
        "AWS::Backup::BackupPlan",
        {
            "BackupPlan": {"BackupPlanName": fn_sub(f"{stack.prefix}-{c.id}"), "BackupPlanRule": [rule]},
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
        logical_id(c.id, "Role"),
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"AWS Backup runs the {stack.prefix}-{c.id} plan's backups and restores."),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement("BackupAssumes", ["sts:AssumeRole"], None, {"Service": "backup.amazonaws.com"})
            ),
            "ManagedPolicyArns": [fn_sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{arn}") for arn in managed],
            "Tags": stack.tags(),
        },
    )
    stack.add(
        logical_id(c.id, "Selection"),
        "AWS::Backup::BackupSelection",
        {
            "BackupPlanId": ref(logical_id(c.id, "Plan")),
            "BackupSelection": {
                "SelectionName": fn_sub(f"{stack.prefix}-{c.id}-tagged"),
                "IamRoleArn": get_att(logical_id(c.id, "Role"), "Arn"),
                "ListOfTags": [
                    {"ConditionType": "STRINGEQUALS", "ConditionKey": "archgen:backup", "ConditionValue": "true"}
                ],
            },
        },
    )


def add_guardduty(stack: Stack, c: Component) -> None:
    """A GuardDuty detector, switchable by parameter (one detector per account and Region)."""
    stack.switch(
        "ThreatDetectionEnabled",
        "ThreatDetection",
        "Create the GuardDuty detector of this Region. Set false when the organisation's GuardDuty "
        "delegated administrator already enables it here (one detector per account and Region).",
    )
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
        logical_id(c.id, "Detector"),
        "AWS::GuardDuty::Detector",
        {
            "Enable": True,
            "FindingPublishingFrequency": str(c.properties["finding_publishing_frequency"]),
            "Features": features,
            "Tags": stack.tags(),
        },
        Condition="ThreatDetection",
    )


def add_cloudtrail(stack: Stack, c: Component) -> None:
    """A multi-Region CloudTrail trail with log file validation into its own bucket."""
    stack.switch(
        "AuditTrailEnabled",
        "AuditTrail",
        "Create the design's multi-Region CloudTrail trail. Set false when the organisation already "
        "runs an organisation trail (e.g. AWS Control Tower).",
    )
    retention = int(number(c.properties, "retention_days"))
    properties = bucket_basics(
        kms_encryption(),
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
    properties["LoggingConfiguration"] = {"DestinationBucketName": ref("LogBucket"), "LogFilePrefix": "s3/trail/"}
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
    trail_arn = fn_sub(f"arn:${{AWS::Partition}}:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{trail_name}")
    arn = get_att("TrailBucket", "Arn")
    trail_source = {"StringEquals": {"aws:SourceArn": trail_arn}}
    stack.add(
        "TrailBucketPolicy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref("TrailBucket"),
            "PolicyDocument": policy_document(
                deny_insecure_transport(arn),
                policy_statement(
                    "CloudTrailChecksTheBucketAcl",
                    ["s3:GetBucketAcl"],
                    arn,
                    {"Service": "cloudtrail.amazonaws.com"},
                    condition=trail_source,
                ),
                policy_statement(
                    "CloudTrailWritesThisTrailsLogs",
                    ["s3:PutObject"],
                    {"Fn::Join": ["", [arn, fn_sub("/AWSLogs/${AWS::AccountId}/*")]]},
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
    stack.log_group(
        "TrailLogGroup", fn_sub(f"/aws/cloudtrail/{trail_name}"), retention_days=cw_retention, condition="AuditTrail"
    )
    stack.add(
        "TrailLogsRole",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"CloudTrail trail {trail_name} writes its events to CloudWatch Logs."),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement(
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
                    "PolicyDocument": policy_document(
                        {
                            "Sid": "WriteTheTrailsLogStreams",
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": {"Fn::Join": ["", [get_att("TrailLogGroup", "Arn")]]},
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
            "TrailName": fn_sub(trail_name),
            "IsLogging": True,
            "IsMultiRegionTrail": True,
            "IncludeGlobalServiceEvents": True,
            "EnableLogFileValidation": True,
            "KMSKeyId": get_att("Key", "Arn"),
            "S3BucketName": ref("TrailBucket"),
            "CloudWatchLogsLogGroupArn": get_att("TrailLogGroup", "Arn"),
            "CloudWatchLogsRoleArn": get_att("TrailLogsRole", "Arn"),
            "Tags": stack.tags(),
        },
        Condition="AuditTrail",
        DependsOn=["TrailBucketPolicy"],
    )
    stack.output("TrailArn", "ARN of the audit trail.", get_att("Trail", "Arn"), condition="AuditTrail")


def add_waf(stack: Stack, c: Component, scope: str = "CLOUDFRONT") -> None:
    """A web ACL with its log group (templates/terraform/modules/waf).

    CLOUDFRONT scope in the edge stack, with a log key of its own; REGIONAL scope, on a load balancer, with the
    Region's key.
    """
    name = f"{stack.prefix}-{c.id}"
    metric = "".join(ch for ch in f"{stack.design.name}{c.id}" if ch.isalnum())
    log_group = f"aws-waf-logs-{name}"
    if scope == "CLOUDFRONT":
        _add_waf_log_key(stack, name, log_group)
    stack.log_group("WafLogGroup", fn_sub(log_group), key="WafLogKey" if scope == "CLOUDFRONT" else "Key")
    _add_web_acl(stack, c, name, metric, scope)


def _add_waf_log_key(stack: Stack, name: str, log_group: str) -> None:
    """The CLOUDFRONT-scope web ACL's own log key in us-east-1 (the Region keys live elsewhere)."""
    account = fn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    stack.add(
        "WafLogKey",
        "AWS::KMS::Key",
        {
            "Description": fn_sub(f"{name}: encrypts the web ACL's request log"),
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": policy_document(
                policy_statement("AccountAdministersTheKey", ["kms:*"], "*", {"AWS": account}),
                policy_statement(
                    "CloudWatchLogsEncryptsTheWafLogGroup",
                    ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    "*",
                    {"Service": fn_sub("logs.${AWS::Region}.amazonaws.com")},
                    condition={
                        "ArnEquals": {
                            "kms:EncryptionContext:aws:logs:arn": fn_sub(
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


def _add_web_acl(stack: Stack, c: Component, name: str, metric: str, scope: str) -> None:
    """The web ACL: managed rule groups and a per-IP rate limit, every request logged."""

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
            "Name": fn_sub(name),
            "Description": "Managed rule groups and a per-IP rate limit.",
            "Scope": scope,
            "DefaultAction": {"Allow": {}},
            "Rules": rules,
            "VisibilityConfig": visibility(""),
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "WebAclLogging",
        "AWS::WAFv2::LoggingConfiguration",
        {"ResourceArn": get_att("WebAcl", "Arn"), "LogDestinationConfigs": [get_att("WafLogGroup", "Arn")]},
    )
    stack.output("WebAclArn", f"ARN of the {scope}-scope web ACL.", get_att("WebAcl", "Arn"))
