"""Where archgen's shipped files live.

``templates/`` and ``blueprints/`` sit at the top level of the repository and inside the package in a wheel;
``archgen/data/`` holds dated, sourced data files. Nothing is fetched at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from archgen.errors import DataFileError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"

Model = TypeVar("Model", bound=BaseModel)


def _shipped(name: str) -> Path:
    inside = PACKAGE_DIR / name  # installed from a wheel
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name  # a checkout or an editable install


@cache
def templates_dir() -> Path:
    """The Jinja2 templates, one folder per output target."""
    return _shipped("templates")


@cache
def blueprints_dir() -> Path:
    """The blueprint library: one folder per pattern."""
    return _shipped("blueprints")


def read_yaml(path: Path) -> Any:
    """Plain YAML from a shipped file (the files the user writes go through ``yaml_marks`` instead)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def load_data(name: str, model: type[Model]) -> Model:
    """Load ``archgen/data/<name>`` into its pydantic model; a malformed data file is a packaging bug."""
    path = DATA_DIR / name
    try:
        return model.model_validate(read_yaml(path))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc
