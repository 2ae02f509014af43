"""The edge stack in us-east-1: CloudFront, its certificate, its WAF web ACL and its log delivery."""

from __future__ import annotations

from typing import Any

from archgen import __version__
from archgen.design import Design
from archgen.errors import UserError
from archgen.render.cloudformation.intrinsics import fn_sub, get_att, logical_id, ref
from archgen.render.cloudformation.security import add_waf
from archgen.render.cloudformation.stack import Stack, Template
from archgen.render.terraform import ENVIRONMENT, ORIGIN_LABEL, Root

EDGE_REGION = "us-east-1"  # CloudFront certificates, CLOUDFRONT-scope web ACLs and CloudFront log delivery

EDGE_PATH = f"cloudformation/{ENVIRONMENT}/edge"

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
# A load balancer origin: nothing cached, the viewer's request (Host header included: the load balancer's
# certificate names the domain) passed through, as the Terraform cloudfront module's managed policies.
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"

DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


def edge_stack(design: Design, primary: Root) -> Template | None:
    """The us-east-1 stack of the CloudFront edge, or None when the design has no CloudFront distribution."""
    edges = primary.components_of_kind("cloudfront")
    if not edges:
        return None
    edge = edges[0]
    wafs = primary.components_of_kind("waf")
    origin = next((t for t in primary.targets_of(edge.id) if t.kind in {"s3-bucket", "alb"}), None)
    if origin is None:
        raise UserError(
            f"CloudFormation covers only S3 and load balancer origins for CloudFront yet; {edge.id} has none"
        )
    is_s3 = origin.kind == "s3-bucket"
    stack = Stack(
        design, f"archgen {__version__}: the edge of {design.name} (deploy in {EDGE_REGION}).",
        EDGE_REGION,
    )  # fmt: skip
    stack.parameter("DomainName", {
        "Type": "String",
        "AllowedPattern": DOMAIN_PATTERN,
        "ConstraintDescription": "a fully qualified lowercase DNS name",
        "Description": "The DNS name users reach the service at, e.g. docs.example.com.",
    })  # fmt: skip
    if is_s3:
        stack.parameter("OriginDomainName", {
            "Type": "String",
            "AllowedPattern": r"^[a-z0-9][a-z0-9.-]{2,62}\.s3\.[a-z0-9-]+\.amazonaws\.com$",
            "ConstraintDescription": "the regional domain name of an S3 bucket",
            "Description": f"Regional domain name of {origin.id}: the {logical_id(origin.id)}RegionalDomainName "
            f"output of the {primary.region} stack.",
        })  # fmt: skip
    elif not primary.origin_record:
        stack.parameter("OriginDomainName", {
            "Type": "String",
            "AllowedPattern": r"^[A-Za-z0-9][A-Za-z0-9.-]{2,252}\.elb\.amazonaws\.com$",
            "ConstraintDescription": "the DNS name of a load balancer",
            "Description": f"DNS name of the {origin.id} load balancer: the {logical_id(origin.id)}DnsName output of "
            f"the {primary.region} stack.",
        })  # fmt: skip
    stack.parameter("LogBucketArn", {
        "Type": "String",
        "AllowedPattern": r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        "ConstraintDescription": "the ARN of an S3 bucket",
        "Description": f"ARN of the access-log bucket: the LogBucketArn output of the {primary.region} stack.",
    })  # fmt: skip
    name = f"{stack.prefix}-{edge.id}"
    stack.add(
        "Certificate",
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": ref("DomainName"),
            "ValidationMethod": "DNS",
            "CertificateTransparencyLoggingPreference": "ENABLED",
            "Tags": stack.tags(),
        },
    )
    if wafs:
        add_waf(stack, wafs[0])
    if is_s3:
        _add_origin_access_control(stack, name, origin.id)
    stack.add(
        "SecurityHeaders",
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": {
                "Name": fn_sub(f"{name}-security-headers"),
                "Comment": "Security headers for every response.",
                "SecurityHeadersConfig": {
                    "StrictTransportSecurity": {
                        "AccessControlMaxAgeSec": 31536000,
                        "IncludeSubdomains": True,
                        "Preload": True,
                        "Override": True,
                    },
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True},
                    "XSSProtection": {"Protection": True, "ModeBlock": True, "Override": True},
                },
            }
        },
    )
    config: dict[str, Any] = {
        "Enabled": True,
        "Comment": fn_sub(f"{name}: ${{DomainName}}"),
        "Aliases": [ref("DomainName")],
        "PriceClass": str(edge.properties["price_class"]),
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "DefaultRootObject": "index.html",
        "Origins": [
            {
                "Id": "primary",
                "DomainName": ref("OriginDomainName"),
                "OriginAccessControlId": get_att("OriginAccessControl", "Id"),
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": "primary",
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
            "CachedMethods": ["GET", "HEAD"],
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": ref("SecurityHeaders"),
        },
        "Restrictions": {"GeoRestriction": {"RestrictionType": "none"}},
        "ViewerCertificate": {
            "AcmCertificateArn": ref("Certificate"),
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    }
    if not is_s3:
        del config["DefaultRootObject"]
        # with a live recovery Region, the global stack's Route 53 name that fails over (or routes by latency)
        # between the Regions' load balancers: an origin group would fail over only reads, not an API's writes
        host = fn_sub(f"{ORIGIN_LABEL}.${{DomainName}}") if primary.origin_record else ref("OriginDomainName")
        config["Origins"] = [
            {
                "Id": "primary",
                "DomainName": host,
                "CustomOriginConfig": {
                    "HTTPPort": 80,
                    "HTTPSPort": 443,
                    "OriginProtocolPolicy": "https-only",
                    "OriginSSLProtocols": ["TLSv1.2"],
                    "OriginReadTimeout": 30,
                    "OriginKeepaliveTimeout": 5,
                },
            }
        ]
        config["DefaultCacheBehavior"] |= {
            "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
            "CachePolicyId": CACHING_DISABLED,
            "OriginRequestPolicyId": ALL_VIEWER,
        }
    if wafs:
        config["WebACLId"] = get_att("WebAcl", "Arn")
    skips = [
        {
            "id": "CKV_AWS_86",
            "comment": "Access logs use CloudFront standard logging v2 (the AccessLog delivery resources of this "
            "stack, to the log bucket's cdn/ prefix), which this check does not recognise; the legacy Logging "
            "property would need ACLs on the log bucket.",
        },
    ]
    if not wafs:
        skips.append(
            {
                "id": "CKV_AWS_68",
                "comment": "The spec asks for no WAF (edge.waf false), so the design has no web ACL to attach; the "
                "Terraform cloudfront module gets web_acl_arn null likewise.",
            }
        )
    stack.add(
        "Distribution",
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": config, "Tags": stack.tags()},
        Metadata={"checkov": {"skip": skips}},
    )
    stack.add(
        "AccessLogSource",
        "AWS::Logs::DeliverySource",
        {
            "Name": fn_sub(f"{name}-access-logs"),
            "LogType": "ACCESS_LOGS",
            "ResourceArn": fn_sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"),
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "AccessLogDestination",
        "AWS::Logs::DeliveryDestination",
        {
            "Name": fn_sub(f"{name}-access-logs"),
            "OutputFormat": "w3c",
            "DestinationResourceArn": fn_sub("${LogBucketArn}/cdn"),
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "AccessLogDelivery",
        "AWS::Logs::Delivery",
        {
            "DeliverySourceName": ref("AccessLogSource"),
            "DeliveryDestinationArn": get_att("AccessLogDestination", "Arn"),
            "Tags": stack.tags(),
        },
    )
    stack.output("DistributionId", "Id of the CloudFront distribution.", ref("Distribution"))
    stack.output(
        "DistributionArn",
        f"ARN of the distribution: the CloudFrontDistributionArn parameter of the {primary.region} stack.",
        fn_sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"),
    )
    stack.output("DistributionDomainName", "Name to point the DNS record at.", get_att("Distribution", "DomainName"))
    stack.output("CertificateArn", "The distribution's certificate.", ref("Certificate"))
    return stack.template()


def _add_origin_access_control(stack: Stack, name: str, bucket: str) -> None:
    """CloudFront signs its requests to the private bucket (SigV4)."""
    stack.add(
        "OriginAccessControl",
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": {
                "Name": fn_sub(f"{name}-oac"),
                "Description": fn_sub(f"CloudFront signs its requests to the {bucket} bucket."),
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    )
