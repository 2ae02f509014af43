"""The compliance matrix (``data/compliance.yaml``).

For the regimes a spec names: each requirement, the control archgen adds, the generated resource that implements
it, and what remains the team's responsibility.
"""

from __future__ import annotations

from archgen.compliance_data import compliance_data
from archgen.design import ComplianceRow, Component


def compliance_rows(regimes: tuple[str, ...], components: list[Component]) -> tuple[ComplianceRow, ...]:
    """The rows that apply: a control named by one of ``regimes`` whose precondition the design meets."""
    kinds = {c.kind for c in components}
    present = {
        None: True,
        "vpc": "vpc" in kinds,
        # on EKS the AWS Load Balancer Controller creates the ALB from the Ingress, outside Terraform
        "alb": "alb" in kinds and "eks-cluster" not in kinds,
        # with a Cloudflare edge the firewall is Cloudflare's, not an AWS web ACL
        "aws-waf": "waf" in kinds and "cloudflare-zone" not in kinds,
        "containers": "ecr-repository" in kinds,
        "eks": "eks-cluster" in kinds,
    }
    rows = []
    for name, control in compliance_data().controls.items():
        refs = {regime: control.refs[regime] for regime in regimes if regime in control.refs}
        if refs and present[control.when]:
            rows.append(
                ComplianceRow(
                    id=name,
                    refs=refs,
                    requirement=control.requirement,
                    control=control.control,
                    implemented_by=control.implemented_by,
                    implemented_in=control.implemented_in,
                    residual=control.residual,
                )
            )
    return tuple(rows)
