"""Kinesis data streams, and the access their producers, consumers and a Data Firehose stream reading one need.

As templates/terraform/modules/kinesis-stream: a provisioned stream encrypted with the Region's key, with
shard-level metrics for scaling decisions. Kinesis has no cross-Region replication: a recovery Region's stream (a
live copy under pilot light or warm standby, or the restore stack's) is a stream of its own, built the same way.
"""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import fn_sub, get_att, logical_id, pascal, ref
from archgen.render.cloudformation.stack import Stack
from archgen.render.terraform import Root

# The Terraform module's shard_level_metrics: what resharding and consumer-lag alarms read.
SHARD_LEVEL_METRICS = (
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
)
# What the stream's users need (the module's access_policy_json): put and get records and describe the stream.
STREAM_ACTIONS = (
    "kinesis:PutRecord",
    "kinesis:PutRecords",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
)
# What a Data Firehose stream reading the stream needs (the firehose module's ReadSourceStream).
READ_ACTIONS = (
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetShardIterator",
    "kinesis:GetRecords",
    "kinesis:ListShards",
)


def stream_name(c: Component) -> str:
    """The logical id of a kinesis-stream component's stream."""
    return logical_id(c.id, "Stream")


def stream_arn(c: Component) -> dict[str, Any]:
    """The stream's ARN."""
    return get_att(stream_name(c), "Arn")


def via_kinesis() -> dict[str, Any]:
    """The condition that pins use of the Region's key to Kinesis in this Region."""
    return {"StringEquals": {"kms:ViaService": fn_sub("kinesis.${AWS::Region}.amazonaws.com")}}


def add_kinesis_stream(stack: Stack, _root: Root, c: Component) -> None:
    """A provisioned Kinesis data stream, KMS-encrypted with the Region's key, with shard-level metrics."""
    base = logical_id(c.id)
    stack.add(
        stream_name(c),
        "AWS::Kinesis::Stream",
        {
            "Name": fn_sub(f"{stack.prefix}-{c.id}"),
            "StreamModeDetails": {"StreamMode": "PROVISIONED"},
            "ShardCount": int(number(c.properties, "shard_count")),
            "RetentionPeriodHours": int(number(c.properties, "retention_hours")),
            "StreamEncryption": {"EncryptionType": "KMS", "KeyId": get_att("Key", "Arn")},
            "DesiredShardLevelMetrics": list(SHARD_LEVEL_METRICS),
            "Tags": stack.tags(),
        },
    )
    stack.output(f"{base}Arn", f"ARN of {c.id} (Kinesis data stream).", stream_arn(c))
    stack.output(f"{base}Name", f"Name of {c.id} (what SDKs take as StreamName).", ref(stream_name(c)))


def stream_access_statements(target: Component) -> list[dict[str, Any]]:
    """What a producer or consumer of the stream needs: its records, and the key through Kinesis only."""
    return [
        {
            "Sid": f"Use{pascal(target.id)}",
            "Effect": "Allow",
            "Action": list(STREAM_ACTIONS),
            "Resource": stream_arn(target),
        },
        {
            "Sid": f"Use{pascal(target.id)}KeyThroughKinesis",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": get_att("Key", "Arn"),
            "Condition": via_kinesis(),
        },
    ]


def source_stream_statements(source: Component) -> list[dict[str, Any]]:
    """What a Data Firehose stream needs to read its source stream (the firehose module's statements)."""
    return [
        {"Sid": "ReadSourceStream", "Effect": "Allow", "Action": list(READ_ACTIONS), "Resource": stream_arn(source)},
        {
            "Sid": "DecryptSourceStream",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": get_att("Key", "Arn"),
            "Condition": via_kinesis(),
        },
    ]
