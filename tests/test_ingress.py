"""Public load balancers accept HTTPS (443) only: no 0.0.0.0/0 (or ::/0) ingress except on 443, no listener on port
80, an HSTS header on the HTTPS listener, and behind CloudFront only CloudFront's origin-facing servers get in.

Read from the parsed Terraform (python-hcl2) of every example, and from the Ingress objects on EKS. The alb module
decides between the internet and CloudFront with conditional expressions, so a small evaluator below computes what a
module call would create (count, cidr_ipv4, prefix_list_id) from the call's arguments and the module's defaults; it
raises on any expression it does not understand, so a check never passes by skipping what it cannot read. The last
tests feed the checks a module that breaks the rule, to show they fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import hcl2
import pytest
import yaml

from archgen import design_from_spec, load_spec, render_files
from archgen.design import Component, Design
from archgen.render.escape import tf_name
from tests.conftest import EXAMPLES

CASES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
OPEN = ("0.0.0.0/0", "::/0")
HTTPS = 443
CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"
ONE_YEAR = 31_536_000
ALB_MODULE = "../../modules/alb"
# Where a security group rule names its source addresses.
CIDR_ATTRIBUTES = ("cidr_ipv4", "cidr_ipv6", "cidr_blocks", "ipv6_cidr_blocks")
Body = dict[str, Any]


# -- parsed Terraform --------------------------------------------------------------------------------------------------
def unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals and block labels: drop them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"' and "${" not in value:
        return value[1:-1]
    return value


def blocks(parsed: Body, kind: str) -> Iterator[tuple[str, str, Body]]:
    """(type, name, body) of every ``resource``/``data`` block; (name, "", body) for ``module``/``variable``."""
    for entry in parsed.get(kind, []):
        for first, inner in entry.items():
            if kind in ("resource", "data"):
                for second, body in inner.items():
                    yield unquote(first), unquote(second), body
            else:
                yield unquote(first), "", inner


@dataclass(frozen=True)
class Output:
    """One example's Terraform: every .tf file parsed, keyed by its path in the output."""

    case: str
    design: Design
    files: Mapping[str, Body]
    kubernetes: Mapping[str, bytes]

    def resources(self, *types: str) -> Iterator[tuple[str, str, Body]]:
        """(file, name, body) of every resource of these types, in roots and modules alike."""
        for path, parsed in self.files.items():
            for kind, name, body in blocks(parsed, "resource"):
                if kind in types:
                    yield path, name, body

    def alb_calls(self) -> Iterator[tuple[str, str, Body]]:
        """(root file, module name, arguments) of every call of the alb module."""
        for path, parsed in self.files.items():
            for name, _, body in blocks(parsed, "module"):
                if unquote(body.get("source")) == ALB_MODULE:
                    yield path, name, body

    def module(self, name: str) -> Body:
        """A local module's files, parsed, merged into one (as Terraform reads a folder)."""
        merged: dict[str, list[Any]] = {}
        prefix = f"terraform/modules/{name}/"
        for path, parsed in self.files.items():
            if path.startswith(prefix):
                for kind, entries in parsed.items():
                    merged.setdefault(kind, []).extend(entries)
        assert merged, f"{prefix} is not in the output"
        return merged

    def component(self, module_name: str) -> Component:
        """The design component a module call realises (its name is the component id as a Terraform name)."""
        (component,) = (c for c in self.design.components if tf_name(c.id) == module_name)
        return component

    def behind_cloudfront(self, component: Component) -> bool:
        """Whether a CloudFront edge of the design connects to this load balancer, or to the one it copies (the
        edge reaches a recovery copy through the global root's DNS failover)."""
        edges = {c.id for c in self.design.components if c.kind == "cloudfront"}
        fronted = {component.id, component.properties.get("replica_of")}
        return any(c.source in edges and c.target in fronted for c in self.design.connections)

    def health_checked(self, component: Component) -> bool:
        """Whether the global root's Route 53 health checks probe this load balancer."""
        probes = {c.id for c in self.design.components if c.kind == "route53-zone"}
        return any(c.source in probes and c.target == component.id for c in self.design.connections)


@cache
def output(case: str) -> Output:
    _, design = design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))
    rendered = render_files(design, ("terraform",))
    files = {name: hcl2.loads(content.decode("utf-8")) for name, content in rendered.items() if name.endswith(".tf")}
    kubernetes = {name: content for name, content in rendered.items() if name.startswith("kubernetes/")}
    return Output(case, design, files, kubernetes)


# -- a small evaluator for the alb module's expressions ----------------------------------------------------------------
@dataclass(frozen=True)
class Ref:
    """A reference the evaluator does not follow (a resource, data source or another module): its address."""

    address: str


_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\$]|\\.)*")|(?P<number>\d+)|(?P<op>==|!=|&&|\|\||[?:!()])'
    r"|(?P<name>[A-Za-z_][\w-]*(?:\[\d+\])?(?:\.[A-Za-z_][\w-]*(?:\[\d+\])?)*))"
)


class UnsupportedError(ValueError):
    """An expression the evaluator cannot compute: the test fails instead of guessing."""


class Module:
    """The alb module as one call would instantiate it: ``var.`` from the call (else the default), ``local.``."""

    def __init__(self, parsed: Body, arguments: Body) -> None:
        self.parsed = parsed
        self.inputs: dict[str, Any] = {}
        for name, _, body in blocks(parsed, "variable"):
            if name in arguments:
                self.inputs[name] = unquote(arguments[name])
            elif "default" in body:
                self.inputs[name] = unquote(body["default"])
        self.locals = {k: v for entry in parsed.get("locals", []) for k, v in entry.items() if not k.startswith("__")}

    def value(self, raw: Any) -> Any:
        """The value of an attribute as python-hcl2 gives it (a literal, or ``${expression}``)."""
        if isinstance(raw, str) and raw.startswith("${") and raw.endswith("}"):
            return self.expression(raw[2:-1])
        if isinstance(raw, str) and "${" in raw:
            raise UnsupportedError(f"string template {raw!r}")
        return unquote(raw)

    def expression(self, text: str) -> Any:
        tokens = self._tokens(text)
        value, rest = self._ternary(tokens)
        if rest:
            raise UnsupportedError(f"{text!r}: unexpected {rest[0]!r}")
        return value

    def count(self, body: Body) -> int:
        return int(self.value(body["count"])) if "count" in body else 1

    def resources(self, kind: str) -> Iterator[tuple[str, Body]]:
        """(name, body) of the resources of ``kind`` this call creates (count not 0)."""
        for resource_kind, name, body in blocks(self.parsed, "resource"):
            if resource_kind == kind and self.count(body):
                yield name, body

    def data(self, address: str) -> Body:
        """The data block at ``data.<type>.<name>``; it must be read (count not 0) by this call."""
        _, kind, name = address.split(".")
        for data_kind, data_name, body in blocks(self.parsed, "data"):
            if (data_kind, data_name) == (kind, name):
                assert self.count(body), f"{address} is referenced but not read (count 0)"
                return body
        raise AssertionError(f"{address} is not in the module")

    # recursive descent: ternary > || > && > == != > ! > primary
    @staticmethod
    def _tokens(text: str) -> list[str]:
        tokens, position = [], 0
        while position < len(text.rstrip()):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise UnsupportedError(f"{text!r} at {text[position:]!r}")
            tokens.append(match.group().strip())
            position = match.end()
        return tokens

    def _ternary(self, tokens: list[str]) -> tuple[Any, list[str]]:
        condition, rest = self._binary(tokens, 0)
        if rest[:1] != ["?"]:
            return condition, rest
        if not isinstance(condition, bool):
            raise UnsupportedError(f"condition {condition!r} is not a bool")
        when_true, rest = self._ternary(rest[1:])
        if rest[:1] != [":"]:
            raise UnsupportedError("conditional without ':'")
        when_false, rest = self._ternary(rest[1:])
        return (when_true if condition else when_false), rest

    _LEVELS = (("||",), ("&&",), ("==", "!="))

    def _binary(self, tokens: list[str], level: int) -> tuple[Any, list[str]]:
        if level == len(self._LEVELS):
            return self._unary(tokens)
        left, rest = self._binary(tokens, level + 1)
        while rest[:1] and rest[0] in self._LEVELS[level]:
            operator = rest[0]
            right, rest = self._binary(rest[1:], level + 1)
            if operator in ("||", "&&") and not (isinstance(left, bool) and isinstance(right, bool)):
                raise UnsupportedError(f"{left!r} {operator} {right!r}")
            if isinstance(left, Ref) or isinstance(right, Ref):
                raise UnsupportedError(f"{left!r} {operator} {right!r}: unknown until apply")
            left = {"||": left or right, "&&": left and right, "==": left == right, "!=": left != right}[operator]
        return left, rest

    def _unary(self, tokens: list[str]) -> tuple[Any, list[str]]:
        if not tokens:
            raise UnsupportedError("expression ends early")
        piece, rest = tokens[0], tokens[1:]
        if piece == "!":
            value, rest = self._unary(rest)
            if not isinstance(value, bool):
                raise UnsupportedError(f"!{value!r}")
            return not value, rest
        if piece == "(":
            value, rest = self._ternary(rest)
            if rest[:1] != [")"]:
                raise UnsupportedError("unbalanced parenthesis")
            return value, rest[1:]
        if piece.startswith('"'):
            return piece[1:-1], rest
        if piece.isdigit():
            return int(piece), rest
        if rest[:1] == ["("]:
            raise UnsupportedError(f"function call {piece}(…)")
        return self._reference(piece), rest

    def _reference(self, token: str) -> Any:
        literals = {"true": True, "false": False, "null": None}
        if token in literals:
            return literals[token]
        head, _, name = token.partition(".")
        if head == "var":
            if name not in self.inputs:
                raise UnsupportedError(f"var.{name} has no value in this call")
            value = self.inputs[name]
            if isinstance(value, str) and value.startswith("${"):
                raise UnsupportedError(f"var.{name} = {value} comes from the root")
            return value
        if head == "local":
            return self.value(self.locals[name])
        # data.<type>.<name>[0].id, aws_x.y.id: the object's address, without index and attribute
        parts = re.sub(r"\[\d+\]", "", token).split(".")
        return Ref(".".join(parts[:3] if parts[0] == "data" else parts[:2]))


# -- the checks (each returns what breaks the rule, so the last tests can show they fail) -----------------------------
def plaintext_listeners(files: Mapping[str, Body]) -> list[str]:
    """Load balancer listeners that are not HTTPS on 443."""
    problems = []
    for path, parsed in files.items():
        for kind, name, body in blocks(parsed, "resource"):
            if kind in ("aws_lb_listener", "aws_alb_listener"):
                port, protocol = body.get("port"), unquote(body.get("protocol"))
                if (port, protocol) != (HTTPS, "HTTPS"):
                    problems.append(f"{path}: {kind}.{name} listens on {port} {protocol}")
    return problems


def _ingress_rules(files: Mapping[str, Body]) -> Iterator[tuple[str, Body]]:
    """(label, body) of every ingress rule: standalone rules and the ingress blocks of security groups."""
    for path, parsed in files.items():
        for kind, name, body in blocks(parsed, "resource"):
            label = f"{path}: {kind}.{name}"
            standalone = kind == "aws_vpc_security_group_ingress_rule"
            if standalone or (kind == "aws_security_group_rule" and unquote(body.get("type")) == "ingress"):
                yield label, body
            elif kind == "aws_security_group":
                for block in body.get("ingress", []):
                    yield label, block


def open_ingress_beyond_https(files: Mapping[str, Body]) -> list[str]:
    """Ingress rules that admit 0.0.0.0/0 or ::/0 on anything but TCP 443. Read as text, so a rule that opens to
    the internet under some condition only counts too."""
    problems = []
    for label, body in _ingress_rules(files):
        sources = " ".join(str(body.get(attribute, "")) for attribute in CIDR_ATTRIBUTES)
        if any(cidr in sources for cidr in OPEN):
            protocol = unquote(body.get("ip_protocol", body.get("protocol")))
            if (body.get("from_port"), body.get("to_port"), protocol) != (HTTPS, HTTPS, "tcp"):
                problems.append(f"{label} admits {sources.strip()} on {body.get('from_port')}-{body.get('to_port')}")
    return problems


def https_sources(module: Module) -> list[Any]:
    """Where the HTTPS ingress rules this call creates admit traffic from: CIDR blocks, or prefix list names."""
    sources: list[Any] = []
    for name, body in module.resources("aws_vpc_security_group_ingress_rule"):
        assert (body["from_port"], body["to_port"]) == (HTTPS, HTTPS), f"ingress rule {name} is not on 443"
        for attribute in ("cidr_ipv4", "cidr_ipv6"):
            if (cidr := module.value(body.get(attribute))) is not None:
                sources.append(cidr)
        if (prefix_list := module.value(body.get("prefix_list_id"))) is not None:
            assert isinstance(prefix_list, Ref), f"ingress rule {name}: prefix list {prefix_list!r}"
            # the name as written: the Route 53 list's names the Region through ${data.aws_region.current.name}
            sources.append(("prefix list", str(module.data(prefix_list.address)["name"]).strip('"')))
    return sources


# -- the examples ----------------------------------------------------------------------------------------------------
def alb_cases() -> list[str]:
    return [case for case in CASES if any(output(case).alb_calls())]


@pytest.mark.parametrize("case", CASES)
def test_no_listener_but_https_on_443(case: str) -> None:
    result = output(case)
    assert plaintext_listeners(result.files) == []
    if any(result.alb_calls()):
        assert list(result.resources("aws_lb_listener")), "an ALB without listeners: nothing was checked"


@pytest.mark.parametrize("case", CASES)
def test_internet_ingress_only_on_https(case: str) -> None:
    assert open_ingress_beyond_https(output(case).files) == []


def test_the_examples_cover_load_balancers_with_and_without_cloudfront() -> None:
    fronted = [
        output(case).behind_cloudfront(output(case).component(name))
        for case in CASES
        for _, name, _ in output(case).alb_calls()
    ]
    assert True in fronted
    assert False in fronted


@pytest.mark.parametrize("case", CASES)
def test_every_load_balancer_admits_only_the_edge_or_the_internet_on_https(case: str) -> None:
    result = output(case)
    for root, name, arguments in result.alb_calls():
        module = Module(result.module("alb"), arguments)
        sources = https_sources(module)
        component = result.component(name)
        if not result.behind_cloudfront(component):
            assert sources == ["0.0.0.0/0"], f"{root}: {name}"
            continue
        # every Region's load balancer, the recovery copy too
        assert unquote(arguments.get("https_ingress_from")) == "cloudfront", f"{root}: {name}"
        assert ("prefix list", CLOUDFRONT_PREFIX_LIST) in sources, f"{root}: {name}"
        assert not set(OPEN) & set(sources), f"{root}: {name} is open to the internet behind CloudFront"
        health_checks = [s for s in sources if isinstance(s, tuple) and str(s[1]).endswith(".route53-healthchecks")]
        # Route 53 probes the load balancer directly: its health checkers come in through a group of their own
        assert bool(health_checks) == result.health_checked(component), f"{root}: {name}"
        if health_checks:
            ((_, body),) = module.resources("aws_lb")
            assert "aws_security_group.health_checks" in body["security_groups"], f"{root}: {name}"


@pytest.mark.parametrize("case", CASES)
def test_https_listeners_send_hsts(case: str) -> None:
    result = output(case)
    for root, name, arguments in result.alb_calls():
        module = Module(result.module("alb"), arguments)
        listeners = list(module.resources("aws_lb_listener"))
        assert listeners, f"{root}: {name} has no listener"
        for listener, body in listeners:
            header = module.value(body.get("routing_http_response_strict_transport_security_header_value"))
            assert isinstance(header, str), f"{name}: listener {listener} sends no HSTS header"
            match = re.fullmatch(r"max-age=(\d+)(?:; ?includeSubDomains)?(?:; ?preload)?", header)
            assert match, header
            assert int(match.group(1)) >= ONE_YEAR, header


def test_kubernetes_ingress_listens_on_https_only_with_hsts() -> None:
    case = "payments-platform"  # cdn: cloudfront on EKS: the controller builds the load balancer
    files = output(case).kubernetes
    ingresses = {name: yaml.safe_load(content) for name, content in files.items() if name.endswith("/ingress.yaml")}
    assert ingresses, f"no Ingress among {sorted(files)}"
    for name, ingress in ingresses.items():
        annotations = ingress["metadata"]["annotations"]
        assert yaml.safe_load(annotations["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTPS": HTTPS}], name
        assert "alb.ingress.kubernetes.io/ssl-redirect" not in annotations, name
        listener_attributes = annotations["alb.ingress.kubernetes.io/listener-attributes.HTTPS-443"]
        attributes = dict(pair.split("=", 1) for pair in listener_attributes.split(","))
        header = attributes["routing.http.response.strict_transport_security.header_value"]
        assert re.fullmatch(r"max-age=(\d+); includeSubDomains", header), header
        assert int(header.split(";")[0].removeprefix("max-age=")) >= ONE_YEAR


# -- the checks fail on a module that breaks the rule ------------------------------------------------------------------
REDIRECTING_MODULE = """
variable "https_ingress_from" {
  type    = string
  default = "internet"
}

locals {
  behind_cloudfront = var.https_ingress_from == "cloudfront"
}

data "aws_ec2_managed_prefix_list" "cloudfront" {
  count = local.behind_cloudfront ? 1 : 0
  name  = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  from_port      = 443
  to_port        = 443
  ip_protocol    = "tcp"
  cidr_ipv4      = "0.0.0.0/0"
  prefix_list_id = local.behind_cloudfront ? data.aws_ec2_managed_prefix_list.cloudfront[0].id : null
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  from_port   = 80
  to_port     = 80
  ip_protocol = "tcp"
  cidr_ipv4   = "0.0.0.0/0"
}

resource "aws_security_group" "legacy" {
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb_listener" "http" {
  port     = 80
  protocol = "HTTP"
}
"""


def test_the_checks_catch_a_plaintext_listener_and_open_ports() -> None:
    files = {"bad.tf": hcl2.loads(REDIRECTING_MODULE)}
    assert plaintext_listeners(files) == ["bad.tf: aws_lb_listener.http listens on 80 HTTP"]
    problems = open_ingress_beyond_https(files)
    assert len(problems) == 2
    assert any("aws_vpc_security_group_ingress_rule.http" in p for p in problems)
    assert any("aws_security_group.legacy" in p for p in problems)


def test_the_evaluator_sees_a_rule_left_open_behind_cloudfront() -> None:
    parsed = hcl2.loads(REDIRECTING_MODULE)
    with pytest.raises(AssertionError, match="not on 443"):  # the port-80 rule
        https_sources(Module(parsed, {"https_ingress_from": '"cloudfront"'}))
    port_80_rule = 'resource "aws_vpc_security_group_ingress_rule" "http"'
    only_https = hcl2.loads(REDIRECTING_MODULE.split(port_80_rule, maxsplit=1)[0])
    sources = https_sources(Module(only_https, {"https_ingress_from": '"cloudfront"'}))
    assert "0.0.0.0/0" in sources  # the cidr is unconditional: the CloudFront test would fail on it
    assert ("prefix list", CLOUDFRONT_PREFIX_LIST) in sources
    assert https_sources(Module(only_https, {})) == ["0.0.0.0/0"]


def test_the_evaluator_refuses_what_it_cannot_compute() -> None:
    module = Module(hcl2.loads(REDIRECTING_MODULE), {})
    with pytest.raises(UnsupportedError):
        module.value("${length(var.https_ingress_from) > 3}")
    with pytest.raises(UnsupportedError):
        module.value("${aws_security_group.this.id == null ? 1 : 0}")
