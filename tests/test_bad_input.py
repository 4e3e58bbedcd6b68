"""The book's promise on bad input: it stops early, says where and why, and writes nothing.

Each case breaks a copy of the project in one way. The data package must then fail its
validation with a message that names the file, the row (and the file's line, when a
quoted cell spans lines) and the column, puts the root cause first, never shows the
contents of a file outside data/, fetches nothing, and leaves the data untouched. The
cases of the build itself (make book, the executor) follow.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess

import pytest
from conftest import BOOK_ARGS, processes_under, run_py

from kziran.analysis.references import validate
from kziran.data import DataError, Package
from kziran.paths import Layout


def rows_of(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path, row: int, column: str, value: str) -> None:
    """Change one cell; `row` counts records with the header as row 1."""
    rows = rows_of(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def tree_hash(folder) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def edit_descriptor(d, change) -> None:
    path = d / "data" / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(desc)
    path.write_text(json.dumps(desc), encoding="utf-8")


def resource(desc, name):
    return next(r for r in desc["resources"] if r["name"] == name)


SECRET = "TOP-SECRET-LINE-OUTSIDE-THE-DATA"


# Each case: break the copy, return the parts the message must contain.
# One wrong cell: (file, row, column, value); the message must name all four.
ONE_CELL = {
    "wrong_type": ("data/raw/imf_dots_2022-02.csv", 2, "value", "12,5 million"),
    "missing_source": ("data/agreements.csv", 3, "source", ""),
    "impossible_date": ("data/events.csv", 2, "date_from", "2019-13-01"),
    "unknown_category": ("data/events.csv", 4, "category", "gossip"),
    "negative_value": ("data/trade_reported.csv", 2, "value", "-5"),
    "unknown_source_key": ("data/events.csv", 5, "source", "NoSuchSource2099"),
    "unknown_claim_in_concordance": ("data/concordance.csv", 2, "claims", "C999"),
}


def one_cell_case(file, row, column, value):
    def case(d):
        set_cell(d / file, row, column, value)
        return [file, f"row {row}", f"column '{column}'"] + ([value] if value else [])
    return case


def case_duplicate_id(d):
    rows = rows_of(d / "data/events.csv")
    rows[3][0] = rows[2][0]
    write_rows(d / "data/events.csv", rows)
    return ["data/events.csv", "row 4", "column 'event_id'"]


def case_truncated(d):
    p = d / "data/events.csv"
    raw = p.read_bytes()
    cut = raw.rfind(b",", 0, len(raw) - 2)
    p.write_bytes(raw[:cut])
    lines = raw[:cut].count(b"\n") + 1
    return ["data/events.csv", f"line {lines}", "truncated"]


def case_encoding(d):
    p = d / "data/sources.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    return ["data/sources.csv", "not valid UTF-8", "line"]


def case_header_only_register(d):
    p = d / "data/claims.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return ["data/claims.csv", "header but no rows"]


def case_empty_bibliography_is_the_root_cause(d):
    (d / "data/sources.csv").write_text("", encoding="utf-8")
    return ["data/sources.csv: the file is empty", "row checks wait"]


def case_missing_middle_column(d):
    rows = rows_of(d / "data/events.csv")
    col = rows[0].index("category")
    write_rows(d / "data/events.csv", [r[:col] + r[col + 1:] for r in rows])
    return ["data/events.csv", "column 'category' is missing"]


def case_quoted_cell_over_lines(d):
    rows = rows_of(d / "data/events.csv")
    rows[1][rows[0].index("note")] = "first line\nsecond line\nthird line"
    rows[3][rows[0].index("category")] = "gossip"
    write_rows(d / "data/events.csv", rows)
    return ["data/events.csv, row 4 (line 6), column 'category'"]


def case_path_outside_the_data(d):
    (d.parent / "outside.csv").write_text(f"a\n{SECRET}\n", encoding="utf-8")
    edit_descriptor(d, lambda desc: resource(desc, "figures").update(path="../../outside.csv"))
    return ["data/../../outside.csv", "leads out of data/"]


def case_absolute_path(d):
    edit_descriptor(d, lambda desc: resource(desc, "figures").update(path="/etc/passwd"))
    return ["/etc/passwd", "absolute path"]


def case_symlink_leading_out(d):
    (d.parent / "outside.csv").write_text(f"a\n{SECRET}\n", encoding="utf-8")
    (d / "data/figures.csv").unlink()
    (d / "data/figures.csv").symlink_to(d.parent / "outside.csv")
    return ["data/figures.csv", "symbolic link"]


def case_remote_schema(d):
    edit_descriptor(d, lambda desc: resource(desc, "figures").update(
        schema="https://example.org/schema.json"))
    return ["datapackage.json", "written into the descriptor", "example.org"]


def case_descriptor_of_the_wrong_shape(d):
    (d / "data/datapackage.json").write_text('{"resources": {"name": "x"}}', encoding="utf-8")
    return ["data/datapackage.json", "`resources` must be a non-empty list"]


def case_descriptor_not_json(d):
    p = d / "data/datapackage.json"
    p.write_text(p.read_text(encoding="utf-8")[:300], encoding="utf-8")
    return ["data/datapackage.json, line", "not valid JSON"]


def case_year_on_a_part_year(d):
    rows = rows_of(d / "data/trade_reported.csv")
    h = rows[0]
    i = next(i for i, r in enumerate(rows[1:], 2) if r[h.index("period_kind")] != "calendar_year")
    set_cell(d / "data/trade_reported.csv", i, "year", "2021")
    return ["data/trade_reported.csv", f"row {i}", "column 'year'"]


CASES = {name[5:]: f for name, f in globals().items() if name.startswith("case_")}
CASES.update({name: one_cell_case(*spec) for name, spec in ONE_CELL.items()})


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_named_and_stops_early(project_copy, case):
    d = project_copy
    before = tree_hash(d / "data")
    expected = CASES[case](d)
    broken = tree_hash(d / "data")
    with pytest.raises(DataError) as excinfo:
        validate(Package(Layout(d)), force=True)
    message = str(excinfo.value)
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"
    assert SECRET not in message, "the contents of a file outside data/ were shown"
    assert len(message.splitlines()) < 60, "the report is not short"
    assert not (d / "_build" / ".validated").exists(), "a failed validation left a marker"
    assert tree_hash(d / "data") == broken != before


@pytest.mark.parametrize("number", ["inf", "1e309", "NaN", "1_000"])
def test_every_kind_of_non_finite_number_is_refused(project_copy, number):
    set_cell(project_copy / "data/trade_reported.csv", 3, "value", number)
    with pytest.raises(DataError, match=r"row 3, column 'value'"):
        validate(Package(Layout(project_copy)), force=True)


def test_a_long_report_says_how_much_it_left_out(project_copy):
    rows = rows_of(project_copy / "data/events.csv")
    for r in rows[1:]:
        r[rows[0].index("category")] = "gossip"
    write_rows(project_copy / "data/events.csv", rows)
    with pytest.raises(DataError) as excinfo:
        validate(Package(Layout(project_copy)), force=True)
    assert f"and {len(rows) - 1 - 8} more problem(s) in data/events.csv" in str(excinfo.value)


def test_command_line_reports_bad_input(project_copy):
    set_cell(project_copy / "data/events.csv", 3, "category", "gossip")
    result = run_py(project_copy, "-m", "kziran", "check")
    assert result.returncode == 2, result.stdout
    assert "DATA ERROR" in result.stderr and "Traceback" not in result.stderr
    assert "data/events.csv" in result.stderr and "row 3, column 'category'" in result.stderr


def test_make_book_stops_before_executing_or_writing(project_copy):
    d = project_copy
    set_cell(d / "data/events.csv", 2, "date_from", "2019-13-01")
    result = subprocess.run(["make", "-C", str(d), "book"], capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "row 2, column 'date_from'" in result.stderr + result.stdout
    assert not (d / "_build" / "html").exists()
    assert not (d / "_build" / ".jupyter_cache").exists()
    assert not processes_under(d)


def test_valid_data_pass_when_their_marker_cannot_be_written(project_copy):
    # A file where the folder of markers should be: no user, root included, can write it.
    (project_copy / "_build").mkdir()
    (project_copy / "_build" / ".validated").write_text("in the way\n", encoding="utf-8")
    result = run_py(project_copy, "-m", "kziran", "check")
    assert result.returncode == 0, result.stderr
    assert "could not be written" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- the build
def toy_cell(d, notebook: str, source: str) -> None:
    """Add a hidden code cell to one of the toy book's notebooks."""
    import nbformat

    path = d / "notebooks" / notebook
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-cell"]})
    cell.id = "toy-99"
    nb.cells.append(cell)
    nbformat.write(nb, path)


def test_a_slow_cell_and_a_printed_warning_each_stop_their_notebook(toy_project):
    toy_cell(toy_project, "toy_events.ipynb", "import time\ntime.sleep(60)")
    toy_cell(toy_project, "toy_sources.ipynb", "import warnings\nwarnings.warn('careful')")
    result = run_py(toy_project, "-m", "kziran", "execute",
                    env={"KZIRAN_CELL_TIMEOUT": "3"}, timeout=60)
    assert result.returncode == 1, result.stdout
    assert "toy_events.ipynb failed: cell 2 ran longer than the timeout of 3 s" \
        in result.stderr
    assert "toy_sources.ipynb failed: cell 2" in result.stderr
    assert "printed to stderr" in result.stderr and "careful" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_build_folder_that_vanishes_mid_build_is_no_traceback(toy_project):
    toy_cell(toy_project, "toy_events.ipynb",
             "import shutil\nshutil.rmtree('../_build', ignore_errors=True)")
    result = run_py(toy_project, "-m", "kziran", "execute", "toy_events")
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    dry = run_py(toy_project, "-m", "kziran", "execute", "--dry-run")
    if result.returncode:  # stopped, saying what to do, and nothing taken for current
        assert "_build" in result.stderr and "make book again" in result.stderr
        assert dry.stdout.startswith("notebooks: would execute")
    else:  # or recovered: the executions finished and were stored in a new cache
        assert "all outputs are current" in dry.stdout


def test_an_unwritable_build_folder_gets_one_line(toy_project):
    (toy_project / "_build").write_text("a file where the build folder should be\n")
    result = run_py(toy_project, "-m", "kziran", "book", *BOOK_ARGS)
    assert result.returncode != 0
    assert "cannot write to _build" in result.stderr and "Traceback" not in result.stderr


HOSTILE = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))"
XSS_TOC = """format: jb-book
root: notebooks/toy_hostile
chapters:
  - file: book/references
"""
XSS_NOTEBOOK = """from IPython.display import Markdown
from kziran.presentation import Table, cards, views
display(Table(views.register_events, name="tbl-register-events", index=False))
display(Markdown(cards.claim_cards()))
display(Markdown(cards.concordance_markdown("introduction")))"""


def test_text_from_the_registers_reaches_pages_only_as_text(toy_project):
    import nbformat

    d = toy_project
    set_cell(d / "data/events.csv", 2, "event_en", HOSTILE)
    set_cell(d / "data/claims.csv", 2, "statement", HOSTILE)
    set_cell(d / "data/claims.csv", 2, "note", HOSTILE)
    set_cell(d / "data/sources.csv", 3, "title", HOSTILE)
    set_cell(d / "data/concordance.csv", 2, "summary", HOSTILE)
    (d / "_toc.yml").write_text(XSS_TOC, encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Hostile text\n\n(intro-argument)=\n## Anchor"),
                nbformat.v4.new_code_cell(XSS_NOTEBOOK, metadata={"tags": ["remove-input"]})]
    for i, cell in enumerate(nb.cells):
        cell.id = f"toy-{i:02d}"
    nbformat.write(nb, d / "notebooks" / "toy_hostile.ipynb")
    result = run_py(d, "-m", "kziran", "book", "--builder", "html", "--quiet")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pages = [d / "_build/html/notebooks/toy_hostile.html", d / "_build/html/book/references.html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for raw in ("<img src=x", "<script>alert", 'href="javascript:'):
            assert raw not in text, f"{page.name} carries {raw!r} as markup"
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text, f"{page.name} lost the text"
