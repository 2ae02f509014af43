"""The Regions decision: the primary, plus the nearest permitted recovery Region.

Permitted means: in ``regions.allowed`` when the spec gives it; otherwise in the primary's geography (an EU primary
keeps its recovery Region in the EU), and not an opt-in Region unless the primary is one too (opt-in Regions must
be enabled per account). With GDPR in scope the recovery Region never leaves the primary's geography.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.design import Alternative, Decision
from archgen.plan.notes import Notes
from archgen.regions import Region, region_catalogue
from archgen.spec import Spec


@dataclass(frozen=True)
class RegionChoice:
    """The recovery Region (None when the spec permits no second Region) and the decision record."""

    recovery: str | None
    decision: Decision


def choose_regions(spec: Spec, notes: Notes) -> RegionChoice:
    """Pick the recovery Region for ``spec``."""
    catalogue = region_catalogue()
    primary = catalogue.by_code()[spec.regions.primary]
    others = sorted(
        (r for r in catalogue.regions if r.code != primary.code), key=lambda r: (primary.distance_km(r), r.code)
    )
    verdicts = {region.code: _permitted(region, primary, spec, widened=False) for region in others}
    candidates = [r for r in others if verdicts[r.code] is None]
    widened = not candidates and spec.regions.allowed is None and "gdpr" not in spec.compliance
    if widened:
        verdicts = {region.code: _permitted(region, primary, spec, widened=True) for region in others}
        candidates = [r for r in others if verdicts[r.code] is None]
        if candidates:
            notes.risk(
                f"{primary.code} has no other Region in its geography ({primary.geography}); the recovery Region "
                f"{candidates[0].code} is outside it. Confirm the data may be stored there."
            )
    drivers = ("regions.primary", "regions.allowed", "compliance")
    limit = _limit(spec, primary, widened=widened)
    if not candidates:
        notes.risk(
            f"No second Region is permitted, so a Region-wide outage of {primary.code} cannot be recovered "
            "elsewhere; backups stay in the primary Region and protect only against data loss and AZ failures."
        )
        return RegionChoice(
            None,
            Decision(
                choice=primary.code,
                rationale=f"only {primary.code} is permitted ({limit}), so the design stays in one Region",
                drivers=drivers,
                alternatives=tuple(Alternative(choice=r.code, why_not=str(verdicts[r.code])) for r in others[:3]),
            ),
        )
    recovery = candidates[0]
    distance = primary.distance_km(recovery)
    alternatives = [
        Alternative(
            choice=r.code,
            why_not=verdicts[r.code]
            or f"{primary.distance_km(r):,.0f} km from {primary.code}, farther than "
            f"{recovery.code} ({distance:,.0f} km)",
        )
        for r in others[:6]
        if r.code != recovery.code
    ]
    return RegionChoice(
        recovery.code,
        Decision(
            choice=f"{primary.code} + {recovery.code}",
            rationale=(
                f"primary {primary.code} ({primary.name}) as specified; recovery Region {recovery.code} "
                f"({recovery.name}) is the nearest permitted Region, about {distance:,.0f} km away ({limit}); "
                "nearby keeps replication lag and inter-Region latency low while staying a separate failure domain"
            ),
            drivers=drivers,
            alternatives=tuple(alternatives),
        ),
    )


def _permitted(region: Region, primary: Region, spec: Spec, *, widened: bool) -> str | None:
    """None when ``region`` may host the recovery copy, else why not."""
    if spec.regions.allowed is not None:
        return None if region.code in spec.regions.allowed else "not in regions.allowed"
    if region.geography != primary.geography and not widened:
        return f"outside the primary's geography ({region.geography}, not {primary.geography})"
    if region.opt_in and not primary.opt_in:
        return "an opt-in Region (must be enabled per account); list it in regions.allowed to use it"
    return None


def _limit(spec: Spec, primary: Region, *, widened: bool) -> str:
    if spec.regions.allowed is not None:
        return f"regions.allowed: {', '.join(spec.regions.allowed)}"
    if widened:
        return f"no other Region shares the primary's geography ({primary.geography}) without opting in"
    return "same geography as the primary, as no regions.allowed list is given"
