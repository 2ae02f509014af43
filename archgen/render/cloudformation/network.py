"""The Region's network: the VPC, its public and private subnets, NAT gateways and flow logs.

Other builders reach the network only through the functions below, so the logical ids live in one place:
``Vpc``, ``PublicSubnet1``…``PublicSubnetN`` and ``PrivateSubnet1``…``PrivateSubnetN`` (one per Availability Zone).
"""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import fn_sub, get_att, policy_document, policy_statement, ref
from archgen.render.cloudformation.stack import Stack
from archgen.render.terraform import Root


def network_of(root: Root) -> Component:
    """The root's VPC component (every root with containers, databases or caches has exactly one)."""
    networks = root.components_of_kind("vpc")
    if len(networks) != 1:
        raise ValueError(f"the {root.region} root has {len(networks)} VPCs; its network builders expect one")
    return networks[0]


def zone_count(root: Root) -> int:
    """How many Availability Zones the network spans: one public and one private subnet in each."""
    return int(number(network_of(root).properties, "az_count"))


def vpc_id() -> dict[str, Any]:
    """The VPC's id."""
    return ref("Vpc")


def vpc_cidr() -> dict[str, Any]:
    """The VPC's IPv4 CIDR block (security groups admit traffic from inside the VPC by it)."""
    return get_att("Vpc", "CidrBlock")


def public_subnet_ids(root: Root) -> list[dict[str, Any]]:
    """The public subnets' ids, one per Availability Zone, in zone order."""
    return [ref(f"PublicSubnet{index}") for index in range(1, zone_count(root) + 1)]


def private_subnet_ids(root: Root) -> list[dict[str, Any]]:
    """The private subnets' ids, one per Availability Zone, in zone order."""
    return [ref(f"PrivateSubnet{index}") for index in range(1, zone_count(root) + 1)]


def zone(index: int) -> dict[str, Any]:
    """The name of the index-th (0-based) Availability Zone of the Region, as Terraform's slice of the zone list."""
    return {"Fn::Select": [index, {"Fn::GetAZs": ""}]}


def _named(stack: Stack, name: Any) -> list[dict[str, Any]]:
    """The stack's tags plus a Name tag (the console shows it)."""
    return stack.tags({"Name": name})


# Revokes every rule of the VPC's default security group once, at creation: CloudFormation has no resource for the
# default group (Terraform's aws_default_security_group empties it; the AWS CDK's restrictDefaultSecurityGroup does
# it with a custom resource like this one). Nothing to undo on delete: the group goes with the VPC.
_RESTRICT_DEFAULT_GROUP = """\
import boto3
import cfnresponse


def handler(event, context):
    group_id = event["ResourceProperties"]["GroupId"]
    try:
        if event["RequestType"] == "Create":
            ec2 = boto3.client("ec2")
            group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
            if group["IpPermissions"]:
                ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=group["IpPermissions"])
            if group["IpPermissionsEgress"]:
                ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=group["IpPermissionsEgress"])
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, group_id)
    except Exception as error:  # report the failure, or the stack would wait for an hour
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, group_id, reason=str(error))
"""


def add_network(stack: Stack, root: Root, c: Component) -> None:
    """The network module (templates/terraform/modules/network), from the root's vpc component.

    The VPC, a public and a private subnet per zone, the internet and NAT gateways (the design's count), route
    tables, the S3 gateway endpoint, flow logs to an encrypted log group, and an emptied default security group.
    """
    props = c.properties
    zones = zone_count(root)
    public = [str(cidr) for cidr in props["public_subnets"]]  # type: ignore[union-attr]
    private = [str(cidr) for cidr in props["private_subnets"]]  # type: ignore[union-attr]
    nat_count = int(number(props, "nat_gateway_count"))
    if not (len(public) == len(private) == zones >= 2) or not 1 <= nat_count <= zones:
        raise ValueError(f"{c.id}: {zones} zones need as many public and private subnets and 1..{zones} NAT gateways")
    prefix = stack.prefix
    stack.add(
        "Vpc",
        "AWS::EC2::VPC",
        {
            "CidrBlock": str(props["cidr"]),
            "EnableDnsSupport": True,
            "EnableDnsHostnames": True,
            "Tags": _named(stack, fn_sub(prefix)),
        },
    )
    stack.add("InternetGateway", "AWS::EC2::InternetGateway", {"Tags": _named(stack, fn_sub(prefix))})
    stack.add(
        "InternetGatewayAttachment",
        "AWS::EC2::VPCGatewayAttachment",
        {"VpcId": vpc_id(), "InternetGatewayId": ref("InternetGateway")},
    )
    stack.add(
        "PublicRouteTable",
        "AWS::EC2::RouteTable",
        {"VpcId": vpc_id(), "Tags": _named(stack, fn_sub(f"{prefix}-public"))},
    )
    stack.add(
        "PublicInternetRoute",
        "AWS::EC2::Route",
        {
            "RouteTableId": ref("PublicRouteTable"),
            "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": ref("InternetGateway"),
        },
        DependsOn=["InternetGatewayAttachment"],
    )
    for index in range(zones):
        n = index + 1
        for tier, cidrs in (("Public", public), ("Private", private)):
            stack.add(
                f"{tier}Subnet{n}",
                "AWS::EC2::Subnet",
                {
                    "VpcId": vpc_id(),
                    "AvailabilityZone": zone(index),
                    "CidrBlock": cidrs[index],
                    "MapPublicIpOnLaunch": False,
                    "Tags": stack.tags(
                        {
                            "Name": {"Fn::Join": ["-", [fn_sub(f"{prefix}-{tier.lower()}"), zone(index)]]},
                            "Tier": tier.lower(),
                        }
                    ),
                },
            )
        stack.add(
            f"PublicSubnet{n}RouteTableAssociation",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": ref(f"PublicSubnet{n}"), "RouteTableId": ref("PublicRouteTable")},
        )
    for index in range(nat_count):
        n = index + 1
        stack.add(
            f"NatEip{n}",
            "AWS::EC2::EIP",
            {"Domain": "vpc", "Tags": _named(stack, fn_sub(f"{prefix}-nat-{index}"))},
            DependsOn=["InternetGatewayAttachment"],
        )
        stack.add(
            f"NatGateway{n}",
            "AWS::EC2::NatGateway",
            {
                "AllocationId": get_att(f"NatEip{n}", "AllocationId"),
                "SubnetId": ref(f"PublicSubnet{n}"),
                "Tags": _named(stack, {"Fn::Join": ["-", [fn_sub(prefix), zone(index)]]}),
            },
        )
    # One private route table per zone; each uses its own zone's NAT gateway when there is one per zone.
    for index in range(zones):
        n = index + 1
        stack.add(
            f"PrivateRouteTable{n}",
            "AWS::EC2::RouteTable",
            {"VpcId": vpc_id(), "Tags": _named(stack, {"Fn::Join": ["-", [fn_sub(f"{prefix}-private"), zone(index)]]})},
        )
        stack.add(
            f"PrivateNatRoute{n}",
            "AWS::EC2::Route",
            {
                "RouteTableId": ref(f"PrivateRouteTable{n}"),
                "DestinationCidrBlock": "0.0.0.0/0",
                "NatGatewayId": ref(f"NatGateway{min(n, nat_count)}"),
            },
        )
        stack.add(
            f"PrivateSubnet{n}RouteTableAssociation",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": ref(f"PrivateSubnet{n}"), "RouteTableId": ref(f"PrivateRouteTable{n}")},
        )
    stack.add(
        "S3GatewayEndpoint",
        "AWS::EC2::VPCEndpoint",
        {
            "VpcId": vpc_id(),
            "ServiceName": fn_sub("com.amazonaws.${AWS::Region}.s3"),
            "VpcEndpointType": "Gateway",
            "RouteTableIds": [ref(f"PrivateRouteTable{n}") for n in range(1, zones + 1)],
            "Tags": stack.tags(),
        },
    )
    _add_flow_logs(stack)
    _restrict_default_security_group(stack)
    stack.output("VpcId", "The Region's VPC.", vpc_id())
    stack.output(
        "PrivateSubnetIds", "Private subnets, one per Availability Zone.", {"Fn::Join": [",", private_subnet_ids(root)]}
    )
    stack.output(
        "PublicSubnetIds", "Public subnets, one per Availability Zone.", {"Fn::Join": [",", public_subnet_ids(root)]}
    )


def _add_flow_logs(stack: Stack) -> None:
    """Every flow of the VPC to a log group encrypted with the Region's key, kept a year."""
    stack.log_group("FlowLogGroup", fn_sub(f"/vpc/{stack.prefix}/flow-logs"))
    source = {
        "StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
        "ArnLike": {
            "aws:SourceArn": fn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*")
        },
    }
    stack.add(
        "FlowLogRole",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"VPC flow logs of {stack.prefix} write to their log group."),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement(
                    "FlowLogsAssume",
                    ["sts:AssumeRole"],
                    None,
                    {"Service": "vpc-flow-logs.amazonaws.com"},
                    condition=source,
                )
            ),
            "Policies": [
                {
                    "PolicyName": "write-flow-logs",
                    "PolicyDocument": policy_document(
                        {
                            "Sid": "WriteFlowLogs",
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            "Resource": {"Fn::Join": ["", [get_att("FlowLogGroup", "Arn"), ":*"]]},
                        }
                    ),
                }
            ],
            "Tags": stack.tags(),
        },
    )
    stack.add(
        "FlowLog",
        "AWS::EC2::FlowLog",
        {
            "ResourceId": vpc_id(),
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs",
            "LogDestination": get_att("FlowLogGroup", "Arn"),
            "DeliverLogsPermissionArn": get_att("FlowLogRole", "Arn"),
            "Tags": stack.tags(),
        },
    )


def _restrict_default_security_group(stack: Stack) -> None:
    """A custom resource that empties the VPC's default security group, so nothing can fall back on it."""
    group = get_att("Vpc", "DefaultSecurityGroup")
    stack.log_group(
        "RestrictDefaultSecurityGroupLogGroup", fn_sub(f"/aws/lambda/{stack.prefix}-restrict-default-sg"), retain=False
    )
    group_arn = {
        "Fn::Join": [
            "",
            [fn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/"), group],
        ]
    }
    stack.add(
        "RestrictDefaultSecurityGroupRole",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"Empties the default security group of the {stack.prefix} VPC once, at creation."),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement("LambdaAssumes", ["sts:AssumeRole"], None, {"Service": "lambda.amazonaws.com"})
            ),
            "Policies": [
                {
                    "PolicyName": "empty-the-default-security-group",
                    "PolicyDocument": policy_document(
                        {
                            "Sid": "ReadSecurityGroups",  # Describe* has no resource-level permissions
                            "Effect": "Allow",
                            "Action": ["ec2:DescribeSecurityGroups"],
                            "Resource": "*",
                        },
                        {
                            "Sid": "RevokeTheDefaultGroupsRules",
                            "Effect": "Allow",
                            "Action": ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
                            "Resource": group_arn,
                        },
                        {
                            "Sid": "WriteOwnLogs",
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                            "Resource": {
                                "Fn::Join": ["", [get_att("RestrictDefaultSecurityGroupLogGroup", "Arn"), ":*"]]
                            },
                        },
                    ),
                }
            ],
            "Tags": stack.tags(),
        },
    )
    reason = "It runs once, when the stack creates the VPC, as the stack's custom resource; "
    stack.add(
        "RestrictDefaultSecurityGroupFunction",
        "AWS::Lambda::Function",
        {
            "FunctionName": fn_sub(f"{stack.prefix}-restrict-default-sg"),
            "Description": "Revokes every rule of the VPC's default security group (CloudFormation custom resource).",
            "Runtime": "python3.13",
            "Handler": "index.handler",
            "Role": get_att("RestrictDefaultSecurityGroupRole", "Arn"),
            "Code": {"ZipFile": _RESTRICT_DEFAULT_GROUP},
            "Timeout": 60,
            "MemorySize": 128,
            "ReservedConcurrentExecutions": 1,
            "LoggingConfig": {"LogGroup": ref("RestrictDefaultSecurityGroupLogGroup"), "LogFormat": "JSON"},
            "Tags": stack.tags(),
        },
        Metadata={
            "checkov": {
                "skip": [
                    {"id": "CKV_AWS_116", "comment": reason + "CloudFormation retries and reports a failure itself."},
                    {"id": "CKV_AWS_117", "comment": reason + "it calls only the EC2 API and reaches no VPC resource."},
                ]
            }
        },
    )
    stack.add(
        "RestrictDefaultSecurityGroup",
        "Custom::RestrictDefaultSecurityGroup",
        {"ServiceToken": get_att("RestrictDefaultSecurityGroupFunction", "Arn"), "GroupId": group},
    )
