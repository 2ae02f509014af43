"""Pricing rules for messaging: SQS, SNS, Kinesis Data Streams, Data Firehose."""

from __future__ import annotations

import math

from archgen.design import Component, number
from archgen.plan.pricing.pricer import Pricer, Rule
from archgen.plan.usage import usage_assumptions
from archgen.sizing_data import sizing_data


def _messages(p: Pricer, c: Component) -> tuple[float, str]:
    """Messages a channel carries: every event in an event or streaming workload, else one per write."""
    use = p.usage(c.region)
    if p.spec.workload in ("event-driven", "streaming"):
        return use.requests, f"{use.requests:,.0f} events"
    return use.writes, f"{use.writes:,.0f} messages (one per write)"


def _sqs(p: Pricer, c: Component) -> None:
    messages, what = _messages(p, c)
    per = usage_assumptions().queue_requests_per_message
    p.add(
        c,
        "aws_sqs_queue",
        "sqs/standard",
        messages * per / 1e6,
        f"{what} × {per:g} requests (send, receive, delete)" + p.standby_note(c),
    )


def _sns(p: Pricer, c: Component) -> None:
    messages, what = _messages(p, c)
    p.add(c, "aws_sns_topic", "sns/publish", messages / 1e6, f"{what} published" + p.standby_note(c))


def _kinesis(p: Pricer, c: Component) -> None:
    shards = int(number(c.properties, "shard_count"))
    p.add(c, "aws_kinesis_stream", "kinesis/shard", shards * p.hours, f"{shards} shard(s) × {p.hours:g} h")
    use = p.usage(c.region)
    unit_kb = usage_assumptions().kinesis_put_unit_kb
    units = use.requests * max(1, -(-sizing_data().stream.record_kb // unit_kb))
    p.add(
        c,
        "aws_kinesis_stream",
        "kinesis/put-units",
        units / 1e6,
        f"{use.requests:,.0f} records of ≤ {unit_kb:g} KB" + p.standby_note(c),
    )


def _firehose(p: Pricer, c: Component) -> None:
    use = p.usage(c.region)
    step = usage_assumptions().firehose_record_increment_kb
    billed_kb = max(step, math.ceil(sizing_data().stream.record_kb / step) * step)
    gb = use.requests * billed_kb / (1024 * 1024)
    p.add(
        c,
        "aws_kinesis_firehose_delivery_stream",
        "firehose/ingest",
        gb,
        f"{use.requests:,.0f} records, each billed as {billed_kb:g} KB (5 KB increments)",
    )


RULES: dict[str, Rule] = {
    "sqs-queue": _sqs,
    "sns-topic": _sns,
    "kinesis-stream": _kinesis,
    "firehose-stream": _firehose,
}
