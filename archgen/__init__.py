"""archgen: an architecture design generator. A requirements spec goes in; a reasoned design comes out.

The pipeline is ``load_spec`` → ``match_blueprints`` → ``plan_design`` → ``render_design``; ``design`` runs it all.
Names resolve lazily (PEP 562) so that ``import archgen`` and ``archgen --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real names, for type checkers; at run time they resolve lazily below
    from archgen.api import DesignOptions, DesignResult, design, design_from_spec
    from archgen.blueprint import blueprint_library
    from archgen.design import Design
    from archgen.errors import ArchgenError, SpecError, UserError
    from archgen.match import Ranking, match_blueprints
    from archgen.plan import plan_design
    from archgen.render import render_design, render_files
    from archgen.spec import Spec
    from archgen.spec_loader import load_spec, parse_spec

__version__ = "0.1.0"

_EXPORTS = {
    "load_spec": "archgen.spec_loader",
    "parse_spec": "archgen.spec_loader",
    "Spec": "archgen.spec",
    "match_blueprints": "archgen.match",
    "Ranking": "archgen.match",
    "blueprint_library": "archgen.blueprint",
    "plan_design": "archgen.plan",
    "Design": "archgen.design",
    "render_design": "archgen.render",
    "render_files": "archgen.render",
    "design": "archgen.api",
    "design_from_spec": "archgen.api",
    "DesignOptions": "archgen.api",
    "DesignResult": "archgen.api",
    "ArchgenError": "archgen.errors",
    "UserError": "archgen.errors",
    "SpecError": "archgen.errors",
}

__all__ = [
    "ArchgenError",
    "Design",
    "DesignOptions",
    "DesignResult",
    "Ranking",
    "Spec",
    "SpecError",
    "UserError",
    "__version__",
    "blueprint_library",
    "design",
    "design_from_spec",
    "load_spec",
    "match_blueprints",
    "parse_spec",
    "plan_design",
    "render_design",
    "render_files",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'archgen' has no attribute {name!r}")
