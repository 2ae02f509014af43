"""The command line, end to end through typer's CliRunner (and a real process for start-up and --version)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

import archgen.plan
from archgen import __version__
from archgen.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
WriteSpec = Callable[..., Path]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHGEN_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


# --- design -----------------------------------------------------------------------------------------------------


def test_design_writes_into_out(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    out = tmp_path / "build" / "shop"
    result = run("design", write_spec(minimal_spec), "--out", out)
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    document = json.loads((out / "design.json").read_text(encoding="utf-8"))
    assert document["name"] == "shop"
    assert {"DESIGN.md", "design.json"} <= set(document["artifacts"])
    assert written == sorted([".archgen-manifest.json", *document["artifacts"]])
    assert document["decisions"]["compute"]["choice"] == "lambda"
    assert (out / "DESIGN.md").read_text(encoding="utf-8").startswith("# shop: architecture design")
    assert result.stdout.startswith(f"wrote {out}/ ({len(document['artifacts'])} files)")
    assert re.search(r"^compute\s+lambda$", result.stdout, re.M)
    assert re.search(r"^dr_strategy\s+backup-restore$", result.stdout, re.M)
    assert result.stderr == ""


def test_design_short_out_option(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    assert run("design", write_spec(minimal_spec), "-o", tmp_path / "o").exit_code == 0
    assert (tmp_path / "o" / "design.json").is_file()


def test_design_default_out_is_the_spec_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_spec: WriteSpec, minimal_spec: str
) -> None:
    spec = write_spec(minimal_spec, "whatever.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("design", "whatever.yaml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "shop" / "design.json").is_file()
    assert (tmp_path / "shop" / "DESIGN.md").is_file()
    artifacts = json.loads((tmp_path / "shop" / "design.json").read_text(encoding="utf-8"))["artifacts"]
    assert result.stdout.startswith(f"wrote shop/ ({len(artifacts)} files)")
    assert spec.is_file()


def test_design_is_deterministic(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    spec = write_spec(minimal_spec)
    assert run("design", spec, "--out", tmp_path / "a").exit_code == 0
    assert run("design", spec, "--out", tmp_path / "b").exit_code == 0
    for name in ("design.json", "DESIGN.md", ".archgen-manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_design_rerun_over_its_own_output(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    spec = write_spec(minimal_spec)
    out = tmp_path / "out"
    assert run("design", spec, "--out", out).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("design", spec, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_bad_spec_exits_2_located_and_writes_nothing(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    spec = write_spec(minimal_spec.replace("rto: 4h", "rtoo: 4h").replace("slo: 99.9", "slo: 120"))
    out = tmp_path / "out"
    result = run("design", spec, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{spec}:6:3: availability.rto: is required",
        f"{spec}:6:8: availability.slo: 120: must be less than 100",
        f"{spec}:7:3: availability.rtoo: unknown key (did you mean 'rto'?)",
    ]
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]


def test_missing_spec_file_exits_2(tmp_path: Path) -> None:
    result = run("design", tmp_path / "nope.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.stderr
    assert not (tmp_path / "out").exists()


def test_foreign_files_in_out_exit_2_unless_force(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    spec = write_spec(minimal_spec)
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep", encoding="utf-8")
    result = run("design", spec, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "is not empty and was not written by archgen; use --force" in result.stderr
    assert (out / "precious.txt").read_text(encoding="utf-8") == "keep"
    assert not (out / "design.json").exists()
    result = run("design", spec, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert (out / "design.json").is_file()


def test_edited_output_exit_2(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    spec = write_spec(minimal_spec)
    out = tmp_path / "out"
    assert run("design", spec, "--out", out).exit_code == 0
    (out / "DESIGN.md").write_text("edited", encoding="utf-8")
    result = run("design", spec, "--out", out)
    assert result.exit_code == 2
    assert "DESIGN.md changed since archgen wrote it" in result.stderr
    assert (out / "DESIGN.md").read_text(encoding="utf-8") == "edited"


def test_out_below_a_file_is_a_user_error(tmp_path: Path, write_spec: WriteSpec, minimal_spec: str) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run("design", write_spec(minimal_spec), "--out", tmp_path / "afile" / "out")
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output


def test_internal_error_exits_1_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_spec: WriteSpec, minimal_spec: str
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(archgen.plan, "decide_compute", broken)
    out = tmp_path / "out"
    result = run("design", write_spec(minimal_spec), "--out", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "internal error: RuntimeError: boom\n(a bug in archgen; re-run with ARCHGEN_DEBUG=1"
    )
    assert "Traceback" not in result.output
    assert not out.exists()


def test_debug_lets_the_exception_through(
    monkeypatch: pytest.MonkeyPatch, write_spec: WriteSpec, minimal_spec: str, tmp_path: Path
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(archgen.plan, "decide_compute", broken)
    monkeypatch.setenv("ARCHGEN_DEBUG", "1")
    result = run("design", write_spec(minimal_spec), "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


# --- validate and explain -----------------------------------------------------------------------------------------


def test_validate_ok(write_spec: WriteSpec, minimal_spec: str) -> None:
    spec = write_spec(minimal_spec)
    result = run("validate", spec)
    assert result.exit_code == 0
    assert result.stdout == f"{spec}: ok (web-api, 1 service(s), 0 data store(s))\n"


def test_validate_the_examples() -> None:
    result = run("validate", *EXAMPLES)
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok (") == len(EXAMPLES) >= 8


def test_validate_reports_every_file(write_spec: WriteSpec, minimal_spec: str) -> None:
    good = write_spec(minimal_spec, "good.yaml")
    bad = write_spec(minimal_spec.replace("us-east-1", "eu-wst-1"), "bad.yaml")
    worse = write_spec("- not a mapping\n", "worse.yaml")
    result = run("validate", bad, good, worse)
    assert result.exit_code == 2
    assert f"{good}: ok" in result.stdout
    assert result.stderr.splitlines() == [
        f"{bad}:10:12: regions.primary: 'eu-wst-1' is not an AWS Region code; did you mean 'eu-west-1'?",
        f"{worse}:1:1: a spec is a YAML mapping (name: …, workload: …), not a list",
    ]


def test_validate_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_spec: WriteSpec, minimal_spec: str
) -> None:
    write_spec(minimal_spec)
    monkeypatch.chdir(tmp_path)
    assert run("validate", "spec.yaml").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]


def test_explain_prints_ranking_and_decisions(write_spec: WriteSpec, minimal_spec: str) -> None:
    result = run("explain", write_spec(minimal_spec))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "serverless-api: score 4"
    assert (
        "  ✓ requires: workload is web-api; wanted equal to web-api — API Gateway and Lambda serve request/response "
        "APIs"
    ) in lines
    assert "static-site: rejected" in lines
    assert any(line.startswith("  ✗ requires: workload is web-api; wanted equal to static-site") for line in lines)
    assert any(line.startswith("  ✓ prefers (+3): traffic.average_rps is 25; wanted at most 50") for line in lines)
    for key in (
        "compute: lambda",
        "dr_strategy: backup-restore",
        "edge: none",
        "regions: us-east-1 + us-east-2",
        "multi_az: true",
    ):
        assert key in lines
    assert any(line.startswith("  why: ") for line in lines)
    assert any(line.startswith("  not ecs-fargate: ") for line in lines)


def test_explain_bad_spec_exits_2(write_spec: WriteSpec) -> None:
    result = run("explain", write_spec("name: x\n"))
    assert result.exit_code == 2
    assert "workload: is required" in result.stderr


# --- blueprints -----------------------------------------------------------------------------------------------

IDS = ["container-service", "event-pipeline", "kubernetes-platform", "serverless-api", "static-site"]


def test_blueprints_list_table() -> None:
    result = run("blueprints", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "title", "compute"]
    assert [line.split()[0] for line in lines[1:]] == IDS
    assert lines[4].startswith("serverless-api ")
    assert lines[4].endswith("lambda")


def test_blueprints_list_markdown() -> None:
    result = run("blueprints", "list", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["| Blueprint | What it is | Compute | Follows |", "|---|---|---|---|"]
    assert [re.match(r"\| `([a-z-]+)` \|", line).group(1) for line in lines[2:]] == IDS  # type: ignore[union-attr]


def test_blueprints_list_json() -> None:
    result = run("blueprints", "list", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [b["id"] for b in document] == IDS
    serverless = document[3]
    assert serverless["compute"] == ["lambda"]
    assert serverless["requires"]["all"][0] == {
        "field": "workload",
        "op": "eq",
        "value": "web-api",
        "why": "API Gateway and Lambda serve request/response APIs",
    }
    assert all(component.get("from") is None for component in serverless["components"])
    assert serverless["edges"][0]["from"] == "edge"


def test_blueprints_list_bad_format() -> None:
    result = run("blueprints", "list", "--format", "yaml")
    assert result.exit_code == 2
    assert "--format must be table, markdown or json, not 'yaml'" in result.stderr


def test_blueprints_show() -> None:
    result = run("blueprints", "show", "serverless-api")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "serverless-api: Serverless API (API Gateway, Lambda, DynamoDB)"
    assert "compute: lambda   complexity: 1" in lines
    assert "  {name}: compute.service (one per service) — Lambda function behind the API" in lines
    assert "defaults: lambda_max_average_rps=50, rps_per_vcpu=100" in lines


def test_blueprints_show_unknown_id_suggests() -> None:
    result = run("blueprints", "show", "serverles")
    assert result.exit_code == 2
    assert result.stderr == "blueprints: no blueprint 'serverles' (did you mean 'serverless-api'?)\n"


def test_blueprints_show_unknown_id_without_a_near_match_lists_them() -> None:
    result = run("blueprints", "show", "zzz")
    assert result.exit_code == 2
    assert f"known: {', '.join(IDS)}" in result.stderr


# --- init -------------------------------------------------------------------------------------------------------


def test_init_writes_a_starter_that_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "orders.yaml", "--name", "orders")
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote orders.yaml: edit it, then run `archgen design orders.yaml`\n"
    text = (tmp_path / "orders.yaml").read_text(encoding="utf-8")
    assert "name: orders" in text
    assert "`archgen design orders.yaml`" in text
    validated = run("validate", "orders.yaml")
    assert validated.exit_code == 0, validated.output
    designed = run("design", "orders.yaml")
    assert designed.exit_code == 0, designed.output
    assert (tmp_path / "orders" / "design.json").is_file()


def test_init_default_path_and_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert yaml.safe_load((tmp_path / "spec.yaml").read_text(encoding="utf-8"))["name"] == "my-service"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("mine\n", encoding="utf-8")
    result = run("init", path)
    assert result.exit_code == 2
    assert "exists; use --force to overwrite it" in result.stderr
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert run("init", path, "--force").exit_code == 0
    assert "name: my-service" in path.read_text(encoding="utf-8")


def test_init_into_a_missing_folder_is_not_an_internal_error(tmp_path: Path) -> None:
    result = run("init", tmp_path / "missing" / "spec.yaml")
    assert result.exit_code in (0, 2), result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize("name", ["Orders", "orders_api", "x" * 33, "-a"])
def test_init_rejects_a_bad_name(tmp_path: Path, name: str) -> None:
    result = run("init", tmp_path / "spec.yaml", "--name", name)
    assert result.exit_code == 2
    assert "is not a lowercase DNS label" in result.stderr
    assert not (tmp_path / "spec.yaml").exists()


# --- schema -----------------------------------------------------------------------------------------------------

TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check(schema: dict[str, Any], value: Any, root: dict[str, Any], where: str = "$") -> list[str]:
    """A small JSON Schema checker for the keywords archgen's schemas use (jsonschema is not a dependency)."""
    if "$ref" in schema:
        return check(root["$defs"][schema["$ref"].split("/")[-1]], value, root, where)
    if "anyOf" in schema:
        options = [check(option, value, root, where) for option in schema["anyOf"]]
        return [] if any(not errors for errors in options) else [f"{where}: no anyOf option matches {value!r}"]
    if "type" in schema and not TYPES[schema["type"]](value):
        return [f"{where}: {value!r} is not {schema['type']}"]
    errors = _check_value(schema, value, where)
    if isinstance(value, dict):
        errors += _check_object(schema, value, root, where)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += check(schema["items"], item, root, f"{where}[{index}]")
    return errors


BOUNDS: dict[str, Callable[[float, float], bool]] = {
    "minimum": lambda value, bound: value >= bound,
    "maximum": lambda value, bound: value <= bound,
    "exclusiveMinimum": lambda value, bound: value > bound,
    "exclusiveMaximum": lambda value, bound: value < bound,
}


def _check_value(schema: dict[str, Any], value: Any, where: str) -> list[str]:
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} is not {schema['const']!r}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if TYPES["number"](value):
        errors += [
            f"{where}: {value!r} fails {key} {schema[key]}"
            for key, test in BOUNDS.items()
            if key in schema and not test(value, schema[key])
        ]
    return errors


def _check_object(schema: dict[str, Any], value: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    errors = [f"{where}: missing {key}" for key in schema.get("required", []) if key not in value]
    for key, item in value.items():
        if key in properties:
            errors += check(properties[key], item, root, f"{where}.{key}")
        elif extra is False:
            errors.append(f"{where}: unexpected {key}")
        elif isinstance(extra, dict):
            errors += check(extra, item, root, f"{where}.{key}")
    return errors


def schema_output(*args: str) -> dict[str, Any]:
    result = run("schema", *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_spec_schema_structure() -> None:
    schema = schema_output()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"spec-v1-{__version__}.json")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"name", "workload", "traffic", "availability", "regions"}
    assert set(schema["properties"]) >= {
        "name",
        "description",
        "workload",
        "traffic",
        "availability",
        "regions",
        "data",
        "services",
        "budget",
        "compliance",
        "edge",
        "team",
        "delivery",
    }
    rto = schema["$defs"]["Availability"]["properties"]["rto"]
    assert {option["type"] for option in rto["anyOf"]} == {"integer", "string"}
    assert "workload" in schema["properties"]
    assert schema["properties"]["workload"]["enum"] == [
        "web-api",
        "web-app",
        "static-site",
        "event-driven",
        "streaming",
        "batch",
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_spec_schema_accepts_the_examples(example: Path) -> None:
    schema = schema_output()
    assert check(schema, yaml.safe_load(example.read_text(encoding="utf-8")), schema) == []


@pytest.mark.parametrize(
    "change",
    [{"surprise": 1}, {"workload": "mainframe"}, {"name": 5}, {"availability": {"slo": 99.9, "rto": "soon", "rpo": 0}}],
)
def test_spec_schema_rejects_bad_specs(change: dict[str, Any]) -> None:
    schema = schema_output()
    document = {**yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8")), **change}
    assert check(schema, document, schema) != []


def test_spec_schema_with_jsonschema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = schema_output()
    for example in EXAMPLES:
        jsonschema.validate(yaml.safe_load(example.read_text(encoding="utf-8")), schema)


def test_design_schema_accepts_a_written_design(tmp_path: Path) -> None:
    schema = schema_output("--design")
    assert schema["$id"].endswith(f"design-v1-{__version__}.json")
    assert "artifacts" in schema["required"]
    for example in EXAMPLES:
        out = tmp_path / example.stem
        assert run("design", example, "--out", out).exit_code == 0
        document = json.loads((out / "design.json").read_text(encoding="utf-8"))
        assert check(schema, document, schema) == [], example.name


# --- start-up ---------------------------------------------------------------------------------------------------


def test_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("design", "validate", "explain", "blueprints", "init", "schema"):
        assert command in result.stdout
    assert "Exit codes: 0 ok, 1 internal error, 2 bad input." in result.stdout


def test_version_in_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "archgen", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"archgen {__version__}\n"


def test_importing_the_cli_stays_light(tmp_path: Path) -> None:
    code = (
        "import sys, json, archgen.cli\n"
        "heavy = ('diagrams', 'boto3', 'pydantic', 'jinja2')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_help_in_a_real_process_imports_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from archgen.cli import main\n"
        "sys.argv = ['archgen', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    heavy = ('diagrams', 'boto3', 'pydantic', 'jinja2')\n"
        "    print(json.dumps([exit.code, sorted(m for m in sys.modules if m.split('.')[0] in heavy)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    *_, last = done.stdout.splitlines()
    assert json.loads(last) == [0, []]
