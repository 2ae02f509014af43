"""The CloudFormation network, load balancer and container builders (vpc, nat-gateway, alb, ecr-repository,
ecs-cluster, ecs-service) on the container-service examples.

Those examples also hold kinds other builders cover, so here each root's stack is built by these builders alone
(``partial_stack``): lint-clean, checkov-clean, and with the properties that matter for a private, HTTPS-only service.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from archgen import design_from_spec, load_spec
from archgen.design import Design
from archgen.render.cloudformation import containers, region
from archgen.render.cloudformation.edge import edge_stack
from archgen.render.cloudformation.stack import Template, dump
from archgen.render.terraform import Root, roots_of
from tests.conftest import EXAMPLES
from tests.test_cloudformation import cfn_lint
from tests.validators import checkov

CASES = ("orders-api", "nightly-reports", "global-catalog", "clickstream")
KINDS = ("vpc", "nat-gateway", "alb", "ecr-repository", "ecs-cluster", "ecs-service", "waf")


def partial_stack(root: Root) -> Template:
    """The root's stack from the shared resources and the network and container builders only (no data access:
    the stores a service connects to are other builders' resources)."""
    builders = {kind: region.BUILDERS[kind] for kind in KINDS}
    with (
        mock.patch.dict(region.BUILDERS, builders, clear=True),
        mock.patch.object(containers, "access_statements", return_value=[]),
    ):
        return region.region_stack(root)


def design_of(case: str) -> Design:
    return design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))[1]


def with_regional_waf() -> Design:
    """orders-api (no CDN) with a WAF asked for: a REGIONAL web ACL on each Region's load balancer."""
    spec = load_spec(EXAMPLES / "orders-api.yaml")
    spec = spec.model_copy(update={"edge": spec.edge.model_copy(update={"waf": True})})
    return design_from_spec(spec)[1]


def stacks(case: str) -> list[tuple[Root, Template]]:
    return [(root, partial_stack(root)) for root in roots_of(design_of(case))]


def write(case: str, out: Path) -> list[Path]:
    paths = []
    for root, template in stacks(case):
        path = out / case / root.purpose / root.region / "template.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(template), encoding="utf-8")
        paths.append(path)
    return paths


def of_type(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


@pytest.mark.parametrize("case", CASES)
def test_cfn_lint_finds_nothing(case: str, tmp_path: Path) -> None:
    assert cfn_lint(write(case, tmp_path)) == ""


@pytest.mark.slow
def test_checkov_finds_nothing(tmp_path: Path) -> None:
    for case in CASES:
        write(case, tmp_path)
    failures = checkov(tmp_path, ["cloudformation"])
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in failures] == []


@pytest.mark.parametrize("case", CASES)
def test_subnets_span_distinct_zones_and_nat_as_designed(case: str) -> None:
    for root, template in stacks(case):
        if not root.has_kind("vpc"):
            continue
        network = root.components_of_kind("vpc")[0].properties
        zones = int(str(network["az_count"]))
        for tier in ("Public", "Private"):
            subnets = [template["Resources"][f"{tier}Subnet{n}"]["Properties"] for n in range(1, zones + 1)]
            picks = [s["AvailabilityZone"]["Fn::Select"] for s in subnets]
            assert [index for index, _ in picks] == list(range(zones))  # one subnet in each of the first N zones
            assert all(azs == {"Fn::GetAZs": ""} for _, azs in picks)
            assert not any(s["MapPublicIpOnLaunch"] for s in subnets)
        assert f"PrivateSubnet{zones + 1}" not in template["Resources"]
        nat = of_type(template, "AWS::EC2::NatGateway")
        assert len(nat) == int(str(network["nat_gateway_count"]))
        assert all(g["Properties"]["SubnetId"]["Ref"].startswith("PublicSubnet") for g in nat.values())
        routes = of_type(template, "AWS::EC2::Route")
        private = [r["Properties"] for name, r in routes.items() if name.startswith("PrivateNatRoute")]
        assert len(private) == zones
        assert all("NatGatewayId" in r for r in private)
        # the default security group is emptied, and flow logs go to an encrypted group
        custom = template["Resources"]["RestrictDefaultSecurityGroup"]["Properties"]
        assert custom["GroupId"] == {"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]}
        assert template["Resources"]["FlowLogGroup"]["Properties"]["KmsKeyId"] == {"Fn::GetAtt": ["Key", "Arn"]}


@pytest.mark.parametrize("case", CASES)
def test_tasks_are_private_and_admit_only_the_load_balancer(case: str) -> None:
    for root, template in stacks(case):
        for c in root.components_of_kind("ecs-service"):
            name = "".join(part.capitalize() for part in c.id.split("-"))
            service = template["Resources"][f"{name}Service"]["Properties"]
            network = service["NetworkConfiguration"]["AwsvpcConfiguration"]
            assert network["AssignPublicIp"] == "DISABLED"
            assert all(s["Ref"].startswith("PrivateSubnet") for s in network["Subnets"])
            group = template["Resources"][f"{name}SecurityGroup"]["Properties"]
            ingress = group.get("SecurityGroupIngress", [])
            if c.properties.get("public") and root.has_kind("alb"):
                alb = "".join(part.capitalize() for part in root.components_of_kind("alb")[0].id.split("-"))
                port = int(str(c.properties["port"]))
                assert ingress == [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": port,
                        "ToPort": port,
                        "SourceSecurityGroupId": {"Fn::GetAtt": [f"{alb}SecurityGroup", "GroupId"]},
                        "Description": "Container port from the load balancer only",
                    }
                ]
                assert service["LoadBalancers"][0]["ContainerPort"] == port
            else:
                assert ingress == []
            task = template["Resources"][f"{name}TaskDefinition"]["Properties"]
            container = task["ContainerDefinitions"][0]
            assert container["ReadonlyRootFilesystem"] is True
            assert not container["User"].startswith("0")
            assert task["NetworkMode"] == "awsvpc"
            assert service["DeploymentConfiguration"]["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
            scaling = template["Resources"][f"{name}ScalableTarget"]["Properties"]
            assert (scaling["MinCapacity"], service["DesiredCount"], scaling["MaxCapacity"]) == (
                c.properties["min_count"],
                c.properties["desired_count"],
                c.properties["max_count"],
            )


@pytest.mark.parametrize("case", CASES)
def test_load_balancer_listens_on_https_only(case: str) -> None:
    for root, template in stacks(case):
        listeners = of_type(template, "AWS::ElasticLoadBalancingV2::Listener")
        assert len(listeners) == (1 if root.has_kind("alb") else 0)
        for listener in listeners.values():
            properties = listener["Properties"]
            assert (properties["Protocol"], properties["Port"]) == ("HTTPS", 443)
            assert properties["Certificates"] == [{"CertificateArn": {"Ref": "CertificateArn"}}]
            assert properties["SslPolicy"].startswith("ELBSecurityPolicy-TLS13-")
            assert template["Parameters"]["CertificateArn"]["AllowedPattern"].startswith("^arn:aws")
        for balancer in of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer").values():
            attributes = {a["Key"]: a["Value"] for a in balancer["Properties"]["LoadBalancerAttributes"]}
            assert attributes["deletion_protection.enabled"] == "true"
            assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
            assert attributes["access_logs.s3.bucket"] == {"Ref": "LogBucket"}
            statements = template["Resources"]["LogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
            assert "LoadBalancerLogDeliveryService" in {s["Sid"] for s in statements}


def test_cloudfront_alone_reaches_a_fronted_load_balancer() -> None:
    for root, template in stacks("global-catalog"):
        if not root.has_kind("alb"):
            continue
        groups = of_type(template, "AWS::EC2::SecurityGroup")
        https = next(
            g for name, g in groups.items() if name.endswith("RecoverySecurityGroup") or name == "EntrySecurityGroup"
        )
        assert https["Properties"]["SecurityGroupIngress"][0]["SourcePrefixListId"] == {
            "Ref": "CloudFrontOriginFacingPrefixListId"
        }
        assert not any(
            r.get("CidrIp") == "0.0.0.0/0"
            for g in groups.values()
            for r in g["Properties"].get("SecurityGroupIngress", [])
        )


def test_pilot_light_recovery_service_runs_nothing_until_failover() -> None:
    recovery = next(t for root, t in stacks("orders-api") if not root.is_primary)
    service = recovery["Resources"]["OrdersApiRecoveryService"]
    assert service["Properties"]["DesiredCount"] == 0
    assert recovery["Resources"]["OrdersApiRecoveryScalableTarget"]["Properties"]["MinCapacity"] == 0
    assert "--desired-count 6" in service["Metadata"]["archgen"]["failover"]


def test_long_names_keep_terraforms_name_for_the_default_environment() -> None:
    template = next(t for root, t in stacks("global-catalog") if not root.is_primary)
    name = template["Resources"]["EntryRecoveryLoadBalancer"]["Properties"]["Name"]
    condition, default, other = name["Fn::If"]
    assert condition == "DefaultEnvironment"
    assert other == {"Ref": "AWS::NoValue"}
    full = "global-catalog-prod-entry-recovery"  # the alb module's name: 23 characters and 8 of the name's md5
    assert default == f"global-catalog-prod-ent-{hashlib.md5(full.encode(), usedforsecurity=False).hexdigest()[:8]}"


def test_regional_waf_protects_each_regions_load_balancer(tmp_path: Path) -> None:
    paths = []
    for root in roots_of(with_regional_waf()):
        template = partial_stack(root)
        acl = template["Resources"]["WebAcl"]["Properties"]
        assert acl["Scope"] == "REGIONAL"
        associations = of_type(template, "AWS::WAFv2::WebACLAssociation")
        alb = "Entry" if root.is_primary else "EntryRecovery"
        assert [a["Properties"]["ResourceArn"] for a in associations.values()] == [{"Ref": f"{alb}LoadBalancer"}]
        log_group = template["Resources"]["WafLogGroup"]["Properties"]
        assert log_group["KmsKeyId"] == {"Fn::GetAtt": ["Key", "Arn"]}
        path = tmp_path / root.region / "template.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(dump(template), encoding="utf-8")
        paths.append(path)
    assert cfn_lint(paths) == ""
    assert [f"{f.check_id} {f.resource}" for f in checkov(tmp_path, ["cloudformation"])] == []


def test_edge_reaches_the_load_balancers_through_the_origin_record(tmp_path: Path) -> None:
    """global-catalog: CloudFront in front of both Regions' load balancers, through the global stack's latency name."""
    design = design_of("global-catalog")
    primary = roots_of(design)[0]
    template = edge_stack(design, primary)
    assert template is not None
    config = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    origin = config["Origins"][0]
    assert origin["DomainName"] == {"Fn::Sub": "origin.${DomainName}"}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]
    assert "OriginAccessControl" not in template["Resources"]
    assert "OriginDomainName" not in template["Parameters"]
    assert "POST" in config["DefaultCacheBehavior"]["AllowedMethods"]
    path = tmp_path / "edge" / "template.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(dump(template), encoding="utf-8")
    assert cfn_lint([path]) == ""
    assert [f"{f.check_id} {f.resource}" for f in checkov(tmp_path, ["cloudformation"])] == []
