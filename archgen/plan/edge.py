"""The edge decision: CloudFront, Cloudflare, or no CDN in front of the service."""

from __future__ import annotations

from archgen.design import Alternative, Decision
from archgen.spec import Spec

EDGE_CHOICES = ("cloudfront", "cloudflare", "none")
DRIVERS = ("edge.cdn", "edge.waf", "workload", "traffic.global_users", "services")


def decide_edge(spec: Spec, compute: str) -> Decision:
    """Honour an explicit ``edge.cdn``; under ``auto`` put a CDN in front only where it earns its cost."""
    if spec.edge.cdn != "auto":
        wanted: str = spec.edge.cdn
        others = {c: f"edge.cdn asks for {wanted}" for c in EDGE_CHOICES}
        return _decision(wanted, f"edge.cdn asks for {wanted}; {_what(wanted, spec)}", others)
    chosen, reason = _auto(spec, compute)
    others = {
        "cloudfront": "no public endpoint that benefits from a CDN: responses are dynamic and users regional; "
        "the load balancer or API terminates TLS",
        "cloudflare": "needs the domain's DNS on Cloudflare and a second vendor; set edge.cdn: cloudflare when "
        "the team already uses it",
        "none": "public content benefits from edge TLS, caching and DDoS absorption",
    }
    return _decision(chosen, reason, others)


def _auto(spec: Spec, compute: str) -> tuple[str, str]:
    public = any(service.public for service in spec.service_list)
    if spec.workload == "static-site":
        return (
            "cloudfront",
            "a static site is served from a private bucket through CloudFront with origin access "
            "control: TLS, caching and no public bucket",
        )
    if not public:
        return "none", "no public service: nothing faces the internet, so there is nothing to put a CDN in front of"
    if spec.edge.waf and compute == "lambda":
        return (
            "cloudfront",
            "edge.waf is set and API Gateway HTTP APIs cannot take a WAF web ACL; CloudFront can, "
            "and it terminates TLS near users",
        )
    if spec.workload == "web-app":
        return (
            "cloudfront",
            "a web app serves static assets that cache at the edge; CloudFront terminates TLS "
            "near users and absorbs DDoS (Shield Standard)",
        )
    if spec.traffic.global_users:
        return (
            "cloudfront",
            "users are global: CloudFront terminates TLS near them and carries requests over the AWS backbone",
        )
    return "none", "a regional API whose responses are dynamic gains little from a CDN; the " + (
        "API Gateway endpoint" if compute == "lambda" else "load balancer"
    ) + " terminates TLS" + (", with AWS WAF attached to it" if spec.edge.waf else "")


def _what(chosen: str, spec: Spec) -> str:
    if chosen == "cloudflare":
        return (
            "proxied DNS, TLS, caching"
            + (" and the WAF managed ruleset with rate limiting" if spec.edge.waf else "")
            + (
                "; Cloud Connector reads the site bucket unsigned, so the bucket admits reads from Cloudflare's IP "
                "ranges only and uses SSE-S3 (S3 refuses anonymous reads of SSE-KMS objects)"
                if spec.workload == "static-site"
                else ""
            )
        )
    if chosen == "cloudfront":
        return "TLS at the edge, caching, origin access control" + (" and an AWS WAF web ACL" if spec.edge.waf else "")
    return "clients reach the regional endpoint directly"


def _decision(chosen: str, rationale: str, why_not: dict[str, str]) -> Decision:
    return Decision(
        choice=chosen,
        rationale=rationale,
        drivers=DRIVERS,
        alternatives=tuple(Alternative(choice=c, why_not=why_not[c]) for c in EDGE_CHOICES if c != chosen),
    )
