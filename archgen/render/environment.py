"""The one Jinja2 environment: strict undefined, stable whitespace, escaping filters for every target."""

from __future__ import annotations

from functools import cache

import jinja2

from archgen.durations import format_duration
from archgen.render import escape
from archgen.resources import templates_dir


@cache
def environment() -> jinja2.Environment:
    """Templates under ``templates/``; a missing variable is an error, never an empty string."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - the targets are not HTML; each value goes through the filter for its format
    )
    env.filters.update(
        md=escape.md,
        md_paragraphs=escape.md_paragraphs,
        sentence=escape.sentence,
        md_code=escape.md_code,
        json_string=escape.json_string,
        hcl_string=escape.hcl_string,
        yaml_string=escape.yaml_string,
        duration=format_duration,
        tf_name=escape.tf_name,
        camel=escape.camel,
    )
    return env
