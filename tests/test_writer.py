"""The atomic writer: replaces its own output, keeps what the user added, refuses to clobber anything else."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from archgen.errors import OutputExistsError, UserError
from archgen.render.writer import MANIFEST, write_tree

FILES = {"DESIGN.md": b"# design\n", "design.json": b"{}\n", "terraform/main.tf": b"# tf\n"}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    """Temporary folders the writer uses (staging and old copies) that are still there."""
    return sorted(p.name for p in parent.iterdir() if ".archgen-" in p.name)


def test_creates_the_folder_with_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "out"
    write_tree(out, FILES)
    written = tree(out)
    assert {name: written[name] for name in FILES} == FILES
    manifest = json.loads(written[MANIFEST])
    assert manifest == {name: hashlib.sha256(content).hexdigest() for name, content in FILES.items()}
    assert set(written) == {*FILES, MANIFEST}
    assert leftovers(out.parent) == []


def test_rerun_replaces_its_own_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    write_tree(out, {"DESIGN.md": b"# new\n", "design.json": b"[]\n"})
    written = tree(out)
    assert written["DESIGN.md"] == b"# new\n"
    assert "terraform/main.tf" not in written  # no longer generated, unchanged by the user: dropped
    assert set(json.loads(written[MANIFEST])) == {"DESIGN.md", "design.json"}
    assert leftovers(tmp_path) == []


def test_rerun_with_identical_content_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    before = tree(out)
    write_tree(out, FILES)
    assert tree(out) == before


def test_user_edited_generated_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / "DESIGN.md").write_bytes(b"# my edits\n")
    with pytest.raises(OutputExistsError, match=r"DESIGN\.md changed since archgen wrote it; use --force"):
        write_tree(out, {"DESIGN.md": b"# new\n", "design.json": b"{}\n"})
    assert (out / "DESIGN.md").read_bytes() == b"# my edits\n"
    assert leftovers(tmp_path) == []


def test_force_overwrites_a_user_edited_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / "DESIGN.md").write_bytes(b"# my edits\n")
    write_tree(out, {"DESIGN.md": b"# new\n"}, force=True)
    assert tree(out) == {"DESIGN.md": b"# new\n", MANIFEST: tree(out)[MANIFEST]}


def test_many_changed_files_are_summarised(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {f"f{i}.txt": b"x" for i in range(8)}
    write_tree(out, files)
    for name in files:
        (out / name).write_bytes(b"changed")
    with pytest.raises(
        OutputExistsError,
        match=r"f0\.txt, f1\.txt, f2\.txt, f3\.txt, f4\.txt and 3 more changed "
        "since archgen wrote them",
    ):
        write_tree(out, files)


def test_user_added_files_are_carried_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / ".terraform").mkdir()
    (out / ".terraform" / "x").write_bytes(b"provider cache")
    (out / "notes.txt").write_bytes(b"my notes")
    (out / "terraform" / "terraform.tfstate").write_bytes(b"{state}")
    write_tree(out, {**FILES, "DESIGN.md": b"# v2\n"})
    written = tree(out)
    assert written[".terraform/x"] == b"provider cache"
    assert written["notes.txt"] == b"my notes"
    assert written["terraform/terraform.tfstate"] == b"{state}"
    assert written["DESIGN.md"] == b"# v2\n"
    # carried files stay the user's: they are not adopted into the manifest
    assert set(json.loads(written[MANIFEST])) == set(FILES)
    assert leftovers(tmp_path) == []


def test_user_file_where_a_new_generated_file_goes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, {"DESIGN.md": b"x"})
    (out / "design.json").write_bytes(b"mine")
    with pytest.raises(OutputExistsError, match=r"design\.json changed since archgen wrote it"):
        write_tree(out, {"DESIGN.md": b"x", "design.json": b"{}"})
    assert (out / "design.json").read_bytes() == b"mine"


def test_force_still_carries_user_added_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / "DESIGN.md").write_bytes(b"# my edits\n")
    (out / "terraform.tfstate").write_bytes(b"{state}")
    write_tree(out, FILES, force=True)
    assert (out / "terraform.tfstate").read_bytes() == b"{state}"


def test_non_empty_folder_without_manifest_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "important.txt").write_bytes(b"keep me")
    with pytest.raises(OutputExistsError, match="is not empty and was not written by archgen; use --force") as caught:
        write_tree(out, FILES)
    assert isinstance(caught.value, UserError)
    assert caught.value.exit_code == 2
    assert tree(out) == {"important.txt": b"keep me"}
    assert leftovers(tmp_path) == []


def test_force_writes_into_a_foreign_folder_and_keeps_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "important.txt").write_bytes(b"old")
    (out / "DESIGN.md").write_bytes(b"someone else's")
    write_tree(out, FILES, force=True)
    assert set(tree(out)) == {*FILES, MANIFEST, "important.txt"}
    assert (out / "important.txt").read_bytes() == b"old"
    assert (out / "DESIGN.md").read_bytes() == FILES["DESIGN.md"]
    assert leftovers(tmp_path) == []


def test_empty_existing_folder_is_used(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "empty-subfolder").mkdir(parents=True)
    write_tree(out, FILES)
    assert set(tree(out)) == {*FILES, MANIFEST}


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_bytes(b"a file")
    for force in (False, True):
        with pytest.raises(OutputExistsError, match="exists and is not a folder"):
            write_tree(out, FILES, force=force)
    assert out.read_bytes() == b"a file"
    assert leftovers(tmp_path) == []


def test_corrupt_manifest_protects_the_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / MANIFEST).write_text("not json", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_tree(out, FILES)
    assert (out / "DESIGN.md").read_bytes() == FILES["DESIGN.md"]


def test_failure_while_writing_leaves_no_temporary_folder_and_the_old_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    before = tree(out)
    # "clash" is written as a file, so "clash/inner" cannot be: the write fails half-way
    with pytest.raises(OSError, match=r"File exists|Not a directory"):
        write_tree(out, {"a.txt": b"a", "clash": b"file", "clash/inner": b"x"})
    assert tree(out) == before
    assert leftovers(tmp_path) == []


def test_failure_on_a_new_folder_creates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OSError, match=r"File exists|Not a directory"):
        write_tree(out, {"clash": b"file", "clash/inner": b"x"})
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_interrupt_while_writing_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"

    def interrupted(self: Path, data: bytes) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, FILES)
    monkeypatch.undo()
    assert not out.exists()
    assert leftovers(tmp_path) == []
