"""Atomic writes: readers see the old or the new file, with the file's usual mode."""

from __future__ import annotations

import os
import stat

import pytest

from kziran.files import atomic_write_bytes, atomic_write_text


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask_mode_not_mkstemps(tmp_path):
    umask = os.umask(0o022)
    try:
        target = tmp_path / "sub" / "out.txt"
        atomic_write_text(target, "é\n")
        assert target.read_bytes() == "é\n".encode()
        assert _mode(target) == 0o644
    finally:
        os.umask(umask)


def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o640


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, object())  # not bytes: the write fails midway
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
