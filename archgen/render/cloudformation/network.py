"""The Region's network: the VPC, its public and private subnets, NAT gateways and flow logs.

Other builders reach the network only through the functions below, so the logical ids live in one place:
``Vpc``, ``PublicSubnet1``…``PublicSubnetN`` and ``PrivateSubnet1``…``PrivateSubnetN`` (one per Availability Zone).
"""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import get_att, ref
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
