"""The committed notebooks: order, outputs, hidden plumbing, no volatile data, glued numbers."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from kziran.paths import PROJECT
from kziran.tooling.execute import book_notebooks

SECTIONS = ["01_introduction", "02_methods", "03_discussion", "04_results", "05_conclusion"]
NOTEBOOKS = book_notebooks()

# Names that contain digits but are not figures.
IDENTIFIERS = re.compile(
    r"(P5\+1|E3\+3|EU3\+3|C5\+1|G-?20|PS ?752|EXPO-?2017|Flight 752|\b[CEATF]\d{3}\b|page \d+)"
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATES = re.compile(rf"\b\d{{1,2}}(–\d{{1,2}})? ({MONTHS})\b|\b({MONTHS}) \d{{1,2}}\b")
YEARS = re.compile(r"\b(1[89]|20)\d{2}(s|–(1[89]|20)\d{2})?\b")


def read(path):
    return nbformat.read(path, as_version=4)


def unglued_figures(markdown: str) -> list[str]:
    """Digits left in prose once roles, code, links, dates, years and names are removed."""
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", markdown)  # roles: glue, cite, numref, doc
    text = re.sub(r"^(```|:::).*$|^:[\w-]+:.*$", " ", text, flags=re.MULTILINE)  # directive lines
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)|<https?://[^>]*>", " ", text)  # link targets
    text = re.sub(r"^\([\w-]+\)=$", " ", text, flags=re.MULTILINE)  # labels
    for pattern in (IDENTIFIERS, DATES, YEARS):
        text = pattern.sub(" ", text)
    return re.findall(r"\d[\d,.]*", text)


def test_one_chapter_per_section_in_the_articles_order():
    toc = yaml.safe_load(PROJECT.toc.read_text())
    chapters = [c["file"] for c in toc["parts"][0]["chapters"]]
    assert chapters == [f"notebooks/{s}" for s in SECTIONS]
    assert all((PROJECT.root / f"{c}.ipynb").exists() for c in chapters)
    # A chapter's sub-pages belong to it: their files start with the chapter's name.
    for chapter in toc["parts"][0]["chapters"]:
        for section in chapter.get("sections", []):
            assert section["file"].startswith(chapter["file"] + "_"), section


def test_every_notebook_is_in_the_book():
    assert sorted(PROJECT.notebooks.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton(path):
    """One title, hidden imports first, every code cell hidden, more prose than code."""
    nb = read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    titles = [c for c in nb.cells if c.cell_type == "markdown"
              for line in c.source.splitlines() if line.startswith("# ")]
    assert len(titles) == 1, "exactly one '#' title"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "remove-cell" in code[0].metadata.get("tags", []), "imports are hidden"
    for cell in code:
        tags = cell.metadata.get("tags", [])
        assert {"remove-cell", "remove-input", "hide-input"} & set(tags), (
            f"code cell {cell.id} shows its plumbing")
    prose = sum(len(c.source) for c in nb.cells if c.cell_type == "markdown")
    source = sum(len(c.source) for c in code)
    assert prose > source, "prose carries the argument"
    assert not [c.id for c in code if "assert " in c.source], "asserts belong in the tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_with_outputs_and_no_volatile_metadata(path):
    nb = read(path)
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-z]+-\d{2}", i) for i in ids)
    assert "iopub" not in path.read_text(encoding="utf-8")
    assert "version" not in nb.metadata.get("language_info", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {cell.id} was not executed"
        assert "execution" not in cell.metadata
        text = nbformat.writes(nbformat.from_dict({"cells": [cell], "metadata": {},
                                                   "nbformat": 4, "nbformat_minor": 5}))
        for volatile in ("/tmp/", "/work/", "/home/", "/root/", "ipykernel_", " at 0x"):
            assert volatile not in text, f"cell {cell.id} output has {volatile!r}"
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell {cell.id} raised"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"cell {cell.id} wrote to stderr: {out.text[:200]}")


def hidden_results(nb) -> list[str]:
    """Removed cells whose outputs hold more than glue records: copies nobody sees."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "remove-cell" not in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            shown = [m for m in out.get("data", {}) if not m.startswith("application/papermill")]
            if out.output_type == "execute_result" or (shown and shown != ["text/plain"]):
                found.append(f"{cell.id}: {out.output_type} {shown}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_removed_cells_carry_only_their_glue(path):
    """A glued table or figure is stored once (its glue record), not again as the result of
    a cell that the book removes (which made the results notebook twice its size)."""
    assert hidden_results(read(path)) == []


def test_hidden_results_check_can_fail():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("book.glue_figure(...)", metadata={"tags": ["remove-cell"]})
    cell.outputs = [nbformat.v4.new_output("execute_result", {"image/png": "iVBOR"},
                                           execution_count=1)]
    nb.cells.append(cell)
    found = hidden_results(nb)
    assert len(found) == 1 and "execute_result ['image/png']" in found[0], found
    # The glue record alone is what such a cell should hold.
    cell.outputs = [nbformat.v4.new_output(
        "display_data", {"application/papermill.record/image/png": "iVBOR"})]
    assert hidden_results(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_prose_is_glued(path):
    nb = read(path)
    offenders = {c.id: unglued_figures(c.source) for c in nb.cells if c.cell_type == "markdown"}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"figures typed into prose (glue them): {offenders}"


@pytest.mark.parametrize("text,found", [
    ("Trade reached 2,451 million in 2007.", ["2,451"]),
    ("Trade reached {glue:text}`x:,.0f` million in 2007.", []),
    ("Talks on 26–27 February 2013 and the P5+1.", []),
    ("A share of 4.2 per cent.", ["4.2"]),
    ("The 1990s and 2006–2008, see {numref}`tbl-x`.", []),
    ("Claim C012 and event E003.", []),
])
def test_glue_rule_can_fail(text, found):
    assert unglued_figures(text) == found
