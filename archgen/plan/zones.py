"""The Multi-AZ decision: spread stateful tiers and NAT across availability zones when the SLO needs it.

A component deployed in one AZ is held to its single-AZ SLA (EC2 instance 99.5 %, RDS single instance 99.5 %);
when the SLO is above the weakest such SLA, the design goes Multi-AZ. Managed regional services (Lambda,
DynamoDB, S3) are Multi-AZ by construction at no extra cost.
"""

from __future__ import annotations

from archgen.components import component_catalogue
from archgen.design import Alternative, Component, Decision
from archgen.plan.availability import estimate_availability
from archgen.spec import Spec


def decide_multi_az(spec: Spec, components: list[Component]) -> Decision:
    """Multi-AZ or not: whether one Region's request path, composed from single-AZ SLAs, still meets the SLO.

    Each Region must meet the SLO on its own: a second Region is for Regional disasters, and failing a Region over
    for every AZ incident would turn the commonest failure into the costliest recovery.
    """
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
    primary = (spec.regions.primary,)
    single = estimate_availability(tuple(components), primary, "single-region", multi_az=False, slo=slo).estimated
    if slo > single:
        return Decision(
            choice="true",
            rationale=f"in one AZ the request path composes to {single:g}% (weakest part: {weakest}, "
            f"{weakest_sla:g}%), below the SLO of {slo:g}%, so stateful tiers get a standby in a second AZ, tasks "
            "spread across AZs, and each AZ gets its own NAT gateway",
            drivers=drivers,
            alternatives=(
                Alternative(
                    choice="false",
                    why_not=f"the single-AZ SLAs compose to {single:g}%, below the {slo:g}% SLO",
                ),
            ),
        )
    return Decision(
        choice="false",
        rationale=f"in one AZ the request path still composes to {single:g}% from published SLAs (weakest: "
        f"{weakest}, {weakest_sla:g}%), within the SLO of {slo:g}%, so standbys and per-AZ NAT gateways would cost "
        "without being needed",
        drivers=drivers,
        alternatives=(
            Alternative(
                choice="true", why_not="doubles database and NAT cost for availability the SLO does not ask for"
            ),
        ),
    )
