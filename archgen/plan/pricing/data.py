"""Pricing rules for data stores and backups: S3, DynamoDB, RDS, Aurora, ElastiCache, DocumentDB, OpenSearch, MSK."""

from __future__ import annotations

from archgen.design import Component, number
from archgen.plan.components import GLOBAL
from archgen.plan.pricing.pricer import Pricer, Rule, inter_region, is_replica
from archgen.plan.usage import store_gb, usage_assumptions
from archgen.sizing_data import sizing_data

# stores that hold work in flight or a cache, not records: AWS Backup does not protect them
TRANSIENT = ("sqs-queue", "sns-topic", "kinesis-stream", "msk-cluster", "elasticache-valkey", "elasticache-redis")


def _s3(p: Pricer, c: Component) -> None:
    contents = c.properties.get("contents")
    if contents == "site":
        _site_bucket(p, c)
    elif contents == "lake":
        _lake_bucket(p, c)
    else:
        _store_bucket(p, c)


def _store_bucket(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    size = store_gb(p.spec, str(c.properties["store"]))
    p.add(c, "aws_s3_bucket", "s3/standard", size, f"{size:g} GB stored", size="STANDARD")
    if is_replica(p, c):
        primary = p.usage(p.regions[0])
        puts = primary.requests * assume.object_put_share
        gb = puts * p.spec.traffic.avg_response_kb / (1024 * 1024)
        p.add(c, "aws_s3_bucket", "s3/put", puts / 1e6, f"{puts:,.0f} replicated objects")
        p.add(c, "aws_s3_bucket", "s3/rtc", gb, f"{gb:,.2f} GB under Replication Time Control")
        inter_region(p, c, "aws_s3_bucket", gb, f"{puts:,.0f} new objects")
        return
    use = p.usage(c.region)
    puts = use.requests * assume.object_put_share
    gets = use.requests * assume.object_get_share
    why = f"of {use.requests:,.0f} requests"
    p.add(c, "aws_s3_bucket", "s3/put", puts / 1e6, f"{puts:,.0f} uploads ({assume.object_put_share:g} {why})")
    p.add(c, "aws_s3_bucket", "s3/get", gets / 1e6, f"{gets:,.0f} downloads ({assume.object_get_share:g} {why})")


def _site_bucket(p: Pricer, c: Component) -> None:
    """A static site's origin: the CDN's cache misses reach it, or every request without a CDN."""
    assume = usage_assumptions()
    size = assume.static_site_gb
    p.add(c, "aws_s3_bucket", "s3/standard", size, f"{size:g} GB of site files (assumed)", size="STANDARD")
    use = p.usage(c.region)
    cdn = any(x.region == GLOBAL and x.kind in ("cloudfront", "cloudflare-zone") for x in p.components)
    share = assume.cdn_origin_miss_share if cdn else 1.0
    gets = use.requests * share
    p.add(c, "aws_s3_bucket", "s3/put", assume.site_uploads / 1e6, f"{assume.site_uploads:,.0f} uploads (deploys)")
    p.add(
        c,
        "aws_s3_bucket",
        "s3/get",
        gets / 1e6,
        f"{use.requests:,.0f} requests × {share:g} " + ("that miss the CDN's cache" if cdn else "(no CDN)"),
    )
    if not any(x.kind == "cloudfront" for x in p.components):  # CloudFront's origin fetches are free
        gb = gets * p.spec.traffic.avg_response_kb / (1024 * 1024)
        p.add(c, "aws_s3_bucket", "transfer/internet", gb, f"{gets:,.0f} responses × {use.response_kb:g} KB")


def _lake_bucket(p: Pricer, c: Component) -> None:
    """A data lake fed by a delivery stream: a month of events lands each month, in buffered objects."""
    use = p.usage(c.region)
    gb = use.requests * sizing_data().stream.record_kb / (1024 * 1024)
    p.add(
        c,
        "aws_s3_bucket",
        "s3/standard",
        gb,
        f"one month of events ({use.requests:,.0f} × {sizing_data().stream.record_kb:g} KB); grows by this each month",
        size="STANDARD",
    )
    rules = sizing_data().firehose
    objects = max(p.hours * 3600 / rules.buffer_seconds, gb * 1024 / rules.buffer_mb)
    p.add(
        c,
        "aws_s3_bucket",
        "s3/put",
        objects / 1e6,
        f"{objects:,.0f} objects: one per {rules.buffer_mb} MB or {rules.buffer_seconds} s of buffered records",
    )


def _dynamodb(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    size = store_gb(p.spec, str(c.properties["store"]))
    use = p.usage(c.region)
    replica = is_replica(p, c)
    p.add(c, "aws_dynamodb_table", "dynamodb/storage", size, f"{size:g} GB stored")
    # billed for the table's point_in_time_recovery block: the resource address names the setting
    p.add(
        c,
        "aws_dynamodb_table.point_in_time_recovery",
        "dynamodb/pitr",
        size,
        f"continuous backups of {size:g} GB (35 days)",
    )
    writes = use.writes * assume.kv_item_kb
    reads = use.reads * assume.kv_rru_per_read
    if c.properties.get("billing_mode") == "PROVISIONED":
        target = sizing_data().dynamodb.target_utilization
        seconds = p.hours * 3600
        wcu, rcu = writes / seconds / target, reads / seconds / target
        p.add(
            c,
            "aws_dynamodb_table",
            "dynamodb/wcu",
            wcu * p.hours,
            f"{writes / seconds:,.1f} writes/s ÷ {target:g} autoscaling target = {wcu:,.1f} WCU × {p.hours:g} h",
            size="write capacity unit",
        )
        p.add(
            c,
            "aws_dynamodb_table",
            "dynamodb/rcu",
            rcu * p.hours,
            f"{reads / seconds:,.1f} read units/s ÷ {target:g} = {rcu:,.1f} RCU × {p.hours:g} h",
            size="read capacity unit",
        )
    else:
        p.add(c, "aws_dynamodb_table", "dynamodb/wru", writes / 1e6, f"{use.writes:,.0f} writes of ≤ 1 KB (on-demand)")
        p.add(c, "aws_dynamodb_table", "dynamodb/rru", reads / 1e6, f"{use.reads:,.0f} eventually consistent reads")
    if p.strategy == "active-active" or replica:
        # a global table replicates every write into the other Regions' replicas
        other = sum(p.usage(r).writes for r in p.regions if r != c.region) * assume.kv_item_kb
        if other:
            p.add(
                c,
                "aws_dynamodb_table",
                "dynamodb/replicated-wru",
                other / 1e6,
                f"{other:,.0f} writes replicated in from the other Region(s)",
            )
            inter_region(p, c, "aws_dynamodb_table", other * assume.kv_item_kb / (1024 * 1024), "replicated items")


def _relational(p: Pricer, c: Component) -> None:
    props = c.properties
    engine = c.kind  # rds-postgresql, rds-mysql
    instance = str(props["instance_class"])
    multi_az = bool(props.get("multi_az"))
    copies = 2 if multi_az else 1
    layout = "Multi-AZ (primary + standby)" if multi_az else "Single-AZ"
    p.add(
        c,
        "aws_db_instance",
        f"{engine}/{instance}",
        copies * p.hours,
        f"{instance} {layout}: {copies} × {p.hours:g} h",
        size=instance,
    )
    storage = number(props, "allocated_storage_gb")
    p.add(c, "aws_db_instance", "rds/gp3", copies * storage, f"{copies} × {storage:g} GB gp3 allocated")
    if is_replica(p, c):
        gb = p.usage(p.regions[0]).writes * usage_assumptions().kv_item_kb / (1024 * 1024)
        inter_region(p, c, "aws_db_instance", gb, "the primary's write-ahead log")


def _aurora(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    props = c.properties
    instance = str(props["instance_class"])
    count = int(number(props, "instance_count"))
    p.add(
        c,
        "aws_rds_cluster_instance",
        f"{c.kind}/{instance}",
        count * p.hours,
        f"{count} × {instance} × {p.hours:g} h",
        size=instance,
    )
    size = store_gb(p.spec, str(props["store"]))
    p.add(c, "aws_rds_cluster", "aurora/storage", size, f"{size:g} GB (Aurora storage is billed as used)")
    if is_replica(p, c):
        writes = p.usage(p.regions[0]).writes
        ios = writes * assume.relational_ios_per_write
        p.add(c, "aws_rds_cluster", "aurora/replicated-write-io", ios / 1e6, f"{writes:,.0f} writes replicated")
        inter_region(p, c, "aws_rds_cluster", writes * assume.kv_item_kb / (1024 * 1024), "replicated writes")
        return
    use = p.usage(c.region)
    ios = use.writes * assume.relational_ios_per_write + use.reads * assume.relational_ios_per_read
    p.add(
        c,
        "aws_rds_cluster",
        "aurora/io",
        ios / 1e6,
        f"{use.writes:,.0f} writes × {assume.relational_ios_per_write:g} + {use.reads:,.0f} reads × "
        f"{assume.relational_ios_per_read:g} I/Os",
    )


def _cache(p: Pricer, c: Component) -> None:
    node = str(c.properties["node_type"])
    nodes = 1 + int(number(c.properties, "replicas"))
    p.add(
        c,
        "aws_elasticache_replication_group",
        f"{c.kind}/{node}",
        nodes * p.hours,
        f"{nodes} node(s) × {node} × {p.hours:g} h",
        size=node,
    )


def _documentdb(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    instance = str(c.properties["instance_class"])
    count = int(number(c.properties, "instance_count"))
    p.add(
        c,
        "aws_docdb_cluster_instance",
        f"documentdb/{instance}",
        count * p.hours,
        f"{count} × {instance} × {p.hours:g} h",
        size=instance,
    )
    size = store_gb(p.spec, str(c.properties["store"]))
    p.add(c, "aws_docdb_cluster", "documentdb/storage", size, f"{size:g} GB stored")
    use = p.usage(c.region)
    ios = use.writes * assume.relational_ios_per_write + use.reads * assume.relational_ios_per_read
    p.add(c, "aws_docdb_cluster", "documentdb/io", ios / 1e6, "storage I/Os from reads and writes")


def _opensearch(p: Pricer, c: Component) -> None:
    instance = str(c.properties["instance_type"])
    count = int(number(c.properties, "instance_count"))
    p.add(
        c,
        "aws_opensearch_domain",
        f"opensearch/{instance}",
        count * p.hours,
        f"{count} × {instance} × {p.hours:g} h",
        size=instance,
    )
    volume = number(c.properties, "volume_gb")
    p.add(c, "aws_opensearch_domain", "opensearch/gp3", count * volume, f"{count} × {volume:g} GB gp3")


def _msk(p: Pricer, c: Component) -> None:
    broker = str(c.properties["broker_instance_type"])
    count = int(number(c.properties, "broker_count"))
    p.add(c, "aws_msk_cluster", f"msk/{broker}", count * p.hours, f"{count} brokers × {p.hours:g} h", size=broker)
    volume = number(c.properties, "volume_gb")
    p.add(c, "aws_msk_cluster", "msk/storage", count * volume, f"{count} × {volume:g} GB broker storage")


def _backup(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    durable = sum(
        store_gb(p.spec, str(x.properties["store"]))
        for x in p.components
        if x.region == p.regions[0] and "store" in x.properties and x.kind not in TRANSIENT
    )
    retention = number(c.properties, "retention_days")
    stored = durable * (1 + assume.backup_daily_change * retention)
    p.add(
        c,
        "aws_backup_vault",
        "backup/warm",
        stored,
        f"{durable:g} GB of durable stores + {assume.backup_daily_change:g}/day of changes × {retention:g} days",
    )
    if "copy_to_region" in c.properties and durable:
        copied = durable * assume.backup_daily_change * 30
        inter_region(p, c, "aws_backup_vault", copied, "the daily changes, copied cross-Region")


RULES: dict[str, Rule] = {
    "s3-bucket": _s3,
    "dynamodb-table": _dynamodb,
    "rds-postgresql": _relational,
    "rds-mysql": _relational,
    "aurora-postgresql": _aurora,
    "aurora-mysql": _aurora,
    "elasticache-valkey": _cache,
    "elasticache-redis": _cache,
    "documentdb-cluster": _documentdb,
    "opensearch-domain": _opensearch,
    "msk-cluster": _msk,
    "backup-vault": _backup,
}
