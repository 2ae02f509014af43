"""Refresh archgen's price catalogue (``archgen/data/prices.yaml``) from the AWS Price List bulk files.

Online, the script reads ``https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json``, follows each
service's ``currentRegionIndexUrl`` to the per-Region offer files, and extracts the on-demand USD price of every
catalogue item that has an entry in :data:`MAPPING` (a declarative item id → service code + product filters table).
It then rewrites the listed prices in place: the us-east-1 ``usd:`` figure of each mapped item, and each Region's
``prices:`` block (adding a block or a line where needed). Comments and the order of the file are kept; updated
base items take the source key ``aws-price-list``, whose ``read`` date (and the catalogue's ``as_of``) become the
date of the run.

Offer-file format (documented by AWS, "Reading the price list files")::

    {"products": {sku: {"productFamily": ..., "attributes": {...}}},
     "terms": {"OnDemand": {sku: {offerTermCode: {"priceDimensions": {rateCode: {
         "unit": ..., "beginRange": "0", "endRange": "Inf", "pricePerUnit": {"USD": "0.0816"}}}}}}}}

Usage::

    python tools/prices/refresh.py --dry-run                      # online, print the differences
    python tools/prices/refresh.py --offline-fixture DIR          # read DIR/<service>/<region>.json instead

Factors are not recomputed: the script reports, per Region, the mean ratio of the refreshed listed prices to
us-east-1 so that a maintainer can revise the ``factor`` and its comment.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import json
import math
import re
import sys
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

PRICING_HOST = "https://pricing.us-east-1.amazonaws.com"
INDEX_PATH = "/offers/v1.0/aws/index.json"
BASE_REGION = "us-east-1"
SOURCE_KEY = "aws-price-list"
DEFAULT_CATALOGUE = Path(__file__).resolve().parents[2] / "archgen" / "data" / "prices.yaml"
USER_AGENT = "archgen-price-refresh/1"
MILLION = 1_000_000.0

# Usage types carry a Region prefix ("USE2-", "EUC1-", "APN1-", legacy "EU-") except in us-east-1.
_REGION_PREFIX = re.compile(r"^[A-Z]{2,4}[0-9]{0,2}-")

JSON = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Match:
    """How to find one catalogue item in an offer file.

    ``usagetype`` is compared with the product's usage type after its Region prefix is removed; ``usagetype_prefix``
    does the same as a prefix test. ``attributes`` must all be equal. ``scale`` converts the offer's unit to the
    catalogue's (for example 1,000,000 for a per-request price listed per "1M requests").
    """

    service: str
    product_family: str | None = None
    attributes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    usagetype: str | None = None
    usagetype_prefix: str | None = None
    scale: float = 1.0


def _ec2(instance_type: str) -> Match:
    return Match(
        "AmazonEC2",
        "Compute Instance",
        {
            "instanceType": instance_type,
            "operatingSystem": "Linux",
            "tenancy": "Shared",
            "preInstalledSw": "NA",
            "capacitystatus": "Used",
            "licenseModel": "No License required",
        },
        usagetype_prefix="BoxUsage:",
    )


def _rds(engine: str, instance_class: str) -> Match:
    return Match(
        "AmazonRDS",
        "Database Instance",
        {"instanceType": instance_class, "databaseEngine": engine, "deploymentOption": "Single-AZ"},
        usagetype_prefix="InstanceUsage:",
    )


def _cache(engine: str, node_type: str) -> Match:
    return Match("AmazonElastiCache", "Cache Instance", {"instanceType": node_type, "cacheEngine": engine})


def _build_mapping() -> dict[str, Match]:
    mapping: dict[str, Match] = {
        f"ec2/{t}": _ec2(t) for t in ("c7g.large", "m7g.large", "c7i.large", "m7i.large", "t4g.medium", "r7g.large")
    }
    mapping |= {
        "nat/hour": Match("AmazonEC2", "NAT Gateway", usagetype="NatGateway-Hours"),
        "nat/gb": Match("AmazonEC2", "NAT Gateway", usagetype="NatGateway-Bytes"),
        "alb/hour": Match("AWSELB", "Load Balancer-Application", usagetype="LoadBalancerUsage"),
        "alb/lcu": Match("AWSELB", "Load Balancer-Application", usagetype="LCUUsage"),
        "ipv4/address": Match("AmazonVPC", usagetype="PublicIPv4:InUseAddress"),
        "eks/cluster": Match("AmazonEKS", usagetype="AmazonEKS-Hours:perCluster"),
        "fargate/vcpu/x86_64": Match("AmazonECS", usagetype="Fargate-vCPU-Hours:perCPU"),
        "fargate/gb/x86_64": Match("AmazonECS", usagetype="Fargate-GB-Hours"),
        "fargate/vcpu/arm64": Match("AmazonECS", usagetype="Fargate-ARM-vCPU-Hours:perCPU"),
        "fargate/gb/arm64": Match("AmazonECS", usagetype="Fargate-ARM-GB-Hours"),
        "lambda/requests": Match("AWSLambda", usagetype="Request", scale=MILLION),
        "lambda/duration/x86_64": Match("AWSLambda", usagetype="Lambda-GB-Second"),
        "lambda/duration/arm64": Match("AWSLambda", usagetype="Lambda-GB-Second-ARM"),
        "s3/standard": Match("AmazonS3", "Storage", {"volumeType": "Standard"}, usagetype="TimedStorage-ByteHrs"),
        "s3/put": Match("AmazonS3", usagetype="Requests-Tier1", scale=MILLION),
        "s3/get": Match("AmazonS3", usagetype="Requests-Tier2", scale=MILLION),
        "dynamodb/wru": Match("AmazonDynamoDB", usagetype="WriteRequestUnits", scale=MILLION),
        "dynamodb/rru": Match("AmazonDynamoDB", usagetype="ReadRequestUnits", scale=MILLION),
        "dynamodb/storage": Match("AmazonDynamoDB", usagetype="TimedStorage-ByteHrs"),
        "dynamodb/pitr": Match("AmazonDynamoDB", usagetype="TimedPITRStorage-ByteHrs"),
        "opensearch/r7g.large.search": Match(
            "AmazonES", "Amazon OpenSearch Service Instance", {"instanceType": "r7g.large.search"}
        ),
    }
    for engine, label in (("postgresql", "PostgreSQL"), ("mysql", "MySQL")):
        for cls in (
            "db.t4g.medium",
            "db.m7g.large",
            "db.r7g.large",
            "db.r7g.xlarge",
            "db.r7g.2xlarge",
            "db.r7g.4xlarge",
        ):
            mapping[f"rds-{engine}/{cls}"] = _rds(label, cls)
    for engine, label in (("postgresql", "Aurora PostgreSQL"), ("mysql", "Aurora MySQL")):
        for cls in ("db.r7g.large", "db.r7g.xlarge", "db.r7g.2xlarge", "db.r7g.4xlarge"):
            mapping[f"aurora-{engine}/{cls}"] = _rds(label, cls)
    for engine, label in (("valkey", "Valkey"), ("redis", "Redis")):
        for node in ("cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium"):
            mapping[f"elasticache-{engine}/{node}"] = _cache(label, node)
        for node in ("cache.r7g.large", "cache.r7g.xlarge", "cache.r7g.2xlarge"):
            mapping[f"elasticache-{engine}/{node}"] = _cache(label, node)
    return mapping


MAPPING: dict[str, Match] = _build_mapping()
"""Catalogue item id → where to find its price. Items not listed here are left as they are."""


class AmbiguousPriceError(ValueError):
    """More than one distinct price matched an item's filters."""


def base_usagetype(usagetype: str) -> str:
    """A usage type without its Region prefix (``USE2-BoxUsage:m7g.large`` → ``BoxUsage:m7g.large``)."""
    return _REGION_PREFIX.sub("", usagetype, count=1)


def _product_matches(product: JSON, match: Match) -> bool:
    if match.product_family is not None and product.get("productFamily") != match.product_family:
        return False
    attributes: JSON = product.get("attributes", {})
    if any(attributes.get(key) != value for key, value in match.attributes.items()):
        return False
    usage = base_usagetype(str(attributes.get("usagetype", "")))
    if match.usagetype is not None and usage != match.usagetype:
        return False
    return match.usagetype_prefix is None or usage.startswith(match.usagetype_prefix)


def _first_tier_prices(terms: JSON) -> list[float]:
    """The USD price of each on-demand price dimension that starts at 0 (the first tier), skipping zero rates."""
    prices: list[float] = []
    for term in terms.values():
        for dimension in term.get("priceDimensions", {}).values():
            if str(dimension.get("beginRange", "0")) not in ("0", "0.0"):
                continue
            usd = float(dimension.get("pricePerUnit", {}).get("USD", "0"))
            if usd > 0:
                prices.append(usd)
    return prices


def extract_price(offer: JSON, match: Match) -> float | None:
    """The on-demand USD price of the product that ``match`` selects in ``offer``, in the catalogue's unit.

    Returns None when no product matches; raises AmbiguousPriceError when the matches disagree.
    """
    on_demand: JSON = offer.get("terms", {}).get("OnDemand", {})
    found: set[float] = set()
    for sku, product in offer.get("products", {}).items():
        if _product_matches(product, match):
            found.update(_first_tier_prices(on_demand.get(sku, {})))
    if not found:
        return None
    if len(found) > 1:
        raise AmbiguousPriceError(f"{match.service}: {sorted(found)} all match {match}")
    return _tidy(found.pop() * match.scale)


def _tidy(value: float) -> float:
    """Round away floating-point noise from scaling (10 significant digits)."""
    if value == 0:
        return 0.0
    digits = 10 - math.floor(math.log10(abs(value))) - 1
    return round(value, max(digits, 0))


class OfferSource:
    """Reads offer files, from the network or from a fixture folder (``DIR/<service>/<region>.json``)."""

    def __init__(self, fixture: Path | None = None) -> None:
        """Read from ``fixture`` when given, else from the AWS Price List endpoint."""
        self.fixture = fixture
        self._region_urls: dict[str, dict[str, str]] = {}
        self._cache: dict[tuple[str, str], JSON | None] = {}

    def offer(self, service: str, region: str) -> JSON | None:
        """The offer file of ``service`` in ``region``, or None if the service has none there."""
        key = (service, region)
        if key not in self._cache:
            self._cache[key] = self._load(service, region)
        return self._cache[key]

    def _load(self, service: str, region: str) -> JSON | None:
        if self.fixture is not None:
            path = self.fixture / service / f"{region}.json"
            if not path.is_file():
                return None
            loaded: JSON = json.loads(path.read_text(encoding="utf-8"))
            return loaded
        url = self._regions(service).get(region)
        return None if url is None else _fetch_json(PRICING_HOST + url)

    def _regions(self, service: str) -> dict[str, str]:
        if service not in self._region_urls:
            index = _fetch_json(PRICING_HOST + INDEX_PATH)
            region_index_url = index["offers"][service]["currentRegionIndexUrl"]
            regions: JSON = _fetch_json(PRICING_HOST + region_index_url)["regions"]
            self._region_urls[service] = {code: entry["currentVersionUrl"] for code, entry in regions.items()}
        return self._region_urls[service]


def _fetch_json(url: str) -> JSON:
    if not url.startswith(PRICING_HOST + "/"):
        raise ValueError(f"refusing to fetch {url!r}: not an AWS Price List URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - fixed https host
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - fixed https host
        loaded: JSON = json.load(response)
    return loaded


def collect_prices(
    source: OfferSource, items: Iterable[str], regions: Iterable[str], log: list[str]
) -> dict[str, dict[str, float]]:
    """Region → item → price for every mapped item found in each Region's offer files."""
    result: dict[str, dict[str, float]] = {}
    for region in regions:
        found: dict[str, float] = {}
        for item in items:
            match = MAPPING.get(item)
            if match is None:
                continue
            offer = source.offer(match.service, region)
            if offer is None:
                continue
            try:
                price = extract_price(offer, match)
            except AmbiguousPriceError as error:
                log.append(f"{region} {item}: skipped, {error}")
                continue
            if price is not None:
                found[item] = price
        result[region] = found
    return result


_BASE_LINE = re.compile(
    r"^(  (?P<item>[^\s:#][^:]*): \{unit: [^,]+, usd: )(?P<usd>[^,]+)(, source: )(?P<src>[^}]+)(\}.*)$"
)
_REGION_HEAD = re.compile(r"^  (?P<code>[a-z]{2}-[a-z]+-\d+):(?P<rest>.*)$")
_REGION_PRICE = re.compile(r"^(      (?P<item>[^\s:#][^:]*): )(?P<usd>[0-9.eE+-]+)(?P<tail>.*)$")


def _format(value: float) -> str:
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if "." in text else text + ".0"


def _rewrite_base(lines: list[str], prices: Mapping[str, float]) -> None:
    section = ""
    for index, line in enumerate(lines):
        if line and not line.startswith((" ", "#")):
            section = line.split(":", 1)[0]
        match = _BASE_LINE.match(line)
        if section != "prices" or match is None or match["item"] not in prices:
            continue
        new = _format(prices[match["item"]])
        if float(match["usd"]) != float(new):
            lines[index] = f"{match.group(1)}{new}{match.group(4)}{SOURCE_KEY}{match.group(6)}"


def _region_bounds(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Region code → (index of its head line, index one past its last line) in the ``regions:`` section."""
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "regions:"), len(lines))
    heads = [(i, m["code"]) for i in range(start + 1, len(lines)) if (m := _REGION_HEAD.match(lines[i]))]
    bounds: dict[str, tuple[int, int]] = {}
    for position, (index, code) in enumerate(heads):
        end = heads[position + 1][0] if position + 1 < len(heads) else len(lines)
        while end - 1 > index and (not lines[end - 1].strip() or lines[end - 1].startswith("  #")):
            end -= 1
        bounds[code] = (index, end)
    return bounds


def _rewrite_region(lines: list[str], code: str, prices: Mapping[str, float]) -> list[str]:
    bounds = _region_bounds(lines)
    if code not in bounds or not prices:
        return lines
    head, end = bounds[code]
    head_match = _REGION_HEAD.match(lines[head])
    assert head_match is not None
    block = lines[head:end]
    if head_match["rest"].strip().startswith("{"):  # flow style: expand it into a block
        flow = yaml.safe_load(head_match["rest"])
        block = [f"  {code}:", f"    factor: {flow['factor']}", f"    source: {flow['source']}"]
    seen: set[str] = set()
    for index, line in enumerate(block):
        match = _REGION_PRICE.match(line)
        if match and match["item"] in prices:
            seen.add(match["item"])
            block[index] = f"{match.group(1)}{_format(prices[match['item']])}{match['tail']}"
    missing = [item for item in prices if item not in seen]
    if missing:
        if not any(line.strip() == "prices:" for line in block):
            block.append("    prices:")
        block.extend(f"      {item}: {_format(prices[item])}" for item in missing)
    return lines[:head] + block + lines[end:]


def _stamp(lines: list[str], today: dt.date) -> list[str]:
    """Set ``as_of`` and add or date the ``aws-price-list`` source."""
    month = today.strftime("%Y-%m")
    out = [f'as_of: "{month}"' if line.startswith("as_of:") else line for line in lines]
    key_line = f"  {SOURCE_KEY}:"
    if key_line in out:
        at = out.index(key_line)
        for index in range(at + 1, min(at + 4, len(out))):
            if out[index].startswith("    read:"):
                out[index] = f'    read: "{today.isoformat()}"'
        return out
    at = out.index("sources:") + 1
    return [
        *out[:at],
        key_line,
        '    title: "AWS Price List bulk API offer files (on-demand, USD), read by tools/prices/refresh.py"',
        f"    url: {PRICING_HOST}{INDEX_PATH}",
        f'    read: "{today.isoformat()}"',
        *out[at:],
    ]


def rewrite(text: str, found: Mapping[str, Mapping[str, float]], today: dt.date) -> str:
    """The catalogue ``text`` with the prices in ``found`` (Region → item → USD) written in."""
    lines = text.splitlines()
    base = found.get(BASE_REGION, {})
    _rewrite_base(lines, base)
    for code, prices in found.items():
        if code != BASE_REGION:
            lines = _rewrite_region(lines, code, prices)
    if lines != text.splitlines():
        lines = _stamp(lines, today)
    return "\n".join(lines) + "\n"


def factor_report(found: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Per Region, the geometric mean ratio of the refreshed prices to us-east-1 (to review the factors)."""
    base = found.get(BASE_REGION, {})
    report: list[str] = []
    for code, prices in sorted(found.items()):
        ratios = [prices[item] / base[item] for item in prices if base.get(item)]
        if code != BASE_REGION and ratios:
            mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            report.append(f"{code}: basket ratio {mean:.3f} over {len(ratios)} items")
    return report


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="prices.yaml to refresh")
    parser.add_argument("--offline-fixture", type=Path, help="read DIR/<service>/<region>.json, not the network")
    parser.add_argument("--dry-run", action="store_true", help="print the differences, write nothing")
    parser.add_argument("--region", action="append", help="only these Regions (repeatable); default: all listed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, today: dt.date | None = None) -> int:
    """Run the refresh; returns the process exit status."""
    args = _parse_args(argv)
    text = args.catalogue.read_text(encoding="utf-8")
    catalogue: JSON = yaml.safe_load(text)
    regions = args.region or sorted(catalogue["regions"])
    if BASE_REGION not in regions:
        regions = [BASE_REGION, *regions]
    log: list[str] = []
    found = collect_prices(OfferSource(args.offline_fixture), list(catalogue["prices"]), regions, log)
    new = rewrite(text, found, today or dt.datetime.now(dt.UTC).date())
    for line in [*log, *factor_report(found)]:
        print(line, file=sys.stderr)
    if args.dry_run:
        sys.stdout.writelines(
            difflib.unified_diff(text.splitlines(True), new.splitlines(True), str(args.catalogue), "refreshed")
        )
    elif new != text:
        args.catalogue.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
