"""Pricing rules for compute: Fargate tasks, EC2 and EKS nodes, the EKS control plane, Lambda."""

from __future__ import annotations

from archgen.design import Component, number
from archgen.plan.pricing.pricer import Pricer, Rule, service_logs
from archgen.plan.usage import usage_assumptions


def _ecs_service(p: Pricer, c: Component) -> None:
    props = c.properties
    tasks = p.running(c)
    vcpu = number(props, "cpu")
    gb = number(props, "memory_mib") / 1024
    arch = str(props.get("architecture", "x86_64")).lower()
    capacity = "fargate-spot" if props.get("capacity") == "spot" else "fargate"
    label = f"{tasks} task(s) × {p.hours:g} h" + (" on Fargate Spot" if capacity == "fargate-spot" else "")
    if not tasks and "replica_of" in props:
        label += " (pilot light: scaled to zero until failover)"
    p.add(c, "aws_ecs_service", f"{capacity}/vcpu/{arch}", tasks * vcpu * p.hours, f"{label} × {vcpu:g} vCPU")
    p.add(c, "aws_ecs_service", f"{capacity}/gb/{arch}", tasks * gb * p.hours, f"{label} × {gb:g} GB")
    service_logs(p, c)


def _instances(p: Pricer, c: Component, resource: str, volume_key: str) -> None:
    props = c.properties
    count = p.running(c)
    instance = str(props["instance_type"])
    note = " (pilot light: scaled to zero until failover)" if not count and "replica_of" in props else ""
    p.add(c, resource, f"ec2/{instance}", count * p.hours, f"{count} × {instance} × {p.hours:g} h{note}", size=instance)
    volume = number(props, volume_key)
    p.add(c, resource, "ebs/gp3", count * volume, f"{count} × {volume:g} GB gp3 root volume")


def _asg(p: Pricer, c: Component) -> None:
    _instances(p, c, "aws_autoscaling_group", "root_volume_gb")
    service_logs(p, c)


def _nodes(p: Pricer, c: Component) -> None:
    _instances(p, c, "aws_eks_node_group", "disk_gb")


def _eks(p: Pricer, c: Component) -> None:
    p.add(c, "aws_eks_cluster", "eks/cluster", p.hours, f"1 cluster × {p.hours:g} h (standard support)")


def _k8s_deployment(p: Pricer, c: Component) -> None:
    service_logs(p, c)  # its pods run on the node group, priced there


def _lambda(p: Pricer, c: Component) -> None:
    use = p.usage(c.region)
    services = max(1, len(p.spec.service_list))
    invocations = use.requests / services
    memory_gb = number(c.properties, "memory_mib") / 1024
    seconds = usage_assumptions().lambda_duration_ms / 1000
    arch = str(c.properties.get("architecture", "x86_64")).lower()
    note = p.standby_note(c)
    p.add(c, "aws_lambda_function", "lambda/requests", invocations / 1e6, f"{invocations:,.0f} invocations{note}")
    p.add(
        c,
        "aws_lambda_function",
        f"lambda/duration/{arch}",
        invocations * seconds * memory_gb,
        f"{invocations:,.0f} invocations × {seconds:g} s × {memory_gb:g} GB ({arch}){note}",
    )
    service_logs(p, c)


def _free(p: Pricer, c: Component) -> None:
    """Kinds with no charge of their own (the ECS control plane); nothing to add."""


RULES: dict[str, Rule] = {
    "ecs-cluster": _free,
    "ecs-service": _ecs_service,
    "ec2-autoscaling-group": _asg,
    "eks-cluster": _eks,
    "eks-node-group": _nodes,
    "k8s-deployment": _k8s_deployment,
    "lambda-function": _lambda,
}
