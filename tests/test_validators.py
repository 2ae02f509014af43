"""The offline validators can pass good output and, above all, fail bad output.

These tests need terraform and the cache from ``tools/validators/setup.py``; when either is missing they fail with
the command to run (they never skip).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import validators
from tests.validators import Mode

MODES: tuple[Mode, ...] = ("real", "schema")

VERSIONS = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = ">= 5.0, < 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}
"""

GOOD = """\
resource "aws_sqs_queue" "orders" {
  name                    = "orders"
  sqs_managed_sse_enabled = true
}
"""

TYPO = """\
resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  instance_typo = 1
}
"""

UNFORMATTED = """\
resource "aws_sqs_queue" "orders" {
name = "orders"
    sqs_managed_sse_enabled=true
}
"""

PUBLIC_BUCKET = """\
resource "aws_s3_bucket" "public" {
  bucket = "archgen-public-bucket"
}

resource "aws_s3_bucket_acl" "public" {
  bucket = aws_s3_bucket.public.id
  acl    = "public-read"
}
"""

# cloudflare v5 is a plugin-framework provider: nested objects are attributes (`rules = [{ … }]`), not blocks.
CLOUDFLARE_GOOD = """\
resource "cloudflare_ruleset" "waf" {
  zone_id = "0123456789abcdef0123456789abcdef"
  name    = "custom rules"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules = [{
    action      = "block"
    expression  = "(ip.src.country eq \\"XX\\")"
    description = "block one country"
    action_parameters = {
      response = {
        status_code  = 403
        content      = "blocked"
        content_type = "text/plain"
      }
    }
  }]
}

output "first_rule_id" {
  value = cloudflare_ruleset.waf.rules[0].id
}
"""

CLOUDFLARE_BAD = """\
resource "cloudflare_ruleset" "misspelt" {
  zone_id = "0123456789abcdef0123456789abcdef"
  name    = "custom rules"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules = [{
    action     = "block"
    expresion  = "true"
  }]
}

resource "cloudflare_ruleset" "as_blocks" {
  zone_id = "0123456789abcdef0123456789abcdef"
  name    = "custom rules"
  kind    = "zone"
  phase   = "http_request_firewall_custom"
  rules {
    action     = "block"
    expression = "true"
  }
}
"""

# Parts of hashicorp/aws that the cdktf schema lacks and set-up completes from the real provider's own schema: an
# ephemeral resource, a write-only argument, and wafv2's recursive `statement` block.
COMPLETED_PARTS = """\
ephemeral "aws_secretsmanager_random_password" "db" {
  password_length = 32
}

resource "aws_secretsmanager_secret" "db" {
  name = "db-password"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id                = aws_secretsmanager_secret.db.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.db.random_password
  secret_string_wo_version = 1
}

resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "ip-reputation"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAmazonIpReputationList"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "ip-reputation"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "edge"
    sampled_requests_enabled   = true
  }
}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:latest
"""

CFN_BUCKET = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: archgen-data
"""

MODULE_VERSIONS = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
"""

MODULE_MAIN = """\
variable "name" {
  type        = string
  description = "Queue name."
}

resource "aws_sqs_queue" "this" {
  name                    = var.name
  sqs_managed_sse_enabled = true
  visibility_timeout      = 60
}
"""

ROOT_WITH_MODULE = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
  backend "s3" {
    bucket = "state"
    key    = "prod/us-east-1.tfstate"
    region = "us-east-1"
  }
}

module "queue" {
  source = "../../modules/queue"
  name   = "orders"
}
"""


def write_root(folder: Path, **files: str) -> Path:
    """Write ``name=text`` files (``main_tf`` -> ``main.tf``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_tf", ".tf")).write_text(text, encoding="utf-8")
    return folder


def error_containing(errors: list[str], *needles: str) -> str | None:
    """The first error that contains every needle."""
    return next((e for e in errors if all(n in e for n in needles)), None)


@pytest.fixture
def good_root(tmp_path: Path) -> Path:
    """A small valid, formatted and checkov-clean root module."""
    return write_root(tmp_path / "good", versions_tf=VERSIONS, main_tf=GOOD)


def test_good_root_is_formatted(good_root: Path) -> None:
    assert validators.terraform_fmt(good_root) == []


@pytest.mark.parametrize("mode", MODES)
def test_good_root_validates_and_leaves_no_terraform_files(good_root: Path, mode: Mode) -> None:
    assert validators.terraform_validate(good_root, mode) == []
    assert sorted(p.name for p in good_root.iterdir()) == ["main.tf", "versions.tf"]


def test_good_root_passes_checkov(good_root: Path) -> None:
    assert validators.checkov(good_root, ["terraform"]) == []


@pytest.mark.parametrize("mode", MODES)
def test_misspelled_argument_fails_validate(tmp_path: Path, mode: Mode) -> None:
    root = write_root(tmp_path / "typo", versions_tf=VERSIONS, main_tf=TYPO)
    errors = validators.terraform_validate(root, mode)
    found = error_containing(errors, "Unsupported argument", "instance_typo")
    assert found is not None, errors
    assert found.startswith("main.tf:4: ")


@pytest.mark.parametrize("mode", MODES)
def test_ephemeral_write_only_and_wafv2_statements_validate(tmp_path: Path, mode: Mode) -> None:
    # the same web ACL once more with a misspelt argument deep in `statement`: the completed parts are checked too
    broken = COMPLETED_PARTS[COMPLETED_PARTS.index('resource "aws_wafv2_web_acl"') :]
    broken = broken.replace('"edge"', '"broken"').replace("vendor_name", "vendor")
    root = write_root(tmp_path / "completed", versions_tf=VERSIONS, main_tf=COMPLETED_PARTS, broken_tf=broken)
    errors = validators.terraform_validate(root, mode)
    assert len(errors) == 2, errors
    assert error_containing(errors, "broken.tf:", "Unsupported argument", '"vendor"'), errors
    assert error_containing(errors, "broken.tf:", "Missing required argument", '"vendor_name"'), errors


def test_unformatted_file_fails_fmt(tmp_path: Path) -> None:
    root = write_root(tmp_path / "ugly", versions_tf=VERSIONS, main_tf=UNFORMATTED)
    problems = validators.terraform_fmt(tmp_path)
    assert [Path(p).resolve() for p in problems] == [(root / "main.tf").resolve()]


def test_syntax_error_fails_fmt(tmp_path: Path) -> None:
    write_root(tmp_path / "broken", main_tf='resource "aws_sqs_queue" "q" {\n  name = \n')
    assert validators.terraform_fmt(tmp_path) != []


def test_public_unencrypted_bucket_fails_checkov(tmp_path: Path) -> None:
    root = write_root(tmp_path / "bucket", versions_tf=VERSIONS, main_tf=PUBLIC_BUCKET)
    failures = validators.checkov(root, ["terraform"])
    ids = {f.check_id for f in failures if f.resource == "aws_s3_bucket.public"}
    # KMS encryption by default, public access block, and the public-read ACL
    assert {"CKV_AWS_145", "CKV2_AWS_6"} <= ids, failures
    assert any(f.check_id == "CKV_AWS_20" for f in failures), failures
    bucket = next(f for f in failures if f.check_id == "CKV_AWS_145")
    assert (bucket.file, bucket.line, bucket.framework) == ("main.tf", 1, "terraform")


def test_checkov_scans_kubernetes_and_cloudformation(tmp_path: Path) -> None:
    (tmp_path / "deployment.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    (tmp_path / "template.yaml").write_text(CFN_BUCKET, encoding="utf-8")
    failures = validators.checkov(tmp_path, ["kubernetes", "cloudformation"])
    by_framework = {f.framework for f in failures}
    assert by_framework == {"kubernetes", "cloudformation"}, failures
    # the `latest` image tag, and a bucket without encryption
    assert any(f.check_id == "CKV_K8S_14" and f.file == "deployment.yaml" for f in failures), failures
    assert any(f.resource == "AWS::S3::Bucket.Data" and f.file == "template.yaml" for f in failures), failures


def test_checkov_reports_unparsable_files(tmp_path: Path) -> None:
    write_root(tmp_path / "broken", main_tf='resource "aws_sqs_queue" "q" {\n  name = \n')
    failures = validators.checkov(tmp_path, ["terraform"])
    assert [f.check_id for f in failures] == ["PARSING_ERROR"]


def test_cloudflare_nested_attributes_validate_in_schema_mode(tmp_path: Path) -> None:
    root = write_root(tmp_path / "cf", versions_tf=VERSIONS, main_tf=CLOUDFLARE_GOOD)
    assert validators.terraform_validate(root, "schema") == []


def test_cloudflare_nested_attributes_are_checked(tmp_path: Path) -> None:
    root = write_root(tmp_path / "cf", versions_tf=VERSIONS, main_tf=CLOUDFLARE_BAD)
    errors = validators.terraform_validate(root, "schema")
    # A misspelt required attribute inside `rules = [{ … }]` shows as the real one missing. (A misspelt *optional*
    # one is dropped silently by Terraform itself, with the real provider too: hashicorp/terraform#33570.)
    assert error_containing(errors, "main.tf:6:", 'attribute "expression" is required'), errors
    # `rules { … }` written as a block
    assert error_containing(errors, "main.tf:17:", "Unsupported block type"), errors
    assert len(errors) == 2, errors


def test_errors_inside_local_modules_are_found(tmp_path: Path) -> None:
    out = tmp_path / "terraform"
    write_root(out / "modules" / "queue", versions_tf=MODULE_VERSIONS, main_tf=MODULE_MAIN)
    root = write_root(out / "prod" / "us-east-1", main_tf=ROOT_WITH_MODULE)
    assert validators.find_roots(out) == [root]
    errors = validators.terraform_validate(root, "schema")
    assert error_containing(errors, "modules/queue/main.tf:9:", "Unsupported argument", "visibility_timeout"), errors
    assert not (root / ".terraform").exists()


def test_find_roots(tmp_path: Path) -> None:
    with_provider = write_root(tmp_path / "a", main_tf=VERSIONS)
    with_backend = write_root(tmp_path / "b" / "c", main_tf=ROOT_WITH_MODULE)
    write_root(tmp_path / "modules" / "queue", versions_tf=MODULE_VERSIONS, main_tf=MODULE_MAIN)
    (tmp_path / "a" / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / "a" / ".terraform" / "modules" / "x.tf").write_text(VERSIONS)
    assert validators.find_roots(tmp_path) == [with_provider, with_backend]


def test_missing_cache_fails_with_the_setup_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHGEN_TOOLS_CACHE", str(tmp_path / "no-cache"))
    root = write_root(tmp_path / "good", versions_tf=VERSIONS, main_tf=GOOD)
    for call in (lambda: validators.terraform_validate(root, "real"), lambda: validators.checkov(root, ["terraform"])):
        with pytest.raises(AssertionError, match=r"tools/validators/setup\.py"):
            call()


def test_setup_state_names_the_versions_served() -> None:
    state = validators.setup_state()
    assert state["complete"], state["missing"]
    assert state["stand_ins"]["hashicorp/aws"].startswith("6.")
    assert state["stand_ins"]["cloudflare/cloudflare"].startswith("5.")
    assert "5.100.0" in state["real_aws"]["versions"]
