"""The one exception tree. Library code raises these; only ``archgen.cli`` turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file, printed compiler-style: ``file:line:col: field: message``."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ArchgenError(Exception):
    """Base of every error archgen raises on purpose."""

    exit_code = 1


class UserError(ArchgenError):
    """Something the user can fix: bad input, a folder in the way. Exit code 2, never a traceback."""

    exit_code = 2


class SpecError(UserError):
    """A spec (or other input file) has one or more problems; all of them are collected before raising."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BlueprintError(ArchgenError):
    """A blueprint in the library is malformed. An internal error for users, a located one for authors."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NoBlueprintFitsError(UserError):
    """Every blueprint in the library rejected the spec; the message carries each rejection reason."""


class OutputExistsError(UserError):
    """The output folder holds files archgen did not write (or the user changed); refused without ``--force``."""


class DataFileError(ArchgenError):
    """A data file shipped in the package is malformed: a packaging bug, not a user error."""
