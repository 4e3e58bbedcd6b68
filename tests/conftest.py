"""Shared fixtures: the repository root and throw-away copies of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
COPY_ITEMS = ("kziran", "data", "notebooks", "book", "_config.yml", "_toc.yml", "Makefile",
              "requirements.txt", "pyproject.toml", "tests", "CITATION.cff")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project (sharing the installed .venv) to break without fear."""
    dst = tmp_path / "project"
    dst.mkdir()
    for item in COPY_ITEMS:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, dst / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dst / item)
    (dst / ".venv").symlink_to(ROOT / ".venv")
    return dst


def run_py(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m ...` with the copy's own package first on the path."""
    full_env = dict(os.environ, PYTHONPATH=str(cwd), **(env or {}))
    return subprocess.run([PY, *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          check=False)


_CURRENT: dict = {}


@pytest.fixture(autouse=True)
def _current_test(request):
    _CURRENT["item"] = request.node
    yield
    _CURRENT.pop("item", None)


def built_html() -> Path:
    """The built HTML book. Only tests marked `book` may read it: `make test` runs them
    after its strict build, and the others while the PDF and that build are made."""
    item = _CURRENT.get("item")
    if item is not None and item.get_closest_marker("book") is None:
        pytest.fail(f"{item.nodeid} reads the built book: mark it @pytest.mark.book, so "
                    "that make test runs it after the build", pytrace=False)
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.skip("the book is not built; run `make book` (make test builds it first)")
    return html


def processes_under(d) -> list[str]:
    """Running processes whose working directory is inside the folder d."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd == str(d) or cwd.startswith(f"{d}/"):
            found.append(f"{proc.name}: {cmd}")
    return found
