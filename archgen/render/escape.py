"""Escaping filters: free text from a spec can never break or inject into the formats archgen writes.

Each target gets its own function; templates apply them through the Jinja filters of the same names.
"""

from __future__ import annotations

import json
import re

_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+=-])")
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def md(text: object) -> str:
    """Inline Markdown: one line, Markdown punctuation backslash-escaped, HTML neutralised as entities."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_INLINE.sub(r"\\\1", value)
    # a leading "#", ">", "-" … or "1." would start a heading, quote or list; escape the marker's punctuation
    value = _MD_BLOCK_START.sub(r"\1\\\2", value)
    return _MD_LIST_NUMBER.sub(r"\1\\\2", value)


def sentence(text: object) -> str:
    """First letter upper-cased (decision rationales are written as clauses)."""
    value = str(text)
    return value[:1].upper() + value[1:]


def md_paragraphs(text: object) -> str:
    """Free text as Markdown paragraphs: blank lines kept as paragraph breaks, everything else escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", str(text).strip()) if p.strip()]
    return "\n\n".join(md(p) for p in paragraphs)


def md_code(text: object) -> str:
    """An inline code span that holds any text: the fence is longer than any backtick run inside it."""
    value = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def tf_name(component_id: object) -> str:
    """A component id as a Terraform identifier: ``data-orders`` → ``data_orders`` (ids are DNS-label safe)."""
    return str(component_id).replace("-", "_")


def camel(identifier: object) -> str:
    """A lowercase hyphenated id as a CloudFormation logical id: ``cloudtrail-enabled`` → ``CloudtrailEnabled``."""
    name = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", str(identifier)) if part)
    if not name or not name[0].isalpha():
        raise ValueError(f"{identifier!r} cannot be a logical id")
    return name


def json_string(text: object) -> str:
    """A JSON (and YAML flow, and HCL) compatible double-quoted string literal."""
    return json.dumps(str(text), ensure_ascii=False)


# Characters written as \uXXXX in HCL and YAML strings: C0 and C1 controls, DEL, YAML's extra line breaks
# (NEL, LS, PS), the BOM and non-characters, and lone surrogates (which no encoder can write).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quoted(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = _UNSAFE.sub(lambda m: _SHORT.get(m.group(), f"\\u{ord(m.group()):04x}"), body)
    return f'"{body}"'


def hcl_string(text: object) -> str:
    """A quoted HCL string: escapes HCL accepts, and its template sequences ``${`` and ``%{`` neutralised."""
    return _quoted(str(text)).replace("${", "$${").replace("%{", "%%{")


def yaml_string(text: object) -> str:
    """A double-quoted YAML scalar: printable Unicode kept as is, everything else escaped."""
    return _quoted(str(text))
