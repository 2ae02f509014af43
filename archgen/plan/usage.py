"""Monthly usage derived from the spec: requests, bytes, reads and writes, per Region.

The cost lines that depend on use (requests, transfer, storage, I/O) are priced from these volumes, never left at
$0; the assumptions behind them are data (``data/usage.yaml``) and are stated in DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

from archgen.data_kinds import store_size_gb
from archgen.price_catalogue import price_catalogue
from archgen.resources import load_data
from archgen.spec import Spec

KB_PER_GB = 1024 * 1024


class UsageAssumptions(BaseModel):
    """The figures in ``data/usage.yaml`` (each documented there)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: str
    request_kb: float
    write_share: float
    kv_item_kb: float
    kv_rru_per_read: float
    relational_ios_per_write: float
    relational_ios_per_read: float
    object_put_share: float
    object_get_share: float
    cdn_origin_miss_share: float
    nat_share_of_traffic: float
    log_kb_per_request: float
    access_log_kb_per_request: float
    firehose_record_increment_kb: float
    flow_log_kb_per_request: float
    log_retention_months: float
    lambda_duration_ms: float
    queue_requests_per_message: float
    kinesis_put_unit_kb: float
    alb_new_connection_share: float
    alb_lcu_new_connections: float
    alb_lcu_processed_gb_hour: float
    static_site_gb: float
    site_uploads: float
    kms_requests_per_region: float
    backup_daily_change: float
    management_events_per_region: float
    cloudtrail_event_kb: float
    log_compression: float
    config_items_per_component: float
    config_evaluations_per_item: float
    periodic_evaluations_per_rule: float
    image_gb: float
    image_pushes_per_month: float
    image_rescans_per_month: float


@cache
def usage_assumptions() -> UsageAssumptions:
    """The shipped assumptions, loaded once."""
    return load_data("usage.yaml", UsageAssumptions)


@dataclass(frozen=True)
class Usage:
    """One Region's share of the month's load.

    ``share`` is the fraction of traffic the Region serves: 1 for the primary, 0 for a standby Region, and an
    equal split between the Regions of an active/active design.
    """

    share: float
    hours: float
    average_rps: float
    response_kb: float

    @property
    def requests(self) -> float:
        """Requests (or events) this Region serves in a month."""
        return self.average_rps * self.share * self.hours * 3600

    @property
    def response_gb(self) -> float:
        """Bytes sent back to clients, in GB."""
        return self.requests * self.response_kb / KB_PER_GB

    @property
    def processed_gb(self) -> float:
        """Bytes through a load balancer or gateway, both directions, in GB."""
        return self.requests * (self.response_kb + usage_assumptions().request_kb) / KB_PER_GB

    @property
    def writes(self) -> float:
        """Writes to each data store."""
        return self.requests * usage_assumptions().write_share

    @property
    def reads(self) -> float:
        """Reads from each data store."""
        return self.requests * (1 - usage_assumptions().write_share)


def region_usage(spec: Spec, share: float) -> Usage:
    """The usage of a Region that serves ``share`` of the traffic."""
    return Usage(
        share=share,
        hours=price_catalogue().hours_per_month,
        average_rps=spec.traffic.average,
        response_kb=spec.traffic.avg_response_kb,
    )


def store_gb(spec: Spec, store_name: str) -> float:
    """A data store's size in GB, with the per-kind assumption when the spec gives none."""
    store = next(s for s in spec.data if s.name == store_name)
    return store_size_gb(store.kind, store.size_gb)
