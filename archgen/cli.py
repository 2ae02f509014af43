"""The command line: thin commands over the public API. The only module that prints errors or picks exit codes.

Exit codes: 0 success, 1 internal error (a bug: please report it) or, for ``check``, a finding or a validator that
failed to run, 2 bad input (spec problems, an output folder that is in the way, a usage error).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from archgen import __version__
from archgen.console import say, table, warn
from archgen.errors import ArchgenError, SpecError

EXIT_OK, EXIT_INTERNAL, EXIT_USER = 0, 1, 2

app = typer.Typer(
    name="archgen",
    help="Architecture design generator: from a requirements spec to a reasoned AWS design.\n\n"
    "Exit codes: 0 ok, 1 internal error, 2 bad input.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)
blueprints_app = typer.Typer(help="Describe the blueprint library.", no_args_is_help=True)
app.add_typer(blueprints_app, name="blueprints")

SpecArg = Annotated[Path, typer.Argument(help="The requirements spec (YAML).", show_default=False)]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit 1 also when a validator is not installed (results incomplete).")
]


@contextmanager
def reporting() -> Iterator[None]:
    """Turn archgen's exceptions into one-line messages and exit codes; a traceback only with ARCHGEN_DEBUG=1."""
    try:
        yield
    except SpecError as exc:
        warn(str(exc))  # already one located line per problem
        raise typer.Exit(exc.exit_code) from None
    except ArchgenError as exc:
        warn(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        # the reader went away (`archgen cost … | head`): stop quietly, and keep Python's own flush at exit quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except Exception as exc:
        if os.environ.get("ARCHGEN_DEBUG"):
            raise
        warn(
            f"internal error: {type(exc).__name__}: {exc}\n(a bug in archgen; re-run with ARCHGEN_DEBUG=1 "
            "for the traceback and please report it)"
        )
        raise typer.Exit(EXIT_INTERNAL) from None


@contextmanager
def render_warnings() -> Iterator[None]:
    """Each warning a renderer issued (no Graphviz: no SVG or PNG) once on stderr; the run still succeeds."""
    from archgen.render.result import RenderWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RenderWarning)
        yield
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, RenderWarning)):
        warn(f"warning: {message}")
    for other in (w for w in caught if not issubclass(w.category, RenderWarning)):
        warnings.showwarning(other.message, other.category, other.filename, other.lineno)


def _version(value: bool) -> None:
    if value:
        say(f"archgen {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Architecture design generator."""


@app.command()
def design(  # noqa: PLR0917 - one parameter per option, as Typer wants
    spec: SpecArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder. Default: ./<name>/", show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an output folder archgen did not write.")] = False,
    target: Annotated[
        str,
        typer.Option(
            "--target",
            metavar="T1,T2",
            help="Infrastructure-as-code targets, comma-separated: terraform, cloudformation.",
        ),
    ] = "terraform",
    kubernetes: Annotated[
        bool,
        typer.Option(
            "--kubernetes",
            help="Also write Kubernetes manifests for an ECS or EC2 container design (EKS designs always get them).",
        ),
    ] = False,
    explore: Annotated[
        list[str] | None,
        typer.Option(
            "--explore",
            metavar="KEY=V1,V2,...",
            help="Re-plan across these values and put the comparison and its chart in DESIGN.md (repeatable).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Then run `archgen check` on the written folder; exit code as check's.")
    ] = False,
    strict: StrictOption = False,
) -> None:
    """Design the service in SPEC and write design.json, DESIGN.md and the artifacts.

    Example: archgen design examples/orders-api.yaml --out build/orders-api --check
    """
    with reporting():
        from archgen.api import DesignOptions
        from archgen.api import design as run_design

        if strict and not check:
            from archgen.errors import UserError

            raise UserError("--strict applies to --check: add --check, or drop --strict")

        from archgen.render import parse_targets

        options = DesignOptions(
            out=out, force=force, targets=parse_targets(target), kubernetes=kubernetes, explore=tuple(explore or ())
        )
        with render_warnings():
            result = run_design(spec, options)
        decisions = result.design.decisions
        say(f"wrote {result.out}/ ({len(result.files)} files)")
        table(
            ["decision", "choice"],
            [(key, decision.choice) for key, decision in decisions.items()],
        )
        if result.design.cost is not None:
            from archgen.cost_report import cost_brief

            say(cost_brief(result.design.cost).rstrip("\n"))
        if check:
            say("")
            code = _run_check(result.out, strict=strict)
    if check:
        raise typer.Exit(code)


@app.command("check")
def check_design(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="A design folder written by `archgen design`.", show_default=False)
    ],
    strict: StrictOption = False,
) -> None:
    """Run every validator on this machine over the design in DIR and write DIR/checks.json.

    terraform fmt and validate (each root, in a temporary copy), checkov, cfn-lint, kubectl kustomize and
    kubernetes-validate, as far as the design has the artifacts and the machine has the tools. Exit 1 on any
    finding or error; a validator that is not installed is reported with how to install it, and fails the run
    only with --strict.

    Example: archgen check build/orders-api
    """
    with reporting():
        code = _run_check(directory, strict=strict)
    raise typer.Exit(code)


def _run_check(directory: Path, *, strict: bool) -> int:
    from archgen.check import run_checks, summary_lines, write_report

    report = run_checks(directory)
    table(["tool", "version", "target", "findings", "status"], report.rows())
    for line in summary_lines(report):
        say(line)
    written = write_report(directory, report)
    say(f"wrote {written}: {report.status}, {report.findings} finding(s)")
    return report.exit_code(strict=strict)


@app.command()
def validate(specs: Annotated[list[Path], typer.Argument(help="One or more specs.", show_default=False)]) -> None:
    """Check specs without rendering anything. Every problem is reported, each at file:line:col.

    Example: archgen validate examples/*.yaml
    """
    from archgen.spec_loader import load_spec

    failed = False
    for path in specs:
        with reporting():
            try:
                spec = load_spec(path)
            except SpecError as exc:
                warn(str(exc))
                failed = True
                continue
            say(f"{path}: ok ({spec.workload}, {len(spec.service_list)} service(s), {len(spec.data)} data store(s))")
    if failed:
        raise typer.Exit(EXIT_USER)


@app.command()
def explain(spec: SpecArg) -> None:
    """Show how every blueprint scored against SPEC, and each decision with its rationale.

    Example: archgen explain examples/orders-api.yaml
    """
    with reporting():
        from archgen.api import design_from_spec
        from archgen.spec_loader import load_spec

        ranking, planned = design_from_spec(load_spec(spec))
        for match in ranking.matches:
            verdict = f"score {match.score}" if match.fits else "rejected"
            say(f"{match.blueprint.id}: {verdict}")
            for reason in match.requirements:
                say(f"  {'✓' if reason.passed else '✗'} requires: {reason.text}")
            for preference in match.preferences:
                for reason in preference.reasons:
                    say(f"  {'✓' if reason.passed else '✗'} prefers (+{preference.weight}): {reason.text}")
        say("")
        for key, decision in planned.decisions.items():
            say(f"{key}: {decision.choice}")
            say(f"  why: {decision.rationale}")
            for alternative in decision.alternatives:
                say(f"  not {alternative.choice}: {alternative.why_not}")


FormatOption = Annotated[str, typer.Option("--format", help="table, json, csv or md.")]


@app.command()
def cost(spec: SpecArg, output: FormatOption = "table") -> None:
    """Print what the design of SPEC costs a month: every priced line, the total and the budget check.

    Also the cheaper variants the budget search considered and what each requirement costs. Nothing is written;
    an over-budget design still exits 0 (the output says by how much).

    Example: archgen cost examples/orders-api.yaml --format csv > cost.csv
    """
    with reporting():
        from archgen.api import design_from_spec
        from archgen.cost_report import FORMATS, render_cost
        from archgen.errors import UserError
        from archgen.spec_loader import load_spec

        if output not in FORMATS:
            raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
        _, planned = design_from_spec(load_spec(spec))
        if planned.cost is None:
            raise ArchgenError("the planner returned a design without a cost")
        sys.stdout.write(render_cost(planned.cost, output, planned.name))


@app.command()
def explore(
    spec: SpecArg,
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            metavar="KEY=V1,V2,...",
            help="KEY=V1,V2,...: a dotted spec key and the values to try (repeat for more keys; "
            "at most 200 combinations).",
            show_default=False,
        ),
    ],
    output: FormatOption = "table",
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also write a chart of the monthly cost (.png or .svg).", show_default=False),
    ] = None,
) -> None:
    """Re-plan SPEC for every combination of the varied keys and compare cost, DR strategy and availability.

    Example: archgen explore examples/orders-api.yaml --vary availability.rto=4h,1h,15m,1m
    --vary availability.slo=99.9,99.95,99.99 --chart rto.png
    """
    with reporting():
        from archgen.errors import UserError
        from archgen.explore import FORMATS, check_varies, parse_vary, render_exploration
        from archgen.explore import explore as run_explore
        from archgen.spec_loader import load_spec
        from archgen.yaml_marks import load_yaml

        if output not in FORMATS:
            raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
        chart_format = chart.suffix.lower().lstrip(".") if chart is not None else ""
        if chart is not None and chart_format not in ("png", "svg"):
            raise UserError(f"--chart {chart}: the file name must end in .png or .svg")
        varies = [parse_vary(text) for text in vary]
        check_varies(varies)
        load_spec(spec)  # every problem of the spec itself, located, before anything is planned
        document, _ = load_yaml(spec.read_text(encoding="utf-8"), str(spec))
        exploration = run_explore(document, str(spec), varies)
        sys.stdout.write(render_exploration(exploration, output))
        if chart is not None:
            from archgen.render.explore_chart import chart as draw_chart

            image = draw_chart(exploration, chart_format)
            try:
                chart.write_bytes(image)
            except OSError as exc:
                raise UserError(f"--chart {chart}: cannot write: {exc.strerror or exc}") from None
            warn(f"wrote {chart}")


@blueprints_app.command("list")
def blueprints_list(
    output: Annotated[str, typer.Option("--format", help="table, markdown or json.")] = "table",
) -> None:
    """List the blueprints in the library."""
    with reporting():
        from archgen.blueprint import blueprint_library
        from archgen.docs import blueprint_table_markdown

        library = blueprint_library()
        if output == "markdown":
            sys.stdout.write(blueprint_table_markdown())
        elif output == "json":
            say(json.dumps([b.model_dump(mode="json", by_alias=True) for b in library], indent=2))
        elif output == "table":
            table(["id", "title", "compute"], [(b.id, b.title, ", ".join(b.compute)) for b in library])
        else:
            warn(f"error: --format must be table, markdown or json, not {output!r}")
            raise typer.Exit(EXIT_USER)


@blueprints_app.command("show")
def blueprints_show(blueprint_id: Annotated[str, typer.Argument(metavar="ID", help="A blueprint id.")]) -> None:
    """Describe one blueprint: what it is, when it fits, its components."""
    with reporting():
        from archgen.blueprint import get_blueprint
        from archgen.docs import describe_blueprint

        say(describe_blueprint(get_blueprint(blueprint_id)))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter spec.")] = Path("spec.yaml"),
    name: Annotated[str, typer.Option(help="The service name (a lowercase DNS label).")] = "my-service",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter spec to edit.

    Example: archgen init orders.yaml --name orders
    """
    with reporting():
        from archgen.starter import write_starter

        write_starter(path, name, force=force)
        say(f"wrote {path}: edit it, then run `archgen design {path}`")


@app.command()
def schema(
    design_schema: Annotated[bool, typer.Option("--design", help="The schema of design.json instead.")] = False,
) -> None:
    """Print the JSON Schema of the spec (for editor completion and checks), or of design.json."""
    with reporting():
        from archgen.schemas import design_json_schema, spec_json_schema

        say(json.dumps(design_json_schema() if design_schema else spec_json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Console-script entry point."""
    app()
