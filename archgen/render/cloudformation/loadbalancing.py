"""The entry Application Load Balancer (templates/terraform/modules/alb): HTTPS only, one target group per service.

Other builders reach it through ``target_group`` and ``security_group``: the container services register their tasks
in its target groups and admit traffic from its security group only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from archgen.design import Component
from archgen.render.cloudformation.intrinsics import fn_if, fn_sub, get_att, logical_id, pascal, ref
from archgen.render.cloudformation.network import public_subnet_ids, vpc_cidr, vpc_id
from archgen.render.cloudformation.security import add_waf
from archgen.render.cloudformation.stack import Stack
from archgen.render.terraform import ENVIRONMENT, Root

SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # TLS 1.3 with a TLS 1.2 fallback, as the module's default
HSTS = "max-age=31536000; includeSubDomains"
HEALTH_CHECK_PATH = "/readyz"
ENVIRONMENT_MAX = 16  # the Environment parameter's longest value (its AllowedPattern)
# The Elastic Load Balancing account that writes access logs in Regions opened before August 2022 (Terraform's
# aws_elb_service_account); later Regions use the log delivery service principal, which the policy also names.
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def bounded_name(stack: Stack, suffix: str, limit: int, shorten: Callable[[str], str]) -> Any:
    """``<service>-${Environment}-<suffix>`` for a name AWS caps at ``limit`` characters.

    When even the longest Environment fits, the name is that text. Otherwise it is Terraform's name for the default
    environment (``shorten`` of the full name: a readable head and a hash, computed here as Terraform does at plan
    time), and for any other environment a name CloudFormation generates, as it cannot hash at deploy time.
    """
    if len(stack.design.name) + 1 + ENVIRONMENT_MAX + 1 + len(suffix) <= limit:
        return fn_sub(f"{stack.prefix}-{suffix}")
    stack.conditions["DefaultEnvironment"] = {"Fn::Equals": [ref("Environment"), ENVIRONMENT]}
    full = f"{stack.design.name}-{ENVIRONMENT}-{suffix}"
    return fn_if("DefaultEnvironment", full if len(full) <= limit else shorten(full))


def _lb_short(full: str) -> str:
    return f"{full[:23].removesuffix('-')}-{_md5(full)[:8]}"


def targets(root: Root) -> list[Component]:
    """The public container services behind the root's load balancer (the module's targets), by service name."""
    return sorted(
        (s for s in root.components_of_kind("ecs-service") if s.properties.get("public")),
        key=lambda s: str(s.properties["service"]),
    )


def load_balancer(root: Root) -> Component | None:
    """The root's load balancer component, if any."""
    albs = root.components_of_kind("alb")
    return albs[0] if albs else None


def target_group(root: Root, service: Component) -> str:
    """Logical id of the target group of a public service."""
    alb = load_balancer(root)
    if alb is None:
        raise ValueError(f"the {root.region} root has no load balancer for {service.id}")
    return logical_id(alb.id, f"{pascal(str(service.properties['service']))}TargetGroup")


def security_group(root: Root) -> dict[str, Any]:
    """The id of the load balancer's security group (targets admit traffic from it)."""
    alb = load_balancer(root)
    if alb is None:
        raise ValueError(f"the {root.region} root has no load balancer")
    return get_att(logical_id(alb.id, "SecurityGroup"), "GroupId")


def listener_resources(root: Root) -> list[str]:
    """The listener and its rules: a service's target group must be routed before ECS registers tasks in it."""
    alb = load_balancer(root)
    if alb is None:
        return []
    base = logical_id(alb.id)
    services = targets(root)
    rules = [f"{base}{pascal(str(s.properties['service']))}Rule" for s in services] if len(services) > 1 else []
    return [f"{base}HttpsListener", *rules]


def _fronted_by_cloudfront(root: Root, c: Component) -> tuple[bool, bool]:
    """(whether a CloudFront edge fronts this load balancer, whether Route 53 health checks probe it)."""
    design = root.design
    edges = {e.id for e in design.components if e.kind == "cloudfront"}
    probes = {p.id for p in design.components if p.kind == "route53-zone"}
    fronted = {c.id, str(c.properties.get("replica_of", c.id))}
    fronting = any(x.source in edges and x.target in fronted for x in design.connections)
    checked = any(x.source in probes and x.target == c.id for x in design.connections)
    return fronting, checked


def add_alb(stack: Stack, root: Root, c: Component) -> None:
    """The internet-facing load balancer: HTTPS (443) only with HSTS, access logs, deletion protection."""
    if root.design.decisions["compute"].choice == "eks":
        return  # the AWS Load Balancer Controller builds it from the services' Ingress objects, as in Terraform
    base = logical_id(c.id)
    name = f"{stack.prefix}-{c.id}"
    services = targets(root)
    if not services:
        raise ValueError(f"{c.id} has no public container service to route to")
    fronting, checked = _fronted_by_cloudfront(root, c)
    stack.parameter("CertificateArn", {
        "Type": "String",
        "AllowedPattern": r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$",
        "ConstraintDescription": "the ARN of an ACM certificate",
        "Description": f"ARN of the ACM certificate for the service's domain in {root.region} (the load balancer's "
        "HTTPS listener presents it).",
    })  # fmt: skip
    if fronting:
        stack.parameter("CloudFrontOriginFacingPrefixListId", {
            "Type": "String",
            "AllowedPattern": r"^pl-[0-9a-f]{8,17}$",
            "ConstraintDescription": "a managed prefix list id (pl-...)",
            "Description": f"Id of com.amazonaws.global.cloudfront.origin-facing in {root.region} (aws ec2 "
            "describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront."
            "origin-facing): only CloudFront may reach the load balancer, so clients cannot bypass the edge.",
        })  # fmt: skip
    ingress: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
    if fronting:
        ingress |= {
            "SourcePrefixListId": ref("CloudFrontOriginFacingPrefixListId"),
            "Description": "HTTPS only from the CloudFront origin-facing servers, so clients cannot bypass the edge",
        }
    else:
        ingress |= {"CidrIp": "0.0.0.0/0", "Description": "HTTPS from the internet: this is the public entry point"}
    ports = sorted({int(str(s.properties["port"])) for s in services})
    stack.add(
        f"{base}SecurityGroup",
        "AWS::EC2::SecurityGroup",
        {
            "GroupName": fn_sub(f"{name}-alb"),
            "GroupDescription": fn_sub(f"Load balancer {name}: HTTPS (443) in, traffic to targets in the VPC out"),
            "VpcId": vpc_id(),
            "SecurityGroupIngress": [ingress],
            "SecurityGroupEgress": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "CidrIp": vpc_cidr(),
                    "Description": f"To targets on port {port}, inside the VPC only",
                }
                for port in ports
            ],
            "Tags": stack.tags({"Name": fn_sub(f"{name}-alb")}),
        },
    )
    groups = [get_att(f"{base}SecurityGroup", "GroupId")]
    if fronting and checked:
        # a rule naming a prefix list weighs its size against the group's 60 rules: CloudFront's 55, Route 53's 25
        stack.parameter("Route53HealthCheckPrefixListId", {
            "Type": "String",
            "AllowedPattern": r"^pl-[0-9a-f]{8,17}$",
            "ConstraintDescription": "a managed prefix list id (pl-...)",
            "Description": f"Id of com.amazonaws.{root.region}.route53-healthchecks (aws ec2 "
            "describe-managed-prefix-lists): the Route 53 health checks that probe the load balancer come in "
            "through a second security group.",
        })  # fmt: skip
        stack.add(
            f"{base}HealthCheckSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupName": fn_sub(f"{name}-alb-health-checks"),
                "GroupDescription": fn_sub(f"Load balancer {name}: HTTPS (443) from the Route 53 health checkers"),
                "VpcId": vpc_id(),
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 443,
                        "ToPort": 443,
                        "SourcePrefixListId": ref("Route53HealthCheckPrefixListId"),
                        "Description": "HTTPS from the Route 53 health checkers, which probe this load balancer",
                    }
                ],
                # no egress: the health checks only come in (a group without egress rules would allow all out)
                "SecurityGroupEgress": [
                    {
                        "IpProtocol": "-1",
                        "CidrIp": "127.0.0.1/32",
                        "Description": "Nothing: this group only admits the health checks",
                    }
                ],
                "Tags": stack.tags({"Name": fn_sub(f"{name}-alb-health-checks")}),
            },
        )
        groups.append(get_att(f"{base}HealthCheckSecurityGroup", "GroupId"))
    _allow_log_delivery(stack)
    attributes = {
        "deletion_protection.enabled": "true",
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": ref("LogBucket"),
        "access_logs.s3.prefix": "alb",
        "routing.http.drop_invalid_header_fields.enabled": "true",
        "routing.http.desync_mitigation_mode": "defensive",
        "routing.http2.enabled": "true",
        "idle_timeout.timeout_seconds": "60",
    }
    stack.add(
        f"{base}LoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Name": bounded_name(stack, c.id, 32, _lb_short),
            "Type": "application",
            "Scheme": "internet-facing",
            "IpAddressType": "ipv4",
            "SecurityGroups": groups,
            "Subnets": public_subnet_ids(root),
            "LoadBalancerAttributes": [{"Key": key, "Value": value} for key, value in attributes.items()],
            "Tags": stack.tags({"Name": fn_sub(name)}),
        },
        DependsOn=["LogBucketPolicy"],  # the load balancer checks at creation that it may write its logs
        Metadata={
            "checkov": {
                "skip": [
                    {
                        "id": "CKV2_AWS_28",
                        "comment": "A web ACL is associated where the design has a regional WAF, or sits on the "
                        "CloudFront edge in front of this load balancer (as the Terraform alb module).",
                    }
                ]
            }
        },
    )
    single = len(services) == 1
    for s in services:
        service = str(s.properties["service"])

        def _tg_short(full: str, service: str = service) -> str:
            return f"{service[:23].removesuffix('-')}-{_md5(full)[:8]}"

        tg = target_group(root, s)
        stack.add(
            tg,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            {
                "Name": bounded_name(stack, f"{c.id}-{service}", 32, _tg_short),
                "Port": int(str(s.properties["port"])),
                "Protocol": "HTTP",
                "TargetType": "ip",
                "VpcId": vpc_id(),
                "HealthCheckEnabled": True,
                "HealthCheckPath": str(s.properties.get("health_check_path", HEALTH_CHECK_PATH)),
                "HealthCheckPort": "traffic-port",
                "HealthCheckProtocol": "HTTP",
                "Matcher": {"HttpCode": "200-399"},
                "HealthCheckIntervalSeconds": 15,
                "HealthCheckTimeoutSeconds": 5,
                "HealthyThresholdCount": 3,
                "UnhealthyThresholdCount": 3,
                "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}],
                "Tags": stack.tags({"Service": service}),
            },
            Metadata={
                "checkov": {
                    "skip": [
                        {
                            "id": "CKV_AWS_378",
                            "comment": "TLS terminates at the load balancer; targets sit in private subnets and "
                            "accept traffic only from its security group.",
                        }
                    ]
                }
            },
        )
    default_action: dict[str, Any] = (
        {"Type": "forward", "TargetGroupArn": ref(target_group(root, services[0]))}
        if single
        else {
            "Type": "fixed-response",
            "FixedResponseConfig": {"ContentType": "text/plain", "MessageBody": "Not found", "StatusCode": "404"},
        }
    )
    stack.add(
        f"{base}HttpsListener",
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": ref(f"{base}LoadBalancer"),
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": SSL_POLICY,
            "Certificates": [{"CertificateArn": ref("CertificateArn")}],
            "DefaultActions": [default_action],
            # browsers that have seen this header use HTTPS from then on (there is no HTTP listener to fall to)
            "ListenerAttributes": [
                {"Key": "routing.http.response.strict_transport_security.header_value", "Value": HSTS}
            ],
            "Tags": stack.tags(),
        },
    )
    if not single:
        for priority, s in enumerate(services, start=100):
            service = str(s.properties["service"])
            stack.add(
                f"{base}{pascal(service)}Rule",
                "AWS::ElasticLoadBalancingV2::ListenerRule",
                {
                    "ListenerArn": ref(f"{base}HttpsListener"),
                    "Priority": priority,
                    "Actions": [{"Type": "forward", "TargetGroupArn": ref(target_group(root, s))}],
                    "Conditions": [
                        {"Field": "path-pattern", "PathPatternConfig": {"Values": [f"/{service}", f"/{service}/*"]}}
                    ],
                },
            )
    # named after the component the recovery copy copies, as the Terraform roots' entry_dns_name
    out = logical_id(str(c.properties.get("replica_of", c.id)))
    stack.output(
        f"{out}DnsName",
        "DNS name of the load balancer (the origin or Route 53 alias target).",
        get_att(f"{base}LoadBalancer", "DNSName"),
    )
    stack.output(
        f"{out}CanonicalHostedZoneId",
        "Route 53 hosted zone id of the load balancer, for alias records.",
        get_att(f"{base}LoadBalancer", "CanonicalHostedZoneID"),
    )
    stack.output(f"{out}LoadBalancerArn", "ARN of the load balancer.", ref(f"{base}LoadBalancer"))


def _allow_log_delivery(stack: Stack) -> None:
    """Let Elastic Load Balancing write this account's access logs under alb/ in the log bucket."""
    statements = stack.resources["LogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    if any(s["Sid"] == "LoadBalancerLogDeliveryService" for s in statements):
        return
    arn = {"Fn::Join": ["", [get_att("LogBucket", "Arn"), fn_sub("/alb/AWSLogs/${AWS::AccountId}/*")]]}
    account = ELB_ACCOUNTS.get(stack.region)
    if account is not None:
        statements.append(
            {
                "Sid": "LoadBalancerLogDelivery",
                "Effect": "Allow",
                "Principal": {"AWS": fn_sub(f"arn:${{AWS::Partition}}:iam::{account}:root")},
                "Action": ["s3:PutObject"],
                "Resource": arn,
            }
        )
    statements.append(
        {
            "Sid": "LoadBalancerLogDeliveryService",
            "Effect": "Allow",
            "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
            "Action": ["s3:PutObject"],
            "Resource": arn,
        }
    )


def add_regional_waf(stack: Stack, root: Root, c: Component) -> None:
    """With no CDN, the design's WAF as a REGIONAL web ACL on this Region's load balancer (waf.tf.j2).

    A CloudFront edge's web ACL is in the edge stack, a Cloudflare edge's WAF is Cloudflare's, and on EKS the AWS
    Load Balancer Controller attaches it from the Ingress annotation: nothing of those here.
    """
    edge = root.design.decisions["edge"].choice
    if edge in {"cloudfront", "cloudflare"} or root.design.decisions["compute"].choice == "eks":
        return
    add_waf(stack, c, scope="REGIONAL")
    origin = str(c.properties.get("replica_of", c.id))
    suffix = "-recovery" if "replica_of" in c.properties else ""
    albs = {a.id for a in root.components_of_kind("alb")}
    for connection in root.design.connections:
        target = f"{connection.target}{suffix}"
        if connection.source == origin and target in albs:
            stack.add(
                logical_id(target, "WebAclAssociation"),
                "AWS::WAFv2::WebACLAssociation",
                {"ResourceArn": ref(logical_id(target, "LoadBalancer")), "WebACLArn": get_att("WebAcl", "Arn")},
            )
