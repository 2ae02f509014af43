"""The Multi-AZ decision: spread stateful tiers and NAT across availability zones when the SLO needs it.

A component deployed in one AZ is held to its single-AZ SLA (EC2 instance 99.5 %, RDS single instance 99.5 %);
when the SLO is above the weakest such SLA, the design goes Multi-AZ. Managed regional services (Lambda,
DynamoDB, S3) are Multi-AZ by construction at no extra cost.
"""

from __future__ import annotations

from archgen.components import component_catalogue
from archgen.design import Alternative, Component, Decision
from archgen.spec import Spec


def decide_multi_az(spec: Spec, components: list[Component]) -> Decision:
    """Multi-AZ or not, from the SLO and the single-AZ SLAs of the zonal components."""
    kinds = component_catalogue().kinds
    zonal = sorted(
        {
            (sla.single_az, kinds[c.kind].title)
            for c in components
            if (sla := kinds[c.kind].sla) is not None and sla.single_az is not None
        }
    )
    slo = spec.availability.slo
    drivers = ("availability.slo",)
    if not zonal:
        return Decision(
            choice="true",
            rationale="every component is a regional managed service that runs across availability zones by "
            "construction, at no extra cost",
            drivers=drivers,
            alternatives=(Alternative(choice="false", why_not="there is nothing zonal to place in a single AZ"),),
        )
    weakest_sla, weakest = zonal[0]
    if slo > weakest_sla:
        return Decision(
            choice="true",
            rationale=f"the SLO of {slo:g}% is above the single-AZ SLA of {weakest} ({weakest_sla:g}%), so stateful "
            "tiers get a standby in a second AZ, tasks spread across AZs, and each AZ gets its own NAT gateway",
            drivers=drivers,
            alternatives=(
                Alternative(
                    choice="false",
                    why_not=f"{weakest} in one AZ is only held to {weakest_sla:g}%, below the {slo:g}% SLO",
                ),
            ),
        )
    return Decision(
        choice="false",
        rationale=f"the SLO of {slo:g}% is within the single-AZ SLA of every zonal component (weakest: {weakest}, "
        f"{weakest_sla:g}%), so standbys and per-AZ NAT gateways would cost without being needed",
        drivers=drivers,
        alternatives=(
            Alternative(
                choice="true", why_not="doubles database and NAT cost for availability the SLO does not ask for"
            ),
        ),
    )
