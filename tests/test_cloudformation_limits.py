"""What the CloudFormation target cannot express (issue 8): Kinesis streams rendered as the Terraform does, a
Cloudflare edge left to the Terraform target, and DESIGN.md saying what the chosen target leaves out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from archgen import design_from_spec, load_spec, render_files
from archgen.cli import app
from archgen.design import Design
from archgen.render import DEFAULT_TARGETS, parse_targets
from archgen.render.cloudformation import render_cloudformation, stack_paths, unsupported_reason
from archgen.render.cloudformation.limits import LIMITS, limits_of, terraform_only_ids
from archgen.render.cloudformation.region import SUPPORTED_KINDS, region_stack
from archgen.render.cloudformation.stack import dump
from archgen.render.terraform import roots_of
from tests.conftest import EXAMPLES
from tests.validators import checkov

STREAM_EVENTS = Path(__file__).parent / "fixtures" / "cloudformation" / "stream-events.yaml"
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
SECTION = "## What the CloudFormation target cannot express"


def design_of(path: Path) -> Design:
    return design_from_spec(load_spec(path))[1]


def templates(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {name: yaml.safe_load(body) for name, body in files.items() if name.endswith(".yaml")}


def statements(role: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]}


def lint(paths: list[Path]) -> str:
    import subprocess  # noqa: PLC0415

    result = subprocess.run(
        [str(CFN_LINT), "--format", "parseable", *map(str, paths)], capture_output=True, text=True, check=False
    )
    assert result.returncode in {0, 2, 4, 6, 8, 10, 12, 14}, result.stderr
    return result.stdout.strip()


def write(files: dict[str, str], out: Path) -> list[Path]:
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    return sorted(out.glob("cloudformation/**/template.yaml"))


# Kinesis data streams


def test_kinesis_stream_is_the_terraform_modules() -> None:
    design = design_of(STREAM_EVENTS)
    files = templates(render_cloudformation(design))
    primary = files["cloudformation/prod/ap-southeast-2/template.yaml"]["Resources"]
    stream = primary["DataEventsStream"]
    assert stream["Type"] == "AWS::Kinesis::Stream"
    properties = stream["Properties"]
    assert properties["Name"] == {"Fn::Sub": "stream-events-${Environment}-data-events"}
    assert properties["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert (properties["ShardCount"], properties["RetentionPeriodHours"]) == (1, 24)
    assert properties["StreamEncryption"] == {"EncryptionType": "KMS", "KeyId": {"Fn::GetAtt": ["Key", "Arn"]}}
    assert "IteratorAgeMilliseconds" in properties["DesiredShardLevelMetrics"]
    assert [t["Key"] for t in properties["Tags"]][:4] == [
        "archgen:service",
        "archgen:environment",
        "archgen:blueprint",
        "managed-by",
    ]
    outputs = files["cloudformation/prod/ap-southeast-2/template.yaml"]["Outputs"]
    assert outputs["DataEventsArn"]["Value"] == {"Fn::GetAtt": ["DataEventsStream", "Arn"]}
    # pilot light: the recovery Region has a stream of its own (Kinesis does not replicate across Regions)
    recovery = files["cloudformation/prod/ap-southeast-1/template.yaml"]["Resources"]
    assert recovery["DataEventsRecoveryStream"]["Properties"]["StreamEncryption"]["KeyId"] == {
        "Fn::GetAtt": ["Key", "Arn"]
    }


def test_functions_connected_to_a_stream_may_use_it_and_its_key_only_through_kinesis() -> None:
    files = templates(render_cloudformation(design_of(STREAM_EVENTS)))
    resources = files["cloudformation/prod/ap-southeast-2/template.yaml"]["Resources"]
    for role in ("FulfilmentWorkerRole", "MailerRole"):
        granted = statements(resources[role])
        assert granted["UseDataEvents"]["Resource"] == {"Fn::GetAtt": ["DataEventsStream", "Arn"]}
        assert "kinesis:PutRecords" in granted["UseDataEvents"]["Action"]
        assert "kinesis:GetRecords" in granted["UseDataEvents"]["Action"]
        key = granted["UseDataEventsKeyThroughKinesis"]
        assert key["Condition"] == {
            "StringEquals": {"kms:ViaService": {"Fn::Sub": "kinesis.${AWS::Region}.amazonaws.com"}}
        }


def test_firehose_reads_the_stream_that_feeds_it() -> None:
    files = templates(render_cloudformation(design_of(STREAM_EVENTS)))
    resources = files["cloudformation/prod/ap-southeast-2/template.yaml"]["Resources"]
    delivery = resources["LakeDeliveryDeliveryStream"]
    assert delivery["Properties"]["DeliveryStreamType"] == "KinesisStreamAsSource"
    assert delivery["Properties"]["KinesisStreamSourceConfiguration"] == {
        "KinesisStreamARN": {"Fn::GetAtt": ["DataEventsStream", "Arn"]},
        "RoleARN": {"Fn::GetAtt": ["LakeDeliveryRole", "Arn"]},
    }
    # Firehose server-side encryption is for Direct PUT only; each skip says why
    assert "DeliveryStreamEncryptionConfigurationInput" not in delivery["Properties"]
    assert {skip["id"] for skip in delivery["Metadata"]["checkov"]["skip"]} == {"CKV_AWS_240", "CKV_AWS_241"}
    granted = statements(resources["LakeDeliveryRole"])
    assert granted["ReadSourceStream"]["Resource"] == {"Fn::GetAtt": ["DataEventsStream", "Arn"]}
    assert "DecryptSourceStream" in granted


def test_stream_events_is_lint_clean(tmp_path: Path) -> None:
    paths = write(render_cloudformation(design_of(STREAM_EVENTS)), tmp_path)
    assert len(paths) == 2
    assert lint(paths) == ""


@pytest.mark.slow
def test_stream_events_is_checkov_clean(tmp_path: Path) -> None:
    write(render_cloudformation(design_of(STREAM_EVENTS)), tmp_path)
    failures = checkov(tmp_path, ["cloudformation"])
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in failures] == []


def test_clickstream_streams_in_every_region_stack(tmp_path: Path) -> None:
    """clickstream's other kinds (network, load balancer, ECS) are not all covered yet: its stream is checked in the
    stacks of every root, built directly (region_stack skips kinds without a builder)."""
    design = design_of(EXAMPLES / "clickstream.yaml")
    written = []
    for root in roots_of(design):
        stack = region_stack(root)
        streams = {name: r for name, r in stack["Resources"].items() if r["Type"] == "AWS::Kinesis::Stream"}
        wanted = {"DataClicksStream"} if root.is_primary else {"DataClicksRecoveryStream"} if root.is_restore else set()
        assert set(streams) == wanted, (root.purpose, root.region)
        for stream in streams.values():
            assert stream["Properties"]["ShardCount"] == 20
        path = tmp_path / root.purpose / root.region / "template.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(dump(stack), encoding="utf-8")
        written.append(path)
    assert lint(written) == ""


# A Cloudflare edge


def test_cloudflare_zone_stays_in_terraform_and_the_rest_is_rendered() -> None:
    design = design_of(EXAMPLES / "marketing-site.yaml")
    assert unsupported_reason(design) is None
    assert terraform_only_ids(design) == {"edge", "waf"}
    files = render_cloudformation(design)
    # no us-east-1 edge stack: Cloudflare is the edge
    assert [path for path, _ in stack_paths(design)] == [
        "cloudformation/prod/us-east-1/template.yaml",
        "cloudformation/prod/us-east-2/template.yaml",
        "cloudformation/restore/us-east-2/template.yaml",
    ]
    primary = yaml.safe_load(files["cloudformation/prod/us-east-1/template.yaml"])
    assert not [r for r in primary["Resources"].values() if r["Type"].startswith(("AWS::CloudFront", "AWS::WAF"))]
    # the origin the Cloudflare zone's Cloud Connector needs, as the Terraform root passes it to the module
    assert primary["Outputs"]["SiteRegionalDomainName"]["Value"] == {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]}
    readme = files["cloudformation/README.md"]
    assert "## Left to the Terraform target" in readme
    assert "--target terraform,cloudformation" in readme
    assert 'source              = "../terraform/modules/cloudflare"' in readme
    assert "`SiteRegionalDomainName` output" in readme


def test_a_design_with_kinds_without_a_builder_is_still_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["design", str(EXAMPLES / "payments-platform.yaml"), "--out", str(out), "--target", "cloudformation"]
    )
    assert result.exit_code == 2, result.output
    assert "not available for payments-platform" in result.output
    assert not out.exists()


def test_limits_are_one_table_of_known_kinds() -> None:
    for limit in LIMITS:
        assert limit.what.endswith("."), limit
        assert limit.why.endswith("."), limit
        assert set(limit.kinds) <= SUPPORTED_KINDS or limit.terraform_only, limit
    assert {kind for limit in LIMITS if limit.terraform_only for kind in limit.kinds} == {"cloudflare-zone", "waf"}


# DESIGN.md says what the chosen target cannot express


def design_md(design: Design, targets: tuple[str, ...]) -> str:
    return render_files(design, targets)["DESIGN.md"].decode("utf-8")


def test_design_md_lists_what_cloudformation_leaves_out() -> None:
    design = design_of(EXAMPLES / "marketing-site.yaml")
    text = design_md(design, parse_targets("terraform,cloudformation"))
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows[0].startswith("| `edge` | Not in any stack: the Cloudflare zone")
    assert "no resource types for Cloudflare" in rows[0]
    assert rows[1].startswith("| `waf` |")
    assert len(rows) == len(limits_of(design))
    # the same document as the Terraform target's, plus the section
    assert text.replace(SECTION + section + "\n", "") == design_md(design, DEFAULT_TARGETS)


def test_design_md_for_terraform_has_no_such_section() -> None:
    for case in ("marketing-site", "order-events"):
        assert SECTION not in design_md(design_of(EXAMPLES / f"{case}.yaml"), DEFAULT_TARGETS)


def test_design_md_section_follows_the_design_and_is_deterministic() -> None:
    design = design_of(EXAMPLES / "order-events.yaml")
    targets = parse_targets("cloudformation")
    first, second = design_md(design, targets), design_md(design, targets)
    assert first == second
    section = first.split(SECTION, 1)[1].split("\n## ", 1)[0]
    assert "`data-fulfilment-recovery`" in section  # the global table's replica
    assert "Cloudflare" not in section
