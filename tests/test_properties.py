"""Property-based tests: every valid spec, whatever free text it holds, yields output every parser accepts."""

from __future__ import annotations

import json
from typing import Any

import hcl2
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archgen import design_from_spec, render_files
from archgen.spec import Spec

LABEL = st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)
TEXT = st.text(max_size=200)  # any characters: quotes, braces, ${}, %{, newlines, control characters, emoji
WORKLOADS = st.sampled_from(["web-api", "web-app", "static-site", "event-driven", "streaming", "batch"])
KINDS = st.sampled_from(["relational", "key-value", "document", "cache", "object", "queue", "stream", "search"])
REGIONS = st.sampled_from(["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "ca-central-1", "sa-east-1"])


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    workload = draw(WORKLOADS)
    names = draw(st.lists(LABEL, min_size=1, max_size=3, unique=True))
    stores = draw(st.lists(LABEL, max_size=3, unique=True))
    services = [
        {"name": f"svc-{n}", "port": draw(st.integers(1024, 65535)), "public": i == 0} for i, n in enumerate(names)
    ]
    raw: dict[str, Any] = {
        "name": f"s-{names[0]}",
        "description": draw(TEXT),
        "workload": workload,
        "traffic": {"peak_rps": draw(st.floats(0, 50000)), "global_users": draw(st.booleans())},
        "availability": {
            "slo": draw(st.sampled_from([99.0, 99.5, 99.9, 99.95, 99.99])),
            "rto": draw(st.sampled_from(["0", "1m", "5m", "1h", "4h", "1d"])),
            "rpo": draw(st.sampled_from(["0", "30s", "15m", "1h", "1d"])),
        },
        "regions": {"primary": draw(REGIONS)},
        "data": [{"name": f"d-{n}", "kind": draw(KINDS)} for n in stores],
        "services": services,
    }
    return Spec.model_validate(raw)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_every_artifact_parses(spec: Spec) -> None:
    _, design = design_from_spec(spec)
    for name, content in render_files(design).items():
        if name.endswith(".tf"):
            hcl2.loads(content.decode("utf-8"))
        elif name.endswith((".yaml", ".yml")):
            list(yaml.safe_load_all(content.decode("utf-8")))
        elif name.endswith(".json"):
            json.loads(content)
