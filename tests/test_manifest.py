"""Editions that can be compared: every build's manifest, and the diff between two builds."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import jsonschema
import nbformat
import pytest
from conftest import BOOK_ARGS, built_html, copy_project, run_py

from kziran.data import PACKAGE, load
from kziran.publishing.manifest import SCHEMA
from kziran.tooling.diff import compare


@pytest.mark.book
def test_every_build_describes_its_edition():
    manifest = json.loads((built_html() / "edition.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, SCHEMA)
    assert set(manifest["data"]) >= {PACKAGE.where(n) for n in PACKAGE.names()}
    assert len(manifest["claims"]) == len(load("claims"))
    assert len(manifest["tables"]) >= 20 and len(manifest["figures"]) >= 4
    assert len(manifest["values"]) >= 100
    assert all(t["number"] for t in manifest["tables"] + manifest["figures"])
    printed = [v for v in manifest["values"] if v["printed"]]
    assert printed and all(v["computed"] is not None for v in printed)
    empty = compare(manifest, manifest)
    assert not any(empty[k] for k in ("numbers", "tables", "figures", "verdicts", "data"))


TOY = {
    "toy_events": """from kziran.data import load
from kziran.presentation import Table, figures, glue
import matplotlib.pyplot as plt
glue.setup()
ev = load("events")
counts = ev["category"].value_counts().sort_index()
glue.glue_numbers(toy_security=int(counts["security"]), toy_events=len(ev))
fig, ax = plt.subplots()
ax.bar(counts.index, counts.values)
glue.glue_figure("fig-toy-events", figures.Figure(fig, "Events of the timeline by category"))
first = ev[["event_id", "category"]].head(3).rename(columns={"event_id": "entry"})
Table(lambda lang: first, name="tbl-register-events", index=False)""",
    "toy_sources": """from kziran.data import load
from kziran.presentation import Table, glue
glue.setup()
src = load("sources")
glue.glue_numbers(toy_sources=len(src))
Table(lambda lang: src[["key"]].head(3).rename(columns={"key": "work"}), name="tbl-cited-works",
      index=False)""",
}
PROSE = {"toy_events": "# Toy events\n\nSecurity events: {glue:text}`toy_security`, all: "
                       "{glue:text}`toy_events`.\n\n```{glue:figure} fig-toy-events\n"
                       ":name: fig-toy-events\n\nBy category.\n```",
         "toy_sources": "# Toy sources\n\nSources: {glue:text}`toy_sources`."}


def test_the_diff_names_exactly_what_depends_on_a_changed_cell(tmp_path):
    d = copy_project(tmp_path / "repo")
    (d / "_toc.yml").write_text("format: jb-book\nroot: notebooks/toy_sources\nchapters:\n"
                                "  - file: notebooks/toy_events\n", encoding="utf-8")
    for name, code in TOY.items():
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell(PROSE[name]),
                    nbformat.v4.new_code_cell(code, metadata={"tags": ["remove-input"]})]
        for i, cell in enumerate(nb.cells):
            cell.id = f"toy-{i:02d}"
        nbformat.write(nb, d / "notebooks" / f"{name}.ipynb")
    (d / ".gitignore").write_text("_build/\n.venv\n", encoding="utf-8")
    for cmd in (["init", "-q"], ["add", "-A"],
                ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
        subprocess.run(["git", *cmd], cwd=d, check=True)
    # One cell of the events register changes: the first event becomes a security event.
    path = d / "data" / "events.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[1][rows[0].index("category")] != "security"
    rows[1][rows[0].index("category")] = "security"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    built = run_py(d, "-m", "kziran", "book", *BOOK_ARGS)
    assert built.returncode == 0, built.stderr[-2000:]
    result = subprocess.run(["make", "--no-print-directory", "diff", "BASE=HEAD"], cwd=d,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    diff = json.loads((d / "_build" / "diff.json").read_text(encoding="utf-8"))
    assert [x["file"] for x in diff["data"]] == ["data/events.csv"]
    assert {(x["page"], x["key"]) for x in diff["numbers"]} == {
        ("notebooks/toy_events", "toy_security")}
    assert [(x["label"], [c["row"] for c in x["changes"]]) for x in diff["tables"]] == [
        ("tbl-register-events", [rows[1][0]])]
    assert [x["label"] for x in diff["figures"]] == ["fig-toy-events"]
    assert diff["verdicts"] == []
    assert "toy_security" in result.stdout and "tbl-register-events" in result.stdout
