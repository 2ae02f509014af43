"""Sizing rules and instance ladders (``data/sizing.yaml``)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from archgen.resources import load_data


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComputeRules(_Frozen):
    """Tasks, pods, functions and nodes."""

    headroom: float
    lean_headroom: float
    default_task_vcpu: float
    memory_mib_per_vcpu: int
    lambda_memory_mib: int
    lambda_timeout_seconds: int
    node_instance_type: str
    node_vcpu: int
    node_allocatable_ratio: float
    ec2_instance_type: str
    ec2_vcpu: int
    ec2_root_volume_gb: int
    node_disk_gb: int


class NetworkRules(_Frozen):
    """VPC address plan and AZ count."""

    primary_cidr: str
    recovery_cidr: str
    az_count_high: int
    az_count: int
    high_slo: float


class InstanceClass(_Frozen):
    """One rung of an instance ladder."""

    name: str
    memory_gib: float


class RelationalRules(_Frozen):
    """RDS and Aurora."""

    working_set_ratio: float
    min_storage_gb: int
    storage_growth: float
    backup_retention_days: int
    engine_versions: dict[str, str]
    classes: tuple[InstanceClass, ...]
    aurora_min_class: str
    connection_pool_per_task: int
    postgresql_bytes_per_connection: int
    mysql_bytes_per_connection: int
    usable_memory_share: float


class CacheRules(_Frozen):
    """ElastiCache."""

    classes: tuple[InstanceClass, ...]
    fill_ratio: float


class StreamRules(_Frozen):
    """Kinesis."""

    record_kb: float
    retention_hours: int


class QueueRules(_Frozen):
    """SQS."""

    visibility_timeout_seconds: int
    message_retention_seconds: int
    max_receive_count: int


class SearchRules(_Frozen):
    """OpenSearch."""

    instance_type: str
    volume_per_gb: float


class KafkaRules(_Frozen):
    """MSK."""

    broker_instance_type: str
    volume_per_gb: float


class DocumentRules(_Frozen):
    """DocumentDB."""

    instance_class: str


class FirehoseRules(_Frozen):
    """Data Firehose buffering."""

    buffer_mb: int
    buffer_seconds: int


class DynamoRules(_Frozen):
    """DynamoDB capacity mode."""

    target_utilization: float
    max_burst_ratio: float
    min_saving_usd: float
    floor_share: float


class BackupRules(_Frozen):
    """AWS Backup."""

    schedule: str
    retention_days: int
    cold_schedule: str


class EdgeRules(_Frozen):
    """CloudFront, Cloudflare, WAF."""

    cloudfront_price_class: str
    cloudfront_price_class_global: str
    cloudflare_plan: str
    waf_rate_limit_per_5min: int


class SizingData(_Frozen):
    """The whole file."""

    as_of: str
    compute: ComputeRules
    network: NetworkRules
    relational: RelationalRules
    cache: CacheRules
    stream: StreamRules
    queue: QueueRules
    search: SearchRules
    kafka: KafkaRules
    document: DocumentRules
    firehose: FirehoseRules
    dynamodb: DynamoRules
    backup: BackupRules
    edge: EdgeRules


@cache
def sizing_data() -> SizingData:
    """The shipped rules, loaded once."""
    return load_data("sizing.yaml", SizingData)
