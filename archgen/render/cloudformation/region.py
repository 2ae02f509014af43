"""The stack of one Region root: shared resources, then each component through its builder."""

from __future__ import annotations

from collections.abc import Callable

from archgen import __version__
from archgen.design import Component
from archgen.render.cloudformation.compliance import add_config_recorder
from archgen.render.cloudformation.containers import add_ecr_repository, add_ecs_cluster, add_ecs_service
from archgen.render.cloudformation.databases import add_rds_instance, add_valkey
from archgen.render.cloudformation.intrinsics import get_att
from archgen.render.cloudformation.loadbalancing import add_alb, add_regional_waf
from archgen.render.cloudformation.messaging import add_firehose, add_sqs_queue
from archgen.render.cloudformation.network import add_network
from archgen.render.cloudformation.security import add_backup_vault, add_cloudtrail, add_guardduty, add_kms, add_logs
from archgen.render.cloudformation.serverless import add_api_gateway, add_lambda_function
from archgen.render.cloudformation.stack import Stack, Template
from archgen.render.cloudformation.storage import add_dynamodb_table, add_s3_bucket
from archgen.render.cloudformation.streaming import add_kinesis_stream
from archgen.render.terraform import Root

# How each component kind becomes resources of its Region's stack (adding a kind here makes the target cover it).
BUILDERS: dict[str, Callable[[Stack, Root, Component], None]] = {
    "s3-bucket": add_s3_bucket,
    "backup-vault": lambda stack, _, c: add_backup_vault(stack, c),
    "guardduty-detector": lambda stack, _, c: add_guardduty(stack, c),
    "cloudtrail": lambda stack, _, c: add_cloudtrail(stack, c),
    "dynamodb-table": add_dynamodb_table,
    "lambda-function": add_lambda_function,
    "api-gateway-http": add_api_gateway,
    "sqs-queue": lambda stack, _, c: add_sqs_queue(stack, c),
    "firehose-stream": add_firehose,
    "vpc": add_network,
    "nat-gateway": lambda *_: None,  # the vpc builder makes the NAT gateways, as Terraform's network module
    "alb": add_alb,
    "ecr-repository": add_ecr_repository,
    "ecs-cluster": add_ecs_cluster,
    "ecs-service": add_ecs_service,
    "waf": add_regional_waf,  # a CDN's web ACL is the edge stack's
    "rds-postgresql": add_rds_instance,
    "rds-mysql": add_rds_instance,
    "elasticache-valkey": add_valkey,
    "config-recorder": add_config_recorder,
    "route53-zone": lambda *_: None,  # the global stack (dns.py) has the health checks and records
    "kinesis-stream": add_kinesis_stream,
}
# Global kinds: the edge stack in us-east-1 has them.
EDGE_KINDS = frozenset({"cloudfront", "waf"})
# Component kinds the CloudFormation target realises; a design with any other kind is refused as a whole.
SUPPORTED_KINDS = frozenset(BUILDERS) | EDGE_KINDS


def region_stack(root: Root) -> Template:
    """The template of one Region root."""
    design = root.design
    kind = "the dormant restore stack of" if root.is_restore else "the stack of"
    stack = Stack(design, f"archgen {__version__}: {kind} {design.name} in {root.region}.", root.region)
    alias = f"{stack.prefix}-restore" if root.is_restore else stack.prefix
    add_kms(stack, alias, cloudtrail=root.has_kind("cloudtrail"))
    if root.replicates and not root.is_primary and not root.is_restore:
        stack.output(
            "RecoveryKmsKeyArn",
            f"This Region's KMS key: the {design.primary_region} stack's RecoveryKmsKeyArn parameter (encrypts the "
            "replicas it sends here).",
            get_att("Key", "Arn"),
        )
    if (
        root.is_primary
        and root.strategy == "active-active"
        and any(root.recovery_copy(c.id) for c in root.components_of_kind("s3-bucket"))
    ):
        stack.output(
            "PrimaryKmsKeyArn",
            "This Region's KMS key: the recovery Region stack's PrimaryKmsKeyArn parameter (encrypts the replicas "
            "its buckets send back here).",
            get_att("Key", "Arn"),
        )
    add_logs(stack)
    for c in root.components:
        if c.kind in BUILDERS:
            BUILDERS[c.kind](stack, root, c)
    return stack.template()
