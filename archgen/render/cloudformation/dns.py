"""The global stack: Route 53 health checks and the failover or latency records between the two Regions.

As Terraform's global root (terraform/prod/global, templates/terraform/global): one HTTPS health check per Region's
public entry point and one record per Region in the team's existing hosted zone, failover (pilot light, warm
standby) or latency (active/active), with the planner's interval, failure threshold and TTL.

Route 53 is a global service, so the stack could be deployed in any Region; it is deployed in the recovery Region,
as the Terraform global root's default provider is: a stack is managed through its Region's CloudFormation, and the
records must stay changeable while the primary Region is impaired (the Region it fails away from).
"""

from __future__ import annotations

from archgen import __version__
from archgen.design import Design
from archgen.render.cloudformation.edge import DOMAIN_PATTERN
from archgen.render.cloudformation.intrinsics import fn_if, fn_sub, ref
from archgen.render.cloudformation.stack import Stack, Template
from archgen.render.terraform import ENVIRONMENT, ORIGIN_LABEL, GlobalRoot, global_root_of

GLOBAL_PATH = f"cloudformation/{ENVIRONMENT}/global"

HOST_PATTERN = r"^[A-Za-z0-9.-]+$"


def global_region(design: Design) -> str:
    """The Region the global stack is deployed in: the recovery Region (see the module docstring)."""
    return design.regions[1]


def global_stack(design: Design) -> Template | None:
    """The global stack's template, or None when the design has no routing component (kind route53-zone)."""
    root = global_root_of(design)
    if root is None:
        return None
    region = global_region(design)
    stack = Stack(
        design,
        f"archgen {__version__}: Route 53 health checks and {root.routing.lower()} records of {design.name} between "
        f"{root.primary_region} and {root.recovery_region} (deploy in {region}).",
        region,
    )
    stack.parameter("HostedZoneId", {
        "Type": "String",
        "AllowedPattern": r"^Z[A-Z0-9]{1,31}$",
        "ConstraintDescription": "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ",
        "Description": "ID of the existing Route 53 hosted zone that holds DomainName (this stack never creates a "
        "zone).",
    })  # fmt: skip
    cloudfront = (
        f" The records are for {ORIGIN_LABEL}.<DomainName>, the CloudFront distribution's origin; DomainName itself "
        "points at the distribution."
        if root.behind_cloudfront
        else ""
    )
    stack.parameter("DomainName", {
        "Type": "String",
        "AllowedPattern": DOMAIN_PATTERN,
        "ConstraintDescription": "a fully qualified lowercase DNS name",
        "Description": "The DNS name users reach the service at, e.g. api.example.com (a name inside the hosted zone, "
        f"not its apex: the records are CNAMEs).{cloudfront}",
    })  # fmt: skip
    stack.parameter("HealthCheckPath", {
        "Type": "String",
        "Default": "/",
        "AllowedPattern": "^/.*$",
        "ConstraintDescription": "a path starting with /",
        "Description": "Path Route 53 requests on each entry point over HTTPS; any 2xx or 3xx answer is healthy. "
        "With several services behind one load balancer, use a path one of them serves (e.g. /<service>/healthz).",
    })  # fmt: skip
    record_name = fn_sub(f"{ORIGIN_LABEL}.${{DomainName}}") if root.behind_cloudfront else ref("DomainName")
    regions = [(root.primary_region, "Primary", "PRIMARY"), (root.recovery_region, "Recovery", "SECONDARY")]
    for region_name, label, _ in regions:
        _entry_point(stack, root, region_name, label)
    for region_name, label, failover in regions:
        stack.add(
            f"{label}HealthCheck",
            "AWS::Route53::HealthCheck",
            {
                "HealthCheckConfig": {
                    "Type": "HTTPS",
                    "FullyQualifiedDomainName": fn_if(
                        f"{label}HasHealthCheckHost", ref(f"{label}HealthCheckHost"), ref(f"{label}EntryDnsName")
                    ),
                    "Port": 443,
                    "ResourcePath": ref("HealthCheckPath"),
                    "EnableSNI": True,
                    "RequestInterval": root.health_check_interval_seconds,
                    "FailureThreshold": root.failure_threshold,
                },
                "HealthCheckTags": stack.tags({"Name": fn_sub(f"{stack.prefix}-{region_name}")}),
            },
        )
        routing = {"Region": region_name} if root.routing == "LATENCY" else {"Failover": failover}
        stack.add(
            f"{label}Record",
            "AWS::Route53::RecordSet",
            {
                "HostedZoneId": ref("HostedZoneId"),
                "Name": record_name,
                "Type": "CNAME",
                "TTL": str(root.dns_ttl_seconds),
                "ResourceRecords": [ref(f"{label}EntryDnsName")],
                "SetIdentifier": region_name,
                "HealthCheckId": ref(f"{label}HealthCheck"),
                **routing,
            },
        )
    stack.output("RecordFqdn", f"The name the {root.routing.lower()} records answer for.", record_name)
    for region_name, label, _ in regions:
        stack.output(
            f"{label}HealthCheckId",
            f"Route 53 health check of {region_name} (alarm on its HealthCheckStatus metric in us-east-1).",
            ref(f"{label}HealthCheck"),
        )
    return stack.template()


def _entry_point(stack: Stack, root: GlobalRoot, region: str, label: str) -> None:
    """The parameters naming one Region's public entry point (Terraform's entry_points[region])."""
    api = root.entry_kind == "api-gateway-http"
    stack.parameter(f"{label}EntryDnsName", {
        "Type": "String",
        "AllowedPattern": HOST_PATTERN,
        "ConstraintDescription": "a bare host name (no scheme, no path)",
        "Description": f"Host name the {region} record points at: the EntryDnsName output of the {region} stack "
        "(its load balancer's DNS name).",
    })  # fmt: skip
    stack.parameter(f"{label}HealthCheckHost", {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^([A-Za-z0-9.-]+)?$",
        "ConstraintDescription": "empty, or a bare host name (no scheme, no path)",
        "Description": f"Host Route 53 probes over HTTPS in {region}; empty probes {label}EntryDnsName"
        + (f" (for API Gateway the {region} stack's EntryHealthCheckHost output)." if api else "."),
    })  # fmt: skip
    stack.conditions[f"{label}HasHealthCheckHost"] = {"Fn::Not": [{"Fn::Equals": [ref(f"{label}HealthCheckHost"), ""]}]}
