"""``archgen init``: a commented starter spec."""

from __future__ import annotations

import re
from pathlib import Path

from archgen.errors import OutputExistsError, UserError
from archgen.render.environment import environment
from archgen.spec import DNS_LABEL


def starter_spec(name: str, file: str = "spec.yaml") -> str:
    """The starter spec text for a service called ``name``."""
    if not re.fullmatch(DNS_LABEL, name) or len(name) > 32:
        raise UserError(f"--name {name!r} is not a lowercase DNS label (a-z first; then a-z, 0-9 or '-')")
    return environment().get_template("spec/starter.yaml.j2").render(name=name, file=file)


def write_starter(path: Path, name: str, *, force: bool = False) -> None:
    """Write the starter spec; an existing file is only replaced with ``force``."""
    text = starter_spec(name, path.name)
    if path.exists() and not force:
        raise OutputExistsError(f"{path} exists; use --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
