"""archgen: an architecture design generator. A requirements spec goes in; a reasoned design comes out.

The pipeline is ``load_spec`` → ``match_blueprints`` → ``plan_design`` → ``render_design``; ``design`` runs it all.
Heavy imports stay inside functions so that ``archgen --help`` starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
