"""How fast archgen starts and designs: wall-clock medians of the installed CLI, and the import time of archgen.cli.

Run from the repository root with the project's venv:

    .venv/bin/python benchmarks/startup.py            # 7 runs each; rewrites the results in benchmarks/README.md
    .venv/bin/python benchmarks/startup.py --runs 21 --no-write

Each command runs once to warm the file cache, then ``--runs`` times; the table shows the median and the fastest
run. Times include the interpreter's own start-up, as a user experiences it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "benchmarks" / "README.md"
MARKERS = ("<!-- results:start -->", "<!-- results:end -->")
START_TARGET = 0.3  # seconds: `archgen --help` and `validate` should feel instant
DESIGN_TARGET = 1.0  # seconds: a design in about a second


@dataclass(frozen=True)
class Timing:
    """The measured runs of one benchmark, in seconds."""

    name: str
    runs: tuple[float, ...]
    target: float | None

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def best(self) -> float:
        return min(self.runs)


def time_command(command: list[str], runs: int, cwd: Path) -> tuple[float, ...]:
    """Wall-clock seconds of ``runs`` runs of ``command``, after one warm-up run; any failure stops the benchmark."""
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return tuple(times)


IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)$")


def import_profile(python: str, module: str, runs: int) -> tuple[tuple[float, ...], list[tuple[str, float]]]:
    """Cumulative import time of ``module`` per run (``-X importtime``), and the slowest top-level packages."""
    cumulative = []
    packages: dict[str, list[float]] = {}
    for _ in range(runs + 1):
        result = subprocess.run(
            [python, "-X", "importtime", "-c", f"import {module}"], check=True, capture_output=True, text=True
        )
        per_package: dict[str, float] = {}
        for line in result.stderr.splitlines():
            match = IMPORT_LINE.match(line)
            if not match:
                continue
            self_us, total_us, name = match.groups()
            if name == module:
                cumulative.append(int(total_us) / 1e6)
            top = name.split(".")[0]
            per_package[top] = per_package.get(top, 0.0) + int(self_us) / 1e6
        for top, seconds in per_package.items():
            packages.setdefault(top, []).append(seconds)
    slowest = sorted(((name, statistics.median(values[1:])) for name, values in packages.items()), key=lambda p: -p[1])
    return tuple(cumulative[1:]), slowest[:6]  # the first run warms the caches (and writes .pyc files)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> list[str]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    version = subprocess.run([archgen_path(), "--version"], check=True, capture_output=True, text=True).stdout.strip()
    return [
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores ({usable} usable by this process)",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- {version}, measured on {datetime.date.today().isoformat()}",
    ]


def archgen_path() -> str:
    """The console script installed next to this interpreter (the project's venv)."""
    candidate = Path(sys.executable).parent / "archgen"
    if not candidate.is_file():
        sys.exit(f"no archgen next to {sys.executable}; run with the project's venv: .venv/bin/python {__file__}")
    return str(candidate)


def benchmark(runs: int) -> tuple[list[Timing], tuple[float, ...], list[tuple[str, float]]]:
    archgen = archgen_path()
    timings = [
        Timing("`archgen --help`", time_command([archgen, "--help"], runs, ROOT), START_TARGET),
        Timing(
            "`archgen validate examples/orders-api.yaml`",
            time_command([archgen, "validate", "examples/orders-api.yaml"], runs, ROOT),
            START_TARGET,
        ),
    ]
    with tempfile.TemporaryDirectory(prefix="archgen-bench-") as scratch:
        for spec in sorted((ROOT / "examples").glob("*.yaml")):
            out = Path(scratch) / spec.stem
            command = [archgen, "design", f"examples/{spec.name}", "--out", str(out), "--force"]
            timings.append(
                Timing(f"`archgen design examples/{spec.name}`", time_command(command, runs, ROOT), DESIGN_TARGET)
            )
    imports, slowest = import_profile(sys.executable, "archgen.cli", runs)
    return timings, imports, slowest


def verdict(timing: Timing) -> str:
    if timing.target is None:
        return ""
    return f"{'✓' if timing.median < timing.target else '✗'} < {timing.target:g} s"


def report(runs: int, timings: list[Timing], imports: tuple[float, ...], slowest: list[tuple[str, float]]) -> str:
    lines = [
        *machine(),
        "",
        f"Median and fastest of {runs} runs after one warm-up, wall clock, interpreter start-up included.",
        "",
        "| Command | Median | Fastest | Target |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {t.name} | {t.median:.3f} s | {t.best:.3f} s | {verdict(t)} |" for t in timings]
    lines += [
        f"| `import archgen.cli` (`-X importtime`, cumulative) | {statistics.median(imports):.3f} s | "
        f"{min(imports):.3f} s | |",
        "",
        "Import time of `archgen.cli` by top-level package (`python -X importtime -c 'import archgen.cli'`, "
        "self time summed, median):",
        "",
        "| Package | Import time |",
        "|---|---:|",
    ]
    lines += [f"| `{name}` | {seconds * 1000:.1f} ms |" for name, seconds in slowest]
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    start, end = MARKERS
    readme = README.read_text(encoding="utf-8")
    if start not in readme or end not in readme:
        sys.exit(f"{README} lacks the {start} / {end} markers")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    README.write_text(pattern.sub(lambda _: f"{start}\n{text}{end}", readme), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--no-write", action="store_true", help="print the results; leave benchmarks/README.md")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    timings, imports, slowest = benchmark(args.runs)
    text = report(args.runs, timings, imports, slowest)
    sys.stdout.write(text)
    if not args.no_write:
        write_results(text)
        print(f"\nwrote the results into {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
