"""S3 buckets (with cross-Region replication) and DynamoDB tables."""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.errors import UserError
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
from archgen.render.terraform import Root


def kms_encryption() -> dict[str, Any]:
    """Default encryption with the Region's key, with an S3 Bucket Key (fewer KMS requests)."""
    return {
        "BucketKeyEnabled": True,
        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": get_att("Key", "Arn")},
    }


def bucket_basics(encryption: dict[str, Any], lifecycle: list[dict[str, Any]]) -> dict[str, Any]:
    """The properties every bucket shares: encryption, versioning, public access block, lifecycle."""
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


def add_s3_bucket(stack: Stack, root: Root, c: Component) -> None:
    """An S3 bucket with its policy, logging, and replication to its recovery copy where designed."""
    name = logical_id(c.id, "Bucket")
    backup = any(b.kind == "backup-vault" and "schedule" in b.properties for b in root.components)
    # A Cloudflare Cloud Connector origin is read by unsigned requests, and S3 refuses anonymous reads of SSE-KMS
    # objects (https://repost.aws/knowledge-center/s3-kms-signature-version-error): that bucket uses SSE-S3.
    cloudflare = root.cloudflare_reader(c)
    encryption: dict[str, Any] = (
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}} if cloudflare is not None else kms_encryption()
    )
    properties = bucket_basics(
        encryption,
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
    properties["LoggingConfiguration"] = {"DestinationBucketName": ref("LogBucket"), "LogFilePrefix": f"s3/{c.id}/"}
    properties["Tags"] = stack.tags({"archgen:backup": "true"} if backup else None)
    origin = root.origin_of(c)
    copy = root.recovery_copy(c.id) if origin is None else None
    # Active/active: the recovery copy replicates back to its origin (S3 does not replicate replicas again, so the
    # two rules do not loop), re-encrypted with the primary Region's key, as the Terraform root's recovery bucket.
    back = origin is not None and not root.is_restore and root.strategy == "active-active"
    destination = copy if copy is not None else origin if back else None
    reason = (
        "Cross-Region Replication is not set by this stack: the design's DR strategy recovers from AWS Backup "
        "copies in the recovery Region."
    )
    if c.properties.get("dormant"):
        reason = "This is the dormant recovery copy, restored from AWS Backup copies after a disaster."
    elif origin is not None:
        reason = f"This is the Cross-Region Replication destination of {origin.id} in {origin.region}."
    metadata: dict[str, Any] = {"checkov": {"skip": [{"id": "CKV_AWS_144", "comment": reason}]}}
    if destination is not None:
        if not c.properties.get("versioning"):
            raise UserError(f"Cross-Region Replication of {c.id} needs versioning")
        key = key_parameter(stack, destination.region, primary=destination is origin)
        condition = add_replication(stack, c, destination, name, key)
        properties["ReplicationConfiguration"] = fn_if(condition, replication_configuration(c, destination, key))
        metadata = {}  # replicated: nothing to suppress
    extra = {"Metadata": metadata} if metadata else {}
    stack.add(name, "AWS::S3::Bucket", properties, DeletionPolicy="Retain", UpdateReplacePolicy="Retain", **extra)
    arn = get_att(name, "Arn")
    statements: list[Any] = [deny_insecure_transport(arn)]
    fronts = {s.kind for s in root.sources_of(c.id)}
    if "cloudfront" in fronts:
        stack.parameter("CloudFrontDistributionArn", {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^(arn:aws[a-z-]*:cloudfront::[0-9]{12}:distribution/[A-Z0-9]+)?$",
            "ConstraintDescription": "empty, or the DistributionArn output of the edge stack",
            "Description": "ARN of the CloudFront distribution (the edge stack's output) that reads this bucket "
            "through origin access control; empty until the edge stack exists.",
        })  # fmt: skip
        stack.conditions["HasDistribution"] = {"Fn::Not": [{"Fn::Equals": [ref("CloudFrontDistributionArn"), ""]}]}
        statements.append(
            fn_if(
                "HasDistribution",
                policy_statement(
                    "CloudFrontOriginAccessControlReads",
                    ["s3:GetObject"],
                    {"Fn::Join": ["", [arn, "/*"]]},
                    {"Service": "cloudfront.amazonaws.com"},
                    condition={"StringEquals": {"AWS:SourceArn": ref("CloudFrontDistributionArn")}},
                ),
            )
        )
    if cloudflare is not None:
        statements.append(fn_if("HasCloudflareIpRanges", cloudflare_reads(stack, arn, cloudflare)))
    if fronts & {"cloudfront", "cloudflare-zone"}:
        reader = (
            "the edge stack's OriginDomainName"
            if "cloudfront" in fronts
            else "the origin_hostname of the Cloudflare zone (the Terraform target's cloudflare module), where Cloud "
            "Connector sends the site's requests"
        )
        stack.output(
            f"{logical_id(c.id)}RegionalDomainName",
            f"Regional domain name of {c.id}: {reader}.",
            get_att(name, "RegionalDomainName"),
        )
    stack.add(
        name + "Policy", "AWS::S3::BucketPolicy", {"Bucket": ref(name), "PolicyDocument": policy_document(*statements)}
    )
    stack.output(f"{logical_id(c.id)}Arn", f"ARN of {c.id} (S3 bucket).", arn)
    stack.output(f"{logical_id(c.id)}Name", f"Name of {c.id} (S3 bucket).", ref(name))


def cloudflare_reads(stack: Stack, arn: Any, zone: Component) -> dict[str, Any]:
    """The CloudflareIpRanges parameter and the statement that lets only those addresses read objects, unsigned.

    Cloud Connector does not sign its requests to S3, so the bucket admits s3:GetObject for any principal from
    Cloudflare's ranges only; Block Public Access stays on, since S3 does not count a policy limited to aws:SourceIp
    CIDRs as public (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
    CloudFormation cannot fetch the ranges: they are a parameter.
    """
    stack.parameter("CloudflareIpRanges", {
        "Type": "CommaDelimitedList",
        "Default": "",
        "Description": f"Cloudflare's IPv4 and IPv6 ranges, comma-separated: the only addresses that may read the "
        f"objects (unsigned, through Cloud Connector for {zone.id}). From https://www.cloudflare.com/ips/ or the "
        "cloudflare module's cloudflare_ipv4_cidrs and cloudflare_ipv6_cidrs outputs; update the stack when they "
        "change. Empty until set: Cloudflare cannot read the site.",
    })  # fmt: skip
    stack.conditions["HasCloudflareIpRanges"] = {
        "Fn::Not": [{"Fn::Equals": [{"Fn::Join": ["", ref("CloudflareIpRanges")]}, ""]}]
    }
    return policy_statement(
        "CloudflareCloudConnectorReads",
        ["s3:GetObject"],
        {"Fn::Join": ["", [arn, "/*"]]},
        "*",
        condition={"IpAddress": {"aws:SourceIp": ref("CloudflareIpRanges")}},
    )


def recovery_key_parameter(stack: Stack, region: str) -> str:
    """The RecoveryKmsKeyArn parameter (the recovery stack's output of that name) and its condition's name."""
    return condition_of(key_parameter(stack, region, primary=False))


def key_parameter(stack: Stack, region: str, *, primary: bool) -> str:
    """The parameter with the other Region stack's KMS key ARN, named like that stack's output; its name.

    The primary stack takes the recovery stack's RecoveryKmsKeyArn (for the global table's replica and the bucket
    replicas there); in active/active the recovery stack takes the primary's PrimaryKmsKeyArn (for the buckets that
    replicate back). Its condition (condition_of) holds once it is set.
    """
    name = "PrimaryKmsKeyArn" if primary else "RecoveryKmsKeyArn"
    encrypts = "the S3 replicas sent back there" if primary else "the DynamoDB replicas and S3 replicas there"
    stack.parameter(name, {
        "Type": "String",
        "Default": "",
        "AllowedPattern": rf"^(arn:aws[a-z-]*:kms:{region}:[0-9]{{12}}:key/[a-f0-9-]{{36}})?$",
        "ConstraintDescription": f"empty, or the ARN of a KMS key in {region}",
        "Description": f"ARN of the {region} stack's KMS key (its {name} output): encrypts {encrypts}. Empty until "
        "that stack exists; replication starts on the update after it is set.",
    })  # fmt: skip
    stack.conditions[condition_of(name)] = {"Fn::Not": [{"Fn::Equals": [ref(name), ""]}]}
    return name


def condition_of(key: str) -> str:
    """The condition that holds once a key_parameter is set: HasRecoveryKey, HasPrimaryKey."""
    return "Has" + key.removesuffix("KmsKeyArn") + "Key"


def add_replication(stack: Stack, c: Component, copy: Component, bucket: str, key: str) -> str:
    """The destination parameter, condition and role of a bucket's Cross-Region Replication; the condition's name.

    copy is the destination bucket (the recovery copy, or in active/active the origin the copy replicates back
    to), key the parameter with its Region's KMS key (key_parameter).
    """
    destination = f"{logical_id(copy.id)}Arn"
    stack.parameter(destination, {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^(arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$",
        "ConstraintDescription": "empty, or the ARN of an S3 bucket",
        "Description": f"ARN of the {copy.id} bucket in {copy.region} (that stack's output of the same name), the "
        f"Cross-Region Replication destination of {c.id}. Empty until that stack exists.",
    })  # fmt: skip
    condition = f"Replicates{logical_id(c.id)}"
    stack.conditions[condition] = {
        "Fn::And": [{"Condition": condition_of(key)}, {"Fn::Not": [{"Fn::Equals": [ref(destination), ""]}]}]
    }
    arn = get_att(bucket, "Arn")
    statements: list[dict[str, Any]] = [
        {"Sid": "ReadReplicationConfiguration", "Effect": "Allow",
         "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": arn},
        {"Sid": "ReadSourceVersions", "Effect": "Allow",
         "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
         "Resource": {"Fn::Join": ["", [arn, "/*"]]}},
        {"Sid": "WriteReplicas", "Effect": "Allow",
         "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
         "Resource": fn_sub(f"${{{destination}}}/*")},
        {"Sid": "DecryptSourceObjects", "Effect": "Allow", "Action": ["kms:Decrypt"],
         "Resource": get_att("Key", "Arn"),
         "Condition": {"StringEquals": {"kms:ViaService": fn_sub("s3.${AWS::Region}.amazonaws.com")}}},
        {"Sid": "EncryptReplicas", "Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
         "Resource": ref(key),
         "Condition": {"StringEquals": {"kms:ViaService": f"s3.{copy.region}.amazonaws.com"}}},
    ]  # fmt: skip
    stack.add(
        f"{logical_id(c.id)}ReplicationRole",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(
                f"S3 Cross-Region Replication of {stack.prefix}-{c.id} to {copy.id} in {copy.region}"
            ),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement(
                    "S3Assumes",
                    ["sts:AssumeRole"],
                    None,
                    {"Service": "s3.amazonaws.com"},
                    condition={"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}},
                )
            ),
            "Tags": stack.tags(),
        },
        Condition=condition,
    )
    # a policy of its own: inline in the role, it would name the bucket that names the role (a cycle)
    stack.add(
        f"{logical_id(c.id)}ReplicationPolicy",
        "AWS::IAM::Policy",
        {
            "PolicyName": "replicate-to-primary" if key == "PrimaryKmsKeyArn" else "replicate-to-recovery",
            "Roles": [ref(f"{logical_id(c.id)}ReplicationRole")],
            "PolicyDocument": policy_document(*statements),
        },
        Condition=condition,
    )
    return condition


def replication_configuration(c: Component, copy: Component, key: str) -> dict[str, Any]:
    """Replicate every object, delete marker and tag within 15 minutes (RTC), re-encrypted with the copy's key."""
    return {
        "Role": get_att(f"{logical_id(c.id)}ReplicationRole", "Arn"),
        "Rules": [
            {
                "Id": "replicate-everything",
                "Status": "Enabled",
                "Priority": 0,
                "Filter": {"Prefix": ""},
                "DeleteMarkerReplication": {"Status": "Enabled"},
                "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
                "Destination": {
                    "Bucket": ref(f"{logical_id(copy.id)}Arn"),
                    "StorageClass": "STANDARD",
                    "EncryptionConfiguration": {"ReplicaKmsKeyID": ref(key)},
                    "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
                    "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
                },
            }
        ],
    }


def add_dynamodb_table(stack: Stack, root: Root, c: Component) -> None:
    """A DynamoDB table (a global table where the design replicates it) with PITR and KMS."""
    name = logical_id(c.id, "Table")
    origin = root.origin_of(c)
    if origin is not None and not root.is_restore:
        # The replica of a global table: created and owned by the primary Region's stack (its Replicas list), so
        # this stack must not create a table of the same name; its functions get access to it (access_statements).
        stack.output(
            f"{logical_id(c.id)}TableArn",
            f"ARN of {c.id}, the {root.region} replica of the {origin.id} global table (created by the "
            f"{origin.region} stack).",
            fn_sub(
                f"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{stack.prefix}-{origin.id}"
            ),
        )
        return
    provisioned = c.properties.get("billing_mode") == "PROVISIONED"
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
        condition = recovery_key_parameter(stack, copy.region)
        replica = {
            "Region": copy.region,
            "SSESpecification": {"KMSMasterKeyId": ref("RecoveryKmsKeyArn")},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "DeletionProtectionEnabled": True,
            "Tags": tags,
        }
        primary: dict[str, Any] = {
            "Region": ref("AWS::Region"),
            "SSESpecification": {"KMSMasterKeyId": get_att("Key", "Arn")},
            "PointInTimeRecoverySpecification": pitr,
            "DeletionProtectionEnabled": True,
            "Tags": tags,
        }
        if provisioned:
            # Target tracking as the Terraform module's Application Auto Scaling: the global table's write
            # capacity (the same in every replica) and each replica's read capacity, between the design's floor
            # and ceiling. CloudFormation registers the scalable targets itself (no ScalableTarget resources).
            primary["ReadProvisionedThroughputSettings"] = replica["ReadProvisionedThroughputSettings"] = {
                "ReadCapacityAutoScalingSettings": capacity_autoscaling(c, "read")
            }
        properties: dict[str, Any] = {
            "TableName": fn_sub(f"{stack.prefix}-{c.id}"),
            "BillingMode": str(c.properties["billing_mode"]),
            **keys,
            # replicas sync through the table's stream (needed once there are two)
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"},
            "Replicas": [primary, fn_if(condition, replica)],
        }
        if provisioned:
            properties["WriteProvisionedThroughputSettings"] = {
                "WriteCapacityAutoScalingSettings": capacity_autoscaling(c, "write")
            }
        stack.add(name, "AWS::DynamoDB::GlobalTable", properties, DeletionPolicy="Retain",
                  UpdateReplacePolicy="Retain")  # fmt: skip
    else:
        properties = {
            "TableName": fn_sub(f"{stack.prefix}-{c.id}"),
            "BillingMode": str(c.properties["billing_mode"]),
            **keys,
            "PointInTimeRecoverySpecification": pitr,
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": get_att("Key", "Arn")},
            "DeletionProtectionEnabled": True,
            "Tags": tags,
        }
        if provisioned:
            properties["ProvisionedThroughput"] = {
                "ReadCapacityUnits": int(number(c.properties, "read_capacity")),
                "WriteCapacityUnits": int(number(c.properties, "write_capacity")),
            }
        stack.add(name, "AWS::DynamoDB::Table", properties, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
        if provisioned:
            add_table_autoscaling(stack, c, name)
    stack.output(f"{logical_id(c.id)}TableArn", f"ARN of {c.id} (DynamoDB table).", get_att(name, "Arn"))


def capacity_autoscaling(c: Component, dimension: str) -> dict[str, Any]:
    """A global table's CapacityAutoScalingSettings: 70 % target tracking between the design's floor and ceiling."""
    return {
        "MinCapacity": int(number(c.properties, f"{dimension}_capacity")),
        "MaxCapacity": int(number(c.properties, f"max_{dimension}_capacity")),
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70},
    }


def add_table_autoscaling(stack: Stack, c: Component, table: str) -> None:
    """Target tracking keeps consumed capacity near 70 % of provisioned, between the design's floor and ceiling.

    As the Terraform module's aws_appautoscaling_target and _policy; Application Auto Scaling acts through its
    service-linked role (no RoleARN).
    """
    for dimension, metric in (
        ("Read", "DynamoDBReadCapacityUtilization"),
        ("Write", "DynamoDBWriteCapacityUtilization"),
    ):
        target = f"{logical_id(c.id)}{dimension}Scaling"
        key = dimension.lower()
        stack.add(
            target,
            "AWS::ApplicationAutoScaling::ScalableTarget",
            {
                "ServiceNamespace": "dynamodb",
                "ResourceId": {"Fn::Join": ["/", ["table", ref(table)]]},
                "ScalableDimension": f"dynamodb:table:{dimension}CapacityUnits",
                "MinCapacity": int(number(c.properties, f"{key}_capacity")),
                "MaxCapacity": int(number(c.properties, f"max_{key}_capacity")),
            },
        )
        stack.add(
            f"{target}Policy",
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            {
                "PolicyName": fn_sub(f"{stack.prefix}-{c.id}-{key}"),
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": ref(target),
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": 70,
                    "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                },
            },
        )
