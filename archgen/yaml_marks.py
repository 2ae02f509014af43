"""YAML loading that remembers where every value came from, so errors can point at ``file:line:col``.

PyYAML's composer keeps a mark on every node; we build plain Python values from the node tree ourselves and record
the position of each value (and of each mapping key) under its path. Duplicate keys, which PyYAML would silently
let the last one win, are reported as problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from archgen.errors import Problem, SpecError

Path = tuple[str | int, ...]

try:  # the C loader is several times faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Marks:
    """Positions (1-based line, column) of values and mapping keys, by path."""

    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path``; falls back to the nearest enclosing value that has one."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.values:
                return self.values[path[:cut]]
        return (1, 1)


# Aliases can make a small file expand enormously ("billion laughs"); no real spec comes near this many values.
MAX_VALUES = 100_000


STANDARD_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class _Builder:
    marks: Marks
    problems: list[Problem]
    scalars: yaml.constructor.SafeConstructor = field(default_factory=yaml.constructor.SafeConstructor)
    count: int = 0
    active: set[int] = field(default_factory=set)  # collections being built: an alias back to one is a cycle

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise SpecError([Problem(self.marks.file, *self.marks.locate(path), "", "too many values (aliases?)")])
        self.marks.values[path] = _position(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if node.tag not in STANDARD_COLLECTIONS:
            return self._fail(node, path, f"unsupported YAML tag {node.tag!r}")
        if id(node) in self.active:
            return self._fail(node, path, "an alias refers to a value that contains it (a cycle)")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError:
            return self._fail(node, path, f"unsupported YAML tag {node.tag!r}")

    def _fail(self, node: yaml.Node, path: Path, message: str) -> None:
        self.problems.append(Problem(self.marks.file, *_position(node), dotted(path), message))

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, path, "merge keys (<<) are not supported; write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, path, "a key must be a plain value, not a list or mapping")
                continue
            key = str(self._scalar(key_node, path))
            where = _position(key_node)
            if key in result:
                first = self.marks.keys[(*path, key)][0]
                message = f"duplicate key (YAML would silently keep only the last one); first defined on line {first}"
                self.problems.append(Problem(self.marks.file, *where, dotted((*path, key)), message))
                continue
            self.marks.keys[(*path, key)] = where
            result[key] = self.build(value_node, (*path, key))
        return result


def _position(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def dotted(path: Path) -> str:
    """``("data", 0, "kind")`` → ``data[0].kind``: how a field is named in messages."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def load_yaml(text: str, file: str) -> tuple[Any, Marks]:
    """Parse one YAML document; return the plain value and its marks, or raise SpecError with located problems."""
    marks = Marks(file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem])) or "not valid YAML"
        raise SpecError([Problem(file, line, col, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        raise SpecError([Problem(file, 1, 1, "", f"YAML error: {exc}")]) from None
    if node is None:
        return None, marks
    problems: list[Problem] = []
    value = _Builder(marks, problems).build(node, ())
    if problems:
        raise SpecError(problems)
    return value, marks
