"""The library's entry points: the whole pipeline as functions over frozen models. The CLI is a thin layer on top."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archgen.design import Design
from archgen.match import Ranking, match_blueprints
from archgen.plan import plan_design
from archgen.render import DEFAULT_TARGETS, render_design
from archgen.spec import Spec
from archgen.spec_loader import load_spec


@dataclass(frozen=True)
class DesignOptions:
    """How to run ``design``: where to write, whether to replace, which targets.

    ``kubernetes`` asks for Kubernetes manifests for an ECS or EC2 container design (EKS designs always get them;
    asking for a design without containers is a ``UserError``).
    """

    out: Path | None = None
    force: bool = False
    targets: tuple[str, ...] = DEFAULT_TARGETS
    kubernetes: bool = False
    explore: tuple[str, ...] = ()  # KEY=V1,V2,... texts: embed the exploration in DESIGN.md with a chart


@dataclass(frozen=True)
class DesignResult:
    """What ``design`` produced."""

    design: Design
    out: Path
    files: tuple[str, ...]


def design_from_spec(spec: Spec) -> tuple[Ranking, Design]:
    """Match and plan, without touching the disk."""
    ranking = match_blueprints(spec)
    return ranking, plan_design(spec, ranking)


def _explore(spec_path: Path, texts: tuple[str, ...]) -> dict[str, Any]:
    from archgen.explore import check_varies, explore, parse_vary  # noqa: PLC0415 - only when asked
    from archgen.yaml_marks import load_yaml  # noqa: PLC0415

    varies = [parse_vary(text) for text in texts]
    check_varies(varies)
    document, _ = load_yaml(spec_path.read_text(encoding="utf-8"), str(spec_path))
    return explore(document, spec_path.name, varies).model_dump(mode="json")


def design(spec_path: Path | str, options: DesignOptions | None = None) -> DesignResult:
    """Load the spec, plan the design and write it; nothing is written unless every step before render succeeds."""
    options = options or DesignOptions()
    spec = load_spec(spec_path)
    _, planned = design_from_spec(spec)
    if options.explore:
        planned = planned.model_copy(update={"exploration": _explore(Path(spec_path), options.explore)})
    out = options.out if options.out is not None else Path(spec.name)
    targets = (*options.targets, "kubernetes") if options.kubernetes else options.targets
    files = render_design(planned, out, force=options.force, targets=targets)
    return DesignResult(planned, out, tuple(files))
