"""The generated Terraform realises each DR strategy: replication between the Region roots, failover routing in the
global root, reduced compute in the recovery Region, and the restore root of backup and restore.

The HCL is parsed with python-hcl2 (never grepped); the tools (fmt, validate, checkov) run in test_terraform.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import hcl2
import pytest

from archgen import design_from_spec, load_spec
from archgen.design import Design
from archgen.recovery_data import recovery_data
from archgen.render.terraform import render_terraform
from tests.conftest import EXAMPLES

# Active/active with Aurora: payments-platform with objectives only active/active meets (and the budget for it).
ACTIVE_AURORA_SPEC = """\
name: ledger-live
workload: web-api
traffic:
  peak_rps: 500
availability:
  slo: 99.99
  rto: 30s
  rpo: 0s
regions:
  primary: eu-central-1
  allowed: [eu-central-1, eu-west-3]
data:
  - name: ledger
    kind: relational
    engine: postgresql
    size_gb: 100
budget:
  monthly_usd: 90000
"""


def _clean(value: Any) -> Any:
    """python-hcl2 output without its quoting and block markers: keys and string literals unquoted."""
    if isinstance(value, dict):
        return {_unquote(k): _clean(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return _unquote(value) if isinstance(value, str) else value


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


@cache
def _design(case: str) -> Design:
    return design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))[1]


@cache
def _files(case: str) -> dict[str, str]:
    return render_terraform(_design(case))


def _root(files: Mapping[str, str], folder: str) -> dict[str, Any]:
    """Every .tf file of one root merged: block type -> {name (or type/name) -> body}."""
    merged: dict[str, Any] = {}
    prefix = f"terraform/{folder}/"
    names = [n for n in files if n.startswith(prefix) and n.endswith(".tf") and "/" not in n[len(prefix) :]]
    assert names, f"no root {folder}"
    for name in names:
        for block, entries in _clean(hcl2.loads(files[name])).items():
            for entry in entries if isinstance(entries, list) else [entries]:
                if block == "resource":
                    for rtype, named in entry.items():
                        for rname, body in named.items():
                            merged.setdefault(block, {})[f"{rtype}.{rname}"] = body
                elif block in ("module", "variable", "output"):
                    for key, body in entry.items():
                        merged.setdefault(block, {})[key] = body
                else:
                    merged.setdefault(block, []).append(entry)
    return merged


def _modules_from(root: Mapping[str, Any], source: str) -> dict[str, Any]:
    return {k: v for k, v in root.get("module", {}).items() if v["source"] == f"../../modules/{source}"}


def _strategy(case: str) -> str:
    return _design(case).decisions["dr_strategy"].choice


# -- the examples cover every strategy -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "strategy"),
    [
        ("payments-platform", "warm-standby"),
        ("orders-api", "pilot-light"),
        ("global-catalog", "active-active"),
        ("notes-api", "backup-restore"),
    ],
)
def test_examples_cover_each_strategy(case: str, strategy: str) -> None:
    assert _strategy(case) == strategy


# -- data replication ------------------------------------------------------------------------------------------------
def test_aurora_global_database_primary_and_joined_secondary() -> None:
    files = _files("payments-platform")
    primary, recovery = _root(files, "prod/eu-central-1"), _root(files, "prod/eu-west-3")
    source = primary["module"]["data_ledger"]
    assert source["create_global_cluster"] is True
    assert "global_cluster_identifier" not in source
    assert "data_ledger_global_cluster_identifier" in primary["output"]

    secondary = recovery["module"]["data_ledger_recovery"]
    assert secondary["global_cluster_identifier"] == "${var.data_ledger_global_cluster_identifier}"
    assert secondary["kms_key_arn"] == "${module.kms.key_arn}"  # the recovery Region's own key
    assert "master_username" not in secondary
    assert "create_global_cluster" not in secondary
    assert "enable_global_write_forwarding" not in secondary  # a standby does not take writes
    assert "default" not in recovery["variable"]["data_ledger_global_cluster_identifier"]  # required


def test_aurora_module_secondary_has_no_master_credentials() -> None:
    main = _clean(hcl2.loads(_files("payments-platform")["terraform/modules/aurora/main.tf"]))
    cluster = next(r["aws_rds_cluster"]["this"] for r in main["resource"] if "aws_rds_cluster" in r)
    assert cluster["master_username"].startswith("${local.secondary ||")
    assert cluster["global_cluster_identifier"].startswith("${local.secondary ? var.global_cluster_identifier")
    assert cluster["kms_key_id"] == "${var.kms_key_arn}"


def test_active_active_aurora_secondary_forwards_writes(write_spec: Any) -> None:
    design = design_from_spec(load_spec(write_spec(ACTIVE_AURORA_SPEC)))[1]
    assert design.decisions["dr_strategy"].choice == "active-active"
    files = render_terraform(design)
    secondary = _root(files, f"prod/{design.regions[1]}")["module"]["data_ledger_recovery"]
    assert secondary["enable_global_write_forwarding"] is True
    assert "single writer" in files[f"terraform/prod/{design.regions[1]}/main.tf"]  # the caveat is stated


def test_rds_recovery_copy_is_a_cross_region_read_replica() -> None:
    files = _files("orders-api")
    recovery = _root(files, "prod/eu-west-3")
    replica = recovery["module"]["data_orders_recovery"]
    assert replica["replicate_source_db"] == "${var.data_orders_arn}"
    assert replica["kms_key_arn"] == "${module.kms.key_arn}"
    assert replica["multi_az"] is False  # single-instance standby, as planned
    condition = recovery["variable"]["data_orders_arn"]["validation"][0]["condition"]
    assert ":rds:eu-west-1:" in condition  # the primary instance's ARN, in the primary Region
    assert "data_orders_arn" in _root(files, "prod/eu-west-1")["output"]


@pytest.mark.parametrize("case", ["payments-platform", "global-catalog"])
def test_dynamodb_global_table_replica_in_the_recovery_region(case: str) -> None:
    design, files = _design(case), _files(case)
    recovery_region = design.regions[1]
    primary, recovery = _root(files, f"prod/{design.regions[0]}"), _root(files, f"prod/{recovery_region}")
    [table] = _modules_from(primary, "dynamodb-table").values()
    assert recovery_region in table["replica_regions"]
    assert recovery_region in table["replica_kms_key_arns"]
    assert "var.recovery_kms_key_arn" in table["replica_kms_key_arns"]
    assert "recovery_kms_key_arn" in primary["variable"]
    assert "recovery_kms_key_arn" in recovery["output"]
    # the recovery root creates no second table; it references the replica of the same name
    assert _modules_from(recovery, "dynamodb-table") == {}
    [replica] = _modules_from(recovery, "dynamodb-replica").values()
    assert replica["name"] == table["name"]

    module = _clean(hcl2.loads(files["terraform/modules/dynamodb-table/main.tf"]))
    block = next(r["aws_dynamodb_table"]["this"] for r in module["resource"] if "aws_dynamodb_table" in r)
    [dynamic] = [d["replica"]["content"][0] for d in block["dynamic"] if "replica" in d]
    assert dynamic["point_in_time_recovery"] is True
    assert dynamic["kms_key_arn"] == "${var.replica_kms_key_arns[replica.value]}"


def test_s3_cross_region_replication_with_replication_time_control() -> None:
    files = _files("global-catalog")
    primary, recovery = _root(files, "prod/us-east-1"), _root(files, "prod/us-east-2")
    bucket = primary["module"]["data_images"]
    assert bucket["replication_destination_bucket_arn"] == "${var.data_images_recovery_arn}"
    assert bucket["replication_destination_kms_key_arn"] == "${var.recovery_kms_key_arn}"
    assert "data_images_recovery_arn" in recovery["output"]
    assert recovery["module"]["data_images_recovery"]["versioning"] is True
    assert bucket["versioning"] is True
    # active/active: the recovery copy replicates back
    assert recovery["module"]["data_images_recovery"]["replication_destination_bucket_arn"] == "${var.data_images_arn}"

    module = _root_module(files, "s3-bucket")
    config = module["resource"]["aws_s3_bucket_replication_configuration.this"]
    destination = config["rule"][0]["destination"][0]
    assert destination["replication_time"][0] == {"status": "Enabled", "time": [{"minutes": 15}]}
    assert destination["metrics"][0] == {"status": "Enabled", "event_threshold": [{"minutes": 15}]}
    assert destination["encryption_configuration"][0]["replica_kms_key_id"] == (
        "${var.replication_destination_kms_key_arn}"
    )
    # least privilege: the role only replicates into the destination bucket and reads the source's versions
    policy = module["data"]["aws_iam_policy_document.replication"]
    # a statement that only exists with a KMS key is a dynamic block
    dynamic = [block["statement"]["content"][0] for block in policy.get("dynamic", []) if "statement" in block]
    actions = {a for statement in [*policy["statement"], *dynamic] for a in statement["actions"]}
    assert actions == {
        "s3:GetReplicationConfiguration",
        "s3:ListBucket",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        "s3:ReplicateObject",
        "s3:ReplicateDelete",
        "s3:ReplicateTags",
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
    }


def _root_module(files: Mapping[str, str], module: str) -> dict[str, Any]:
    """A local module's files merged like a root, data sources keyed type.name."""
    merged: dict[str, Any] = {}
    for name in sorted(n for n in files if n.startswith(f"terraform/modules/{module}/")):
        for block, entries in _clean(hcl2.loads(files[name])).items():
            for entry in entries:
                if block in ("resource", "data"):
                    for rtype, named in entry.items():
                        for rname, body in named.items():
                            merged.setdefault(block, {})[f"{rtype}.{rname}"] = body
    return merged


@pytest.mark.parametrize("case", ["payments-platform", "orders-api", "global-catalog", "notes-api"])
def test_primary_keeps_point_in_time_backups(case: str) -> None:
    design = _design(case)
    primary = _root(_files(case), f"prod/{design.regions[0]}")
    [vault] = _modules_from(primary, "backup").values()
    assert vault["schedule"].startswith("cron(")
    assert vault["copy_vault_arn"] == "${var.backup_copy_vault_arn}"
    assert "backup_copy_vault_arn" in _root(_files(case), f"prod/{design.regions[1]}")["output"]


# -- failover and routing --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "routing"),
    [("payments-platform", "FAILOVER"), ("orders-api", "FAILOVER"), ("global-catalog", "LATENCY")],
)
def test_global_root_health_checks_and_records(case: str, routing: str) -> None:
    design, files = _design(case), _files(case)
    root = _root(files, "prod/global")
    data = recovery_data()
    interval = data.detection.health_check_interval_seconds
    if _strategy(case) == "active-active":
        interval = data.strategies["active-active"].fast_health_check_interval_seconds or interval
    checks = {k: v for k, v in root["resource"].items() if k.startswith("aws_route53_health_check.")}
    records = {k: v for k, v in root["resource"].items() if k.startswith("aws_route53_record.")}
    assert len(checks) == len(records) == 2
    for check in checks.values():
        assert check["request_interval"] == interval
        assert check["failure_threshold"] == data.detection.failure_threshold
        assert check["type"] == "HTTPS"
    regions = []
    for name, record in records.items():
        assert record["zone_id"] == "${var.hosted_zone_id}"
        assert record["ttl"] == data.detection.dns_ttl_seconds
        assert record["health_check_id"] == f"${{aws_route53_health_check.{name.split('.')[1]}.id}}"
        regions.append(record["set_identifier"])
        if routing == "FAILOVER":
            assert "latency_routing_policy" not in record
        else:
            assert record["latency_routing_policy"][0]["region"] == record["set_identifier"]
    assert regions == list(design.regions)
    if routing == "FAILOVER":
        kinds = [r["failover_routing_policy"][0]["type"] for r in records.values()]
        assert kinds == ["PRIMARY", "SECONDARY"]
    assert {"hosted_zone_id", "domain_name"} <= set(root["variable"])
    assert not [k for k in root["resource"] if k.startswith("aws_route53_zone.")]  # never creates a zone


def test_cloudfront_origin_is_the_global_roots_record() -> None:
    files = _files("payments-platform")
    edge = _root(files, "prod/eu-central-1")["module"]["edge"]
    record = _root(files, "prod/global")["locals"][0]["record_name"]
    assert edge["origin_domain_name"] == record == "origin.${var.domain_name}"


def test_backup_restore_has_no_global_root() -> None:
    assert not [name for name in _files("notes-api") if name.startswith("terraform/prod/global/")]


# -- reduced compute in the recovery Region --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "module"), [("orders-api", "orders_api_recovery"), ("payments-platform", "nodes_recovery")]
)
def test_recovery_compute_keeps_the_planned_counts(case: str, module: str) -> None:
    design = _design(case)
    planned = design.component(module.replace("_", "-")).properties
    body = _root(_files(case), f"prod/{design.regions[1]}")["module"][module]
    for key in ("min_count", "desired_count", "max_count"):
        assert body[key] == planned[key]
    if _strategy(case) == "pilot-light":
        assert body["desired_count"] == body["min_count"] == 0
    main = _files(case)[f"terraform/prod/{design.regions[1]}/main.tf"]
    assert "On failover" in main  # how it scales up is written beside it


# -- backup and restore ----------------------------------------------------------------------------------------------
def test_restore_root_restores_the_dormant_copies() -> None:
    design, files = _design("notes-api"), _files("notes-api")
    recovery = design.regions[1]
    restore = _root(files, f"restore/{recovery}")
    table = restore["module"]["data_notes_recovery"]
    assert table["source"] == "../../modules/dynamodb-table"
    assert table["restore_source_table_arn"] == "${var.data_notes_recovery_restore_source_table_arn}"
    variable = restore["variable"]["data_notes_recovery_restore_source_table_arn"]
    assert "default" not in variable
    assert variable["description"]
    assert {"notes_recovery", "entry_recovery", "data_attachments_recovery"} <= set(restore["module"])
    assert restore["module"]["kms"]["name"] != _root(files, f"prod/{recovery}")["module"]["kms"]["name"]
    # the production recovery root holds only the vault (and its key and log bucket) and the Region's detector
    prod = _root(files, f"prod/{recovery}")
    assert set(prod["module"]) == {"kms", "logs", "backups_recovery", "threat_detection_recovery"}
    [backend] = [t["backend"][0]["s3"] for t in restore["terraform"] if "backend" in t]
    assert backend["key"] == f"notes-api/restore/{recovery}/terraform.tfstate"


def test_restore_root_restores_databases_from_snapshots() -> None:
    design = _design("nightly-reports")  # backup and restore with RDS for MySQL
    assert design.decisions["dr_strategy"].choice == "backup-restore"
    files = _files("nightly-reports")
    restore = _root(files, f"restore/{design.regions[1]}")
    [(name, db)] = _modules_from(restore, "rds").items()
    assert db["snapshot_identifier"] == f"${{var.{name}_snapshot_arn}}"
    variable = restore["variable"][f"{name}_snapshot_arn"]
    assert "default" not in variable
    assert "recovery point" in variable["description"]
