"""The only code that writes a design to disk, atomically, without ever clobbering a user's files.

The files are written into a temporary folder beside the target and moved into place in one rename. A manifest
(``.archgen-manifest.json``: path → SHA-256) records what archgen wrote, so a re-run can tell its own files from
the user's. Files the user added (``.terraform/``, state, notes) are always carried over into the new tree: archgen
never deletes a file it did not write. Generated files the user changed, or files in the way of generated ones,
stop the run unless ``--force``, which overwrites exactly those.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

from archgen.errors import OutputExistsError

MANIFEST = ".archgen-manifest.json"
SHOWN = 5


def write_tree(out: Path, files: Mapping[str, bytes], *, force: bool = False) -> None:
    """Replace ``out`` with ``files`` (relative path → content) in one atomic rename."""
    carried = _preflight(out, files, force)
    staging = out.parent / f".{out.name}.archgen-{secrets.token_hex(4)}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as exc:
        raise OutputExistsError(f"cannot create {out}: {exc.strerror or exc}") from None
    try:
        for name, content in sorted(files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        manifest = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        for name in carried:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(out / name, target)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    old = out.parent / f".{out.name}.archgen-old-{secrets.token_hex(4)}"
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _preflight(out: Path, files: Mapping[str, bytes], force: bool) -> list[str]:
    """Check ``out`` may be replaced; return the user's own files to carry over."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise OutputExistsError(f"{out} exists and is not a folder; choose another --out")
    present = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file() or path.is_symlink())
    manifest = _manifest(out)
    theirs = [name for name in present if name not in manifest and name != MANIFEST]
    carried = [name for name in theirs if name not in files]
    if force or not present:
        return carried
    if not (out / MANIFEST).is_file():
        raise OutputExistsError(
            f"{out} is not empty and was not written by archgen; use --force to write into it (files archgen "
            "does not generate are kept), or another --out"
        )
    changed = [
        name
        for name in present
        if name in manifest and hashlib.sha256((out / name).read_bytes()).hexdigest() != manifest[name]
    ]
    refused = changed + [name for name in theirs if name in files]
    if refused:
        listed = ", ".join(refused[:SHOWN]) + (f" and {len(refused) - SHOWN} more" if len(refused) > SHOWN else "")
        raise OutputExistsError(
            f"{out}: {listed} changed since archgen wrote {'it' if len(refused) == 1 else 'them'}; "
            "use --force to overwrite, or --out for a new folder"
        )
    return carried


def _manifest(out: Path) -> dict[str, str]:
    try:
        value = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
