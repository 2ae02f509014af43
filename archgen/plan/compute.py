"""The compute decision: lambda, ecs-fargate, eks, ec2-autoscaling or none.

The winning blueprint lists the compute models its pattern allows, preferred first; the first one whose fit rules
hold is chosen. Models the pattern does not offer are explained by why their own blueprints lost the match.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from archgen.blueprint import Blueprint
from archgen.conditions import Condition, fields_in
from archgen.design import Alternative, Decision
from archgen.errors import NoBlueprintFitsError
from archgen.facts import spec_field
from archgen.match import BlueprintMatch, Ranking
from archgen.spec import Spec

COMPUTE_CHOICES = ("lambda", "ecs-fargate", "eks", "ec2-autoscaling", "none")
LAMBDA_MAX_MEMORY_MIB = 10240  # Lambda's memory ceiling (Lambda quotas)
LAMBDA_MAX_VCPU = 6  # Lambda allocates up to 6 vCPUs at 10,240 MB

Fit = tuple[bool, str]


def decide_compute(spec: Spec, ranking: Ranking) -> Decision:
    """Choose the compute model for ``spec`` within the winning blueprint."""
    best = ranking.best.blueprint
    verdicts = {choice: _fit(choice, spec, best) for choice in best.compute}
    fitting = [c for c in best.compute if verdicts[c][0]]
    if not fitting:
        reasons = "; ".join(f"{c}: {verdicts[c][1]}" for c in best.compute)
        raise NoBlueprintFitsError(f"{best.id} fits, but none of its compute models does: {reasons}")
    chosen = fitting[0]
    alternatives = []
    for choice in COMPUTE_CHOICES:
        if choice == chosen:
            continue
        if choice in verdicts:
            why = verdicts[choice][1] if not verdicts[choice][0] else f"fits too, but {chosen} is preferred here"
        else:
            why = _why_pattern_lost(choice, ranking)
        alternatives.append(Alternative(choice=choice, why_not=why))
    winner = ranking.best
    held = [r.text for p in winner.preferences if p.held for r in p.reasons if r.passed]
    why_pattern = f"The {best.id} pattern won the match with score {winner.score}" + (
        f" ({'; '.join(held)})" if held else ""
    )
    read = sorted({spec_field(name) for condition in _conditions_of(best) for name in fields_in(condition)})
    return Decision(
        choice=chosen,
        rationale=f"{verdicts[chosen][1]}. {why_pattern}",
        drivers=tuple(dict.fromkeys([*_DRIVERS[chosen], *read])),
        alternatives=tuple(alternatives),
    )


def _conditions_of(blueprint: Blueprint) -> list[Condition]:
    return [blueprint.requires, *(p.when for p in blueprint.prefers)]


def peak_vcpus(spec: Spec, blueprint: Blueprint) -> float:
    """VCPUs needed at peak from the blueprint's per-vCPU throughput assumption."""
    return spec.traffic.peak_rps / float(blueprint.defaults.get("rps_per_vcpu", 100))


def _fit(choice: str, spec: Spec, blueprint: Blueprint) -> Fit:
    return _RULES[choice](spec, blueprint)


def _lambda(spec: Spec, blueprint: Blueprint) -> Fit:
    limit = float(blueprint.defaults.get("lambda_max_average_rps", 50))
    average = spec.traffic.average
    big = [
        s.name for s in spec.service_list if (s.memory or 0) > LAMBDA_MAX_MEMORY_MIB or (s.cpu or 0) > LAMBDA_MAX_VCPU
    ]
    if big:
        return False, f"{', '.join(big)} asks for more than Lambda's 10,240 MB / 6 vCPU"
    if average > limit:
        return False, (
            f"average {average:g} rps is above {limit:g} rps, where always-on containers become cheaper than "
            "per-request pricing"
        )
    return True, (
        f"average {average:g} rps (at most {limit:g}) is spiky or low enough that paying per request beats "
        "always-on capacity, and Lambda scales to zero with no servers to patch"
    )


def _fargate(spec: Spec, blueprint: Blueprint) -> Fit:
    vcpus = peak_vcpus(spec, blueprint)
    steady = spec.traffic.average >= float(blueprint.defaults.get("steady_ratio", 0.6)) * spec.traffic.peak_rps
    large = vcpus >= float(blueprint.defaults.get("ec2_min_vcpus", 32))
    if steady and large:
        return False, (
            f"a steady fleet of about {math.ceil(vcpus)} vCPUs at peak runs cheaper on EC2 instances than on Fargate"
        )
    return True, (
        "containers without servers to manage: Fargate tasks across availability zones, billed per vCPU and GB, "
        f"about {math.ceil(vcpus) or 1} vCPU at peak"
    )


def _ec2(spec: Spec, blueprint: Blueprint) -> Fit:
    fargate_fits, _ = _fargate(spec, blueprint)
    vcpus = math.ceil(peak_vcpus(spec, blueprint))
    if fargate_fits:
        return False, (
            f"about {vcpus or 1} vCPU at peak is too small or too spiky for reserved instances to beat Fargate, "
            "and instances add AMIs to patch and capacity to bin-pack"
        )
    return True, f"steady load of about {vcpus} vCPUs at peak, where EC2 instances cost less than Fargate"


def _eks(spec: Spec, blueprint: Blueprint) -> Fit:
    count = len(spec.service_list)
    return True, (
        f"the team already runs Kubernetes and {count} service{'s' if count != 1 else ''} share one cluster, "
        "so its control plane and nodes amortise"
    )


def _none(spec: Spec, blueprint: Blueprint) -> Fit:
    return True, "static files served from object storage through the CDN: no code runs per request"


_RULES: dict[str, Callable[[Spec, Blueprint], Fit]] = {
    "lambda": _lambda,
    "ecs-fargate": _fargate,
    "ec2-autoscaling": _ec2,
    "eks": _eks,
    "none": _none,
}

_DRIVERS: dict[str, tuple[str, ...]] = {
    "lambda": ("workload", "traffic.average_rps", "traffic.peak_rps", "services"),
    "ecs-fargate": ("workload", "traffic.peak_rps", "traffic.average_rps", "team.kubernetes"),
    "ec2-autoscaling": ("workload", "traffic.peak_rps", "traffic.average_rps"),
    "eks": ("team.kubernetes", "services", "workload"),
    "none": ("workload",),
}


def _why_pattern_lost(choice: str, ranking: Ranking) -> str:
    """Why every blueprint that offers ``choice`` lost: its rejections, or the preferences it missed."""
    offering = [m for m in ranking.matches if choice in m.blueprint.compute]
    if not offering:
        return "no blueprint in the library offers it for this workload"
    reasons = []
    for match in offering:
        if match.fits:
            reasons.append(
                f"{match.blueprint.id} fits but ranked lower ({match.score} vs {ranking.best.score}): {_missed(match)}"
            )
        else:
            reasons.append(f"{match.blueprint.id} does not fit: {'; '.join(r.text for r in match.rejections)}")
    return ". ".join(reasons)


def _missed(match: BlueprintMatch) -> str:
    missed = [reason.text for p in match.preferences if not p.held for reason in p.reasons if not reason.passed]
    return "; ".join(missed) or "a simpler pattern won the tie"
