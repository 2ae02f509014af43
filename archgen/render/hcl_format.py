"""Make generated HCL match ``terraform fmt`` without running Terraform: indentation and ``=`` alignment.

terraform fmt indents two spaces per nesting level and, within a block, aligns the ``=`` of each run of
consecutive single-line attributes; a blank line, a comment, a nested block or a multi-line value ends a run.
Templates are written close to that; this pass makes it exact. Tests compare the result with real terraform fmt.
"""

from __future__ import annotations

import re

_ATTRIBUTE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*|\"[^\"]*\")\s*=\s*(.*)$")
_OPENERS, _CLOSERS = "{[(", "}])"


def format_hcl(text: str) -> str:
    """``text`` re-indented and aligned the way terraform fmt leaves it, with one trailing newline."""
    lines = _reindent(text.splitlines())
    return "\n".join(_align(lines)).rstrip("\n") + "\n"


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_COMMENT = re.compile(r"(#|//).*$")


def _balance(line: str) -> tuple[int, int]:
    """(closers at the start of the line, net bracket depth change), ignoring brackets in strings and comments."""
    code = _COMMENT.sub("", _STRING.sub('""', line)).strip()
    leading = len(code) - len(code.lstrip(_CLOSERS))
    return leading, sum(code.count(c) for c in _OPENERS) - sum(code.count(c) for c in _CLOSERS)


def _reindent(lines: list[str]) -> list[str]:
    """Indent one level per line that opens brackets, however many it opens (``map(object({`` is one level)."""
    out: list[str] = []
    levels: list[int] = []  # open brackets held by each indentation level
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            if out and out[-1] != "":
                out.append("")
            continue
        leading, change = _balance(stripped)
        _close(levels, leading)
        out.append("  " * len(levels) + stripped)
        rest = change + leading
        if rest > 0:
            levels.append(rest)
        else:
            _close(levels, -rest)
    while out and out[-1] == "":
        out.pop()
    return out


def _close(levels: list[int], count: int) -> None:
    while count > 0 and levels:
        taken = min(count, levels[-1])
        levels[-1] -= taken
        count -= taken
        if levels[-1] == 0:
            levels.pop()


def _align(lines: list[str]) -> list[str]:
    out = list(lines)
    run: list[int] = []

    def flush() -> None:
        if len(run) > 1:
            width = max(len(_ATTRIBUTE.match(out[i].strip()).group(1)) for i in run)  # type: ignore[union-attr]
            for i in run:
                indent = out[i][: len(out[i]) - len(out[i].lstrip())]
                match = _ATTRIBUTE.match(out[i].strip())
                assert match is not None
                out[i] = f"{indent}{match.group(1).ljust(width)} = {match.group(2)}"
        elif run:
            i = run[0]
            indent = out[i][: len(out[i]) - len(out[i].lstrip())]
            match = _ATTRIBUTE.match(out[i].strip())
            assert match is not None
            out[i] = f"{indent}{match.group(1)} = {match.group(2)}"
        run.clear()

    previous_indent = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(stripped) if stripped else None
        single = bool(_ATTRIBUTE.match(stripped)) and _balance(stripped)[1] == 0
        if single and (not run or indent == previous_indent):
            run.append(index)
        else:
            flush()
            if single:
                run.append(index)
        previous_indent = indent
    flush()
    return out
