"""Shared fixtures: the repository, throw-away copies of the project, a toy book."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kziran.paths import PROJECT

ROOT = PROJECT.root
PY = sys.executable
COPY_ITEMS = ("kziran", "data", "notebooks", "book", "locales", "_config.yml", "_toc.yml", "Makefile",
              "requirements.txt", "pyproject.toml", "CITATION.cff")


def copy_project(dst: Path) -> Path:
    dst.mkdir(parents=True)
    for item in COPY_ITEMS:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, dst / item, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(src, dst / item)
    (dst / ".venv").symlink_to(ROOT / ".venv")
    return dst


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project (sharing the installed .venv) to break without fear."""
    return copy_project(tmp_path / "project")


TOY_TOC = """format: jb-book
root: notebooks/toy_sources
chapters:
  - file: notebooks/toy_events
"""


def _toy_notebook(title: str, resource: str, column: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    code = (f"from kziran.data import load\nfrom kziran.presentation import glue\n"
            f"glue.glue_text('first', glue.escaped(str(load({resource!r})[{column!r}].iloc[0])))")
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nFirst row: {{glue:md}}`first`"),
                nbformat.v4.new_code_cell(code, metadata={"tags": ["remove-cell"]})]
    for i, cell in enumerate(nb.cells):
        cell.id = f"toy-{i:02d}"
    return nb


@pytest.fixture
def toy_project(tmp_path: Path) -> Path:
    """A copy of the project whose book is two small notebooks: one reads the sources, one
    the events (the real notebooks stay in notebooks/, outside the toy's table of
    contents). Executing and building it costs seconds."""
    d = copy_project(tmp_path / "toy")
    (d / "_toc.yml").write_text(TOY_TOC, encoding="utf-8")
    nbformat.write(_toy_notebook("Toy sources", "sources", "title"),
                   d / "notebooks" / "toy_sources.ipynb")
    nbformat.write(_toy_notebook("Toy events", "events", "event_en"),
                   d / "notebooks" / "toy_events.ipynb")
    return d


def run_py(cwd: Path, *args: str, env: dict | None = None,
           timeout: int = 300) -> subprocess.CompletedProcess:
    """Run `python -m ...` with the copy's own package first on the path."""
    full_env = dict(os.environ, PYTHONPATH=str(cwd), **(env or {}))
    return subprocess.run([PY, *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          check=False, timeout=timeout)


BOOK_ARGS = ("--builder", "html", "--warningiserror", "--nitpick", "--keep-going", "--quiet")

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
    html = PROJECT.html
    if not (html / "index.html").exists():
        pytest.skip("the book is not built; run `make book` (make test builds it first)")
    return html


def toc_pages() -> list[str]:
    """Every page of the book's table of contents, in reading order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(PROJECT.toc))


def chapter_pages() -> list[str]:
    """The pages of the article's sections (the first part of the table of contents)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(PROJECT.toc)

    def with_children(doc):
        return [doc] + [d for tree in site[doc].subtrees for c in tree.items
                        for d in with_children(c)]

    return [p for c in site[site.root.docname].subtrees[0].items for p in with_children(c)]


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
