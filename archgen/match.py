"""Score every blueprint against a spec: reject with reasons, rank the rest, pick the best.

A blueprint fits when its ``requires`` condition holds. Fitting blueprints are ranked by the summed weights of the
``prefers`` conditions that hold; ties go to the simpler blueprint (lower ``complexity``), then to the id.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.blueprint import Blueprint, blueprint_library
from archgen.conditions import Reason
from archgen.errors import NoBlueprintFitsError
from archgen.facts import spec_facts
from archgen.spec import Spec


@dataclass(frozen=True)
class Preference:
    """One evaluated preference of a blueprint."""

    weight: int
    held: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class BlueprintMatch:
    """How one blueprint fared against the spec."""

    blueprint: Blueprint
    fits: bool
    score: int
    requirements: tuple[Reason, ...]
    preferences: tuple[Preference, ...]

    @property
    def rejections(self) -> tuple[Reason, ...]:
        """The requirement reasons that failed: why the blueprint was rejected."""
        return tuple(reason for reason in self.requirements if not reason.passed)


@dataclass(frozen=True)
class Ranking:
    """Every blueprint, best first; rejected ones last."""

    matches: tuple[BlueprintMatch, ...]

    @property
    def best(self) -> BlueprintMatch:
        """The winning blueprint; raises NoBlueprintFitsError when every blueprint was rejected."""
        first = self.matches[0]
        if not first.fits:
            lines = [f"{m.blueprint.id}: {'; '.join(r.text for r in m.rejections)}" for m in self.matches]
            raise NoBlueprintFitsError("no blueprint fits this spec:\n  " + "\n  ".join(lines))
        return first


def match_blueprints(spec: Spec, library: tuple[Blueprint, ...] | None = None) -> Ranking:
    """Rank ``library`` (default: the shipped blueprints) against ``spec``."""
    facts = spec_facts(spec)
    matches = []
    for blueprint in blueprint_library() if library is None else library:
        fits, requirements = blueprint.requires.evaluate(facts)
        preferences = []
        for preference in blueprint.prefers:
            held, reasons = preference.when.evaluate(facts)
            preferences.append(Preference(preference.weight, held, tuple(reasons)))
        score = sum(p.weight for p in preferences if p.held)
        matches.append(BlueprintMatch(blueprint, fits, score, tuple(requirements), tuple(preferences)))
    matches.sort(key=lambda m: (not m.fits, -m.score, m.blueprint.complexity, m.blueprint.id))
    return Ranking(tuple(matches))
