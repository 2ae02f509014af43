"""AWS Config in the Region: the recorder, its encrypted history bucket and the managed rules the design asks for.

As templates/terraform/modules/config-rules: every supported resource type is recorded (global ones, IAM, only where
the design says, in one Region of the account), history and snapshots go to a private bucket of their own (versioned,
SSE-KMS with the Region's key, public access blocked, TLS only, AWS Config of this account only, expiring after the
retention period, its access logged to the Region's log bucket), recorded through a role with the AWS managed policy
AWS_ConfigRole. The rules are the AWS managed rules of the Terraform conformance pack, as AWS::Config::ConfigRule
resources of this stack (same names, descriptions, identifiers and parameters): visible to cfn-lint, and removed
with the stack. The ``ConfigEnabled`` parameter switches all of it off, as Terraform's ``config_enabled``: a Region
holds one recorder per account, which the organisation (AWS Control Tower) may run already.
"""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import (
    deny_insecure_transport,
    fn_sub,
    get_att,
    logical_id,
    policy_document,
    policy_statement,
    ref,
)
from archgen.render.cloudformation.stack import Stack
from archgen.render.cloudformation.storage import bucket_basics, kms_encryption
from archgen.render.terraform import Root
from archgen.security_data import security_data

CONDITION = "ConfigRecording"


def add_config_recorder(stack: Stack, root: Root, c: Component) -> None:
    """The configuration recorder, its delivery channel and bucket, its role, and the design's managed rules."""
    del root  # the rules were filtered to what this Region runs when the design was planned
    stack.switch(
        "ConfigEnabled",
        CONDITION,
        "Create the AWS Config recorder, its bucket and rules in this Region. Set false when the "
        "organisation already records the account (e.g. AWS Control Tower) or another stack in this account and "
        "Region created the recorder (one per account and Region).",
    )
    name = f"{stack.prefix}-{c.id}"
    retention = int(number(c.properties, "retention_days"))
    properties = bucket_basics(
        kms_encryption(),
        [
            {
                "Id": "expire-after-retention",
                "Status": "Enabled",
                "ExpirationInDays": retention,
                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
            }
        ],
    )
    properties["LoggingConfiguration"] = {"DestinationBucketName": ref("LogBucket"), "LogFilePrefix": f"s3/{c.id}/"}
    properties["Tags"] = stack.tags()
    bucket = "ConfigBucket"
    stack.add(
        bucket,
        "AWS::S3::Bucket",
        properties,
        Condition=CONDITION,
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
        Metadata={
            "checkov": {
                "skip": [
                    {
                        "id": "CKV_AWS_144",
                        "comment": "Configuration history describes this Region's resources and AWS Config rebuilds "
                        "it from the live resources; a cross-Region copy belongs in the organisation's log-archive "
                        "account, which this workload stack does not own.",
                    }
                ]
            }
        },
    )
    arn = get_att(bucket, "Arn")
    delivery_objects = {"Fn::Join": ["", [arn, fn_sub("/AWSLogs/${AWS::AccountId}/Config/*")]]}
    this_account = {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}
    config = {"Service": "config.amazonaws.com"}
    stack.add(
        f"{bucket}Policy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": ref(bucket),
            "PolicyDocument": policy_document(
                deny_insecure_transport(arn),
                policy_statement(
                    "AWSConfigChecksTheBucket", ["s3:GetBucketAcl", "s3:ListBucket"], arn, config,
                    condition=this_account,
                ),
                policy_statement(
                    "AWSConfigWritesThisAccountsHistory", ["s3:PutObject"], delivery_objects, config,
                    condition={
                        "StringEquals": {
                            "s3:x-amz-acl": "bucket-owner-full-control",
                            "aws:SourceAccount": ref("AWS::AccountId"),
                        }
                    },
                ),
            ),
        },
        Condition=CONDITION,
    )  # fmt: skip
    delivery: list[dict[str, Any]] = [
        {"Sid": "CheckTheBucket", "Effect": "Allow", "Action": ["s3:GetBucketAcl", "s3:ListBucket"], "Resource": arn},
        {"Sid": "WriteHistoryAndSnapshots", "Effect": "Allow", "Action": ["s3:PutObject"],
         "Resource": delivery_objects,
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
        {"Sid": "EncryptThroughS3", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": get_att("Key", "Arn"),
         "Condition": {"StringEquals": {"kms:ViaService": fn_sub("s3.${AWS::Region}.amazonaws.com")}}},
    ]  # fmt: skip
    role = "ConfigRole"
    stack.add(
        role,
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"AWS Config records {name}'s Region and delivers to its history bucket"),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement("ConfigAssumes", ["sts:AssumeRole"], None, config, condition=this_account)
            ),
            "ManagedPolicyArns": [fn_sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole")],
            "Policies": [{"PolicyName": "deliver-to-history-bucket", "PolicyDocument": policy_document(*delivery)}],
            "Tags": stack.tags(),
        },
        Condition=CONDITION,
    )
    global_types = bool(c.properties.get("include_global_resource_types"))
    recorder = "ConfigRecorder"
    stack.add(
        recorder,
        "AWS::Config::ConfigurationRecorder",
        {
            "Name": fn_sub(name),
            "RoleARN": get_att(role, "Arn"),
            "RecordingGroup": {
                "AllSupported": True,
                "IncludeGlobalResourceTypes": global_types,
                "RecordingStrategy": {"UseOnly": "ALL_SUPPORTED_RESOURCE_TYPES"},
            },
            "RecordingMode": {"RecordingFrequency": "CONTINUOUS"},
        },
        Condition=CONDITION,
    )
    # CloudFormation starts the recorder once its delivery channel exists
    channel = "ConfigDeliveryChannel"
    stack.add(
        channel,
        "AWS::Config::DeliveryChannel",
        {
            "Name": fn_sub(name),
            "S3BucketName": ref(bucket),
            "S3KmsKeyArn": get_att("Key", "Arn"),
            "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"},
        },
        Condition=CONDITION,
        DependsOn=[recorder, f"{bucket}Policy"],
    )
    rules = security_data().config_rules
    for rule_id in c.properties.get("rules", []):  # type: ignore[union-attr]
        rule = rules[str(rule_id)]
        properties = {
            "ConfigRuleName": fn_sub(f"{stack.prefix}-{rule_id}"),
            "Description": rule.why,
            "Source": {"Owner": "AWS", "SourceIdentifier": rule.source},
        }
        if rule.params:
            properties["InputParameters"] = dict(sorted(rule.params.items()))
        # a rule evaluates what the recorder records: it starts after the recorder does
        stack.add(logical_id(str(rule_id), "Rule"), "AWS::Config::ConfigRule", properties, Condition=CONDITION,
                  DependsOn=[channel])  # fmt: skip
    stack.output("ConfigRecorderName", "Name of the AWS Config recorder.", ref(recorder), CONDITION)
    stack.output("ConfigBucketName", "Bucket of the configuration history and snapshots.", ref(bucket), CONDITION)
