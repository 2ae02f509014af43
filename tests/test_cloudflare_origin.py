"""A site bucket Cloudflare reads through Cloud Connector (marketing-site) can be read by Cloudflare, and only by it.

Cloud Connector sends unsigned requests to S3, and S3 refuses anonymous reads of SSE-KMS objects: that bucket uses
SSE-S3 and admits s3:GetObject for any principal from Cloudflare's IP ranges only (Block Public Access stays on:
S3 does not count a policy limited to aws:SourceIp CIDRs as public). Every other bucket keeps SSE-KMS and grants no
unsigned read (docs-site's, behind CloudFront, reads through origin access control).
"""

from __future__ import annotations

from typing import Any

import hcl2
import pytest
import yaml

from archgen import design_from_spec, load_spec, render_files
from archgen.design import Design
from tests.conftest import EXAMPLES, ROOT

CLOUDFLARE_RANGES = "${concat(module.edge.cloudflare_ipv4_cidrs, module.edge.cloudflare_ipv6_cidrs)}"


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return {case: design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))[1] for case in ("marketing-site", "docs-site")}


def _unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of block labels and string literals in some versions."""
    return value.strip('"') if isinstance(value, str) else value


def site_module(design: Design, region: str) -> dict[str, Any]:
    text = render_files(design)[f"terraform/prod/{region}/main.tf"].decode("utf-8")
    modules = {_unquote(k): v for block in hcl2.loads(text)["module"] for k, v in block.items()}
    return {k: _unquote(v) for k, v in modules["site"].items()}


def test_terraform_cloudflare_site_bucket_is_sse_s3_and_admits_exactly_cloudflares_ranges(
    designs: dict[str, Design],
) -> None:
    site = site_module(designs["marketing-site"], "us-east-1")
    assert site["kms_key_arn"] is None  # SSE-S3 (AES256)
    assert site["read_source_cidrs"] == CLOUDFLARE_RANGES
    assert site["source"] == "../../modules/s3-bucket"


def test_terraform_cloudfront_site_bucket_is_unchanged(designs: dict[str, Design]) -> None:
    site = site_module(designs["docs-site"], "eu-west-1")
    assert site["kms_key_arn"] == "${module.kms.key_arn}"
    assert "read_source_cidrs" not in site
    assert site["cloudfront_distribution_arn"] == "${module.edge.distribution_arn}"


def test_s3_bucket_module_reads_unsigned_only_from_the_cidrs_and_only_without_kms() -> None:
    text = (ROOT / "templates/terraform/modules/s3-bucket/main.tf").read_text()
    policy = text.split('data "aws_iam_policy_document" "bucket"', 1)[1].split('resource "aws_s3_bucket_policy"', 1)[0]
    unsigned = policy.split('sid       = "UnsignedReadsFromSourceCidrs"', 1)[1]
    assert 'actions   = ["s3:GetObject"]' in unsigned
    assert 'test     = "IpAddress"' in unsigned
    assert 'variable = "aws:SourceIp"' in unsigned
    assert "for_each = length(var.read_source_cidrs) == 0 ? [] : [var.read_source_cidrs]" in policy
    assert 'sse_algorithm     = local.sse_kms ? "aws:kms" : "AES256"' in text
    # Block Public Access stays fully on for every bucket
    block = text.split('resource "aws_s3_bucket_public_access_block" "this"', 1)[1].split("}", 1)[0]
    assert block.count("= true") == 4
    # a CIDR-read bucket with a KMS key is refused at plan time
    assert "length(var.read_source_cidrs) == 0 || var.kms_key_arn == null" in text


def _template(design: Design, path: str) -> dict[str, Any]:
    files = render_files(design, ("terraform", "cloudformation"))
    return yaml.safe_load(files[path])  # type: ignore[no-any-return]


def _statements(template: dict[str, Any], bucket: str) -> list[dict[str, Any]]:
    policies = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::S3::BucketPolicy" and r["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    assert len(policies) == 1  # a bucket has one policy
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    return [s["Fn::If"][1] if "Fn::If" in s else s for s in statements]


def test_cloudformation_cloudflare_site_bucket_is_aes256_and_reads_from_the_ranges_parameter(
    designs: dict[str, Design],
) -> None:
    template = _template(designs["marketing-site"], "cloudformation/prod/us-east-1/template.yaml")
    bucket = template["Resources"]["SiteBucket"]["Properties"]
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert template["Parameters"]["CloudflareIpRanges"]["Type"] == "CommaDelimitedList"
    allows = [s for s in _statements(template, "SiteBucket") if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Sid": "CloudflareCloudConnectorReads",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["SiteBucket", "Arn"]}, "/*"]]},
            "Condition": {"IpAddress": {"aws:SourceIp": {"Ref": "CloudflareIpRanges"}}},
        }
    ]


def test_cloudformation_cloudfront_site_bucket_is_unchanged(designs: dict[str, Design]) -> None:
    template = _template(designs["docs-site"], "cloudformation/prod/eu-west-1/template.yaml")
    bucket = template["Resources"]["SiteBucket"]["Properties"]
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert "CloudflareIpRanges" not in template.get("Parameters", {})
    allows = [s for s in _statements(template, "SiteBucket") if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in allows] == [{"Service": "cloudfront.amazonaws.com"}]


def test_edge_decision_says_how_cloudflare_reads_the_site(designs: dict[str, Design]) -> None:
    assert "Cloudflare's IP ranges only" in designs["marketing-site"].decisions["edge"].rationale
    assert "Cloud Connector" not in designs["docs-site"].decisions["edge"].rationale
