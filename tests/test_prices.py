"""The price catalogue (archgen/data/prices.yaml) and its refresh script (tools/prices/refresh.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from archgen.price_catalogue import BASE_REGION, Catalogue, price_catalogue

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "prices"
REGIONS_FILE = ROOT / "archgen" / "data" / "regions.yaml"
FREE_ITEMS = {"cloudflare/free", "cloudflare/managed-waf"}  # included in a paid plan


def _load_refresh() -> ModuleType:
    spec = importlib.util.spec_from_file_location("archgen_price_refresh", ROOT / "tools" / "prices" / "refresh.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


refresh = _load_refresh()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return price_catalogue()


def _region_codes() -> list[str]:
    data: dict[str, Any] = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    return [entry["code"] for entry in data["regions"]]


def test_catalogue_loads(catalogue: Catalogue) -> None:
    assert catalogue.currency == "USD"
    assert catalogue.prices
    assert catalogue.regions[BASE_REGION].factor == 1.0


def test_every_source_is_known_and_dated(catalogue: Catalogue) -> None:
    used = {price.source for price in {**catalogue.prices, **catalogue.global_}.values()}
    used |= {region.source for region in catalogue.regions.values()}
    assert used <= set(catalogue.sources)
    for key, source in catalogue.sources.items():
        assert source.read.strip(), key
        assert source.read[:4].isdigit(), f"{key}: read date {source.read!r} does not start with a year"
        assert source.url.startswith("https://"), key
        assert source.title.strip(), key


@pytest.mark.parametrize("code", _region_codes())
def test_every_region_is_priced(catalogue: Catalogue, code: str) -> None:
    region = catalogue.regions.get(code)
    assert region is not None, f"{code} is missing from prices.yaml"
    assert region.factor > 0
    assert region.source in catalogue.sources
    assert 0.8 <= region.factor <= 2.0, f"{code}: factor {region.factor} outside 0.8-2.0"


def test_no_unknown_regions(catalogue: Catalogue) -> None:
    assert set(catalogue.regions) <= set(_region_codes())


def test_listed_region_prices_are_plausible(catalogue: Catalogue) -> None:
    for code, region in catalogue.regions.items():
        for item, usd in region.prices.items():
            base = catalogue.prices[item].usd
            assert 0.7 * base <= usd <= 2.5 * base, f"{code} {item}: {usd} vs us-east-1 {base}"


def test_prices_are_positive(catalogue: Catalogue) -> None:
    for item, price in {**catalogue.prices, **catalogue.global_}.items():
        if item in FREE_ITEMS:
            assert price.usd == 0.0
        else:
            assert price.usd > 0, item


def test_quote_uses_listed_price_then_factor(catalogue: Catalogue) -> None:
    listed = catalogue.quote("fargate/vcpu/x86_64", "eu-central-1")
    assert not listed.estimate
    assert listed.usd == catalogue.regions["eu-central-1"].prices["fargate/vcpu/x86_64"]
    estimated = catalogue.quote("ec2/m7g.large", "eu-central-1")
    assert estimated.estimate
    assert estimated.usd == pytest.approx(
        catalogue.prices["ec2/m7g.large"].usd * catalogue.regions["eu-central-1"].factor
    )


def test_valkey_is_cheaper_than_redis(catalogue: Catalogue) -> None:
    for item, price in catalogue.prices.items():
        if item.startswith("elasticache-valkey/"):
            redis = catalogue.prices[item.replace("valkey", "redis", 1)].usd
            assert price.usd == pytest.approx(0.8 * redis, rel=0.01), item


def test_mapping_covers_only_catalogue_items(catalogue: Catalogue) -> None:
    assert set(refresh.MAPPING) <= set(catalogue.prices)


# --- the refresh script's parser, against the hand-written fixture --------------------------------------------


def _offer(service: str, region: str) -> dict[str, Any]:
    offer: dict[str, Any] | None = refresh.OfferSource(FIXTURE).offer(service, region)
    assert offer is not None
    return offer


@pytest.mark.parametrize(
    ("item", "service", "region", "expected"),
    [
        ("ec2/m7g.large", "AmazonEC2", "us-east-1", 0.0816),  # not Windows, not a capacity reservation, not an RI
        ("ec2/c7g.large", "AmazonEC2", "us-east-1", 0.0725),
        ("nat/hour", "AmazonEC2", "us-east-1", 0.045),
        ("nat/gb", "AmazonEC2", "us-east-1", 0.045),
        ("ec2/m7g.large", "AmazonEC2", "eu-central-1", 0.096),  # Region-prefixed usage type
        ("nat/hour", "AmazonEC2", "eu-central-1", 0.052),
        ("fargate/vcpu/x86_64", "AmazonECS", "us-east-1", 0.04048),  # not the Spot usage type
        ("fargate/gb/x86_64", "AmazonECS", "us-east-1", 0.004445),
        ("s3/standard", "AmazonS3", "us-east-1", 0.023),  # first tier only
        ("s3/put", "AmazonS3", "us-east-1", 5.0),  # per request x 1M
        ("elasticache-valkey/cache.r7g.large", "AmazonElastiCache", "us-east-1", 0.1752),
        ("elasticache-redis/cache.r7g.large", "AmazonElastiCache", "us-east-1", 0.219),
    ],
)
def test_extract_price(item: str, service: str, region: str, expected: float) -> None:
    match = refresh.MAPPING[item]
    assert match.service == service
    assert refresh.extract_price(_offer(service, region), match) == pytest.approx(expected)


def test_extract_price_missing_and_ambiguous() -> None:
    offer = _offer("AmazonEC2", "us-east-1")
    assert refresh.extract_price(offer, refresh.MAPPING["ec2/m7i.large"]) is None
    loose = refresh.Match("AmazonEC2", "Compute Instance", {"instanceType": "m7g.large"})
    with pytest.raises(refresh.AmbiguousPriceError):
        refresh.extract_price(offer, loose)


def test_base_usagetype() -> None:
    assert refresh.base_usagetype("USE2-BoxUsage:m7g.large") == "BoxUsage:m7g.large"
    assert refresh.base_usagetype("EU-NatGateway-Hours") == "NatGateway-Hours"
    assert refresh.base_usagetype("BoxUsage:m7g.large") == "BoxUsage:m7g.large"


def test_missing_offer_file_is_none() -> None:
    assert refresh.OfferSource(FIXTURE).offer("AmazonMSK", "us-east-1") is None


_MINI = """\
# header comment
as_of: "2026-01"
currency: USD
hours_per_month: 730

sources:
  old:
    title: "old"
    url: https://example.com/
    read: "2026-01"

prices:
  ec2/m7g.large: {unit: hour, usd: 0.08, source: old}  # keep this comment
  nat/hour: {unit: hour, usd: 0.045, source: old}
  s3/put: {unit: 1M requests, usd: 5.00, source: old}

regions:
  # us-east-1 comment
  us-east-1: {factor: 1.0, source: old}
  eu-central-1:
    factor: 1.2
    source: old
    prices:
      nat/hour: 0.05  # will change
"""


def test_refresh_rewrites_catalogue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(_MINI, encoding="utf-8")
    argv = ["--catalogue", str(path), "--offline-fixture", str(FIXTURE)]

    assert refresh.main([*argv, "--dry-run"], today=dt.date(2026, 11, 30)) == 0
    assert path.read_text(encoding="utf-8") == _MINI  # dry run writes nothing
    diff = capsys.readouterr().out
    assert "+  ec2/m7g.large: {unit: hour, usd: 0.0816, source: aws-price-list}  # keep this comment" in diff

    assert refresh.main(argv, today=dt.date(2026, 11, 30)) == 0
    text = path.read_text(encoding="utf-8")
    assert "# us-east-1 comment" in text
    assert "      nat/hour: 0.052  # will change" in text
    assert "      ec2/m7g.large: 0.096" in text
    assert "  nat/hour: {unit: hour, usd: 0.045, source: old}" in text  # unchanged figure keeps its source
    assert "  s3/put: {unit: 1M requests, usd: 5.00, source: old}" in text
    catalogue = Catalogue.model_validate(yaml.safe_load(text))
    assert catalogue.as_of == "2026-11"
    assert catalogue.sources["aws-price-list"].read == "2026-11-30"
    assert catalogue.prices["ec2/m7g.large"].usd == 0.0816
    assert catalogue.regions["eu-central-1"].prices == {"nat/hour": 0.052, "ec2/m7g.large": 0.096}

    assert refresh.main(argv, today=dt.date(2026, 12, 1)) == 0  # a second run changes nothing
    assert path.read_text(encoding="utf-8") == text


def test_refresh_expands_flow_style_region(tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(
        _MINI.replace(
            "  eu-central-1:\n    factor: 1.2\n    source: old\n    prices:\n      nat/hour: 0.05  # will change\n",
            "  eu-central-1: {factor: 1.2, source: old}\n",
        ),
        encoding="utf-8",
    )
    assert refresh.main(["--catalogue", str(path), "--offline-fixture", str(FIXTURE)], today=dt.date(2026, 11, 30)) == 0
    catalogue = Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert catalogue.regions["eu-central-1"].factor == 1.2
    assert catalogue.regions["eu-central-1"].prices["nat/hour"] == 0.052


def test_fetch_refuses_other_hosts() -> None:
    with pytest.raises(ValueError, match="not an AWS Price List URL"):
        refresh._fetch_json("https://example.com/offers/v1.0/aws/index.json")
