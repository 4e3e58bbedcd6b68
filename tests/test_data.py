"""The data package: it validates, and every kind of bad input stops the build clearly."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess

import pytest
from conftest import ROOT, processes_under, run_py

from kziran import data, paths


def rows_of(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path, line: int, column: str, value: str):
    """Change one cell; `line` is the line in the file (the header is line 1)."""
    rows = rows_of(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def tree_hash(folder):
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_package_is_valid():
    data.validate(force=True)


def test_every_row_names_a_source():
    keys = set(data.load("sources")["key"])
    for res in data.descriptor()["resources"]:
        df = data.load(res["name"])
        if "source" in df.columns:
            assert df["source"].notna().all(), res["name"]
            assert set(df["source"]) <= keys, res["name"]


def test_every_resource_states_a_licence():
    for res in data.descriptor()["resources"]:
        assert res.get("licenses"), res["name"]
    dots = data.resource_descriptor("dots")
    assert "IMF" in dots["licenses"][0]["name"]


def test_loading_types_the_columns():
    dots = data.load("dots")
    assert str(dots["year"].dtype) == "Int64"
    assert str(dots["value"].dtype) == "float64"
    events = data.load("events")
    assert str(events["date_from"].dtype).startswith("datetime64")


def test_registers_are_large_enough():
    # The reference research holds 43 agreements and 58 events; none may be lost.
    assert len(data.load("agreements")) >= 43
    assert len(data.load("events")) >= 58


def test_no_calendar_year_on_other_periods():
    df = data.load("trade_reported")
    cal = df["period_kind"] == "calendar_year"
    assert df.loc[cal, "year"].notna().all()
    assert df.loc[~cal, "year"].isna().all()


# --------------------------------------------------------------------------- bad input
def _first_data_line(path, column, predicate=lambda v: True) -> int:
    rows = rows_of(path)
    col = rows[0].index(column)
    for i, row in enumerate(rows[1:], start=2):
        if predicate(row[col]):
            return i
    raise AssertionError(f"no row to break in {path}")


def _break_truncated(d):
    p = d / "data" / "events.csv"
    raw = p.read_bytes()
    cut = raw.rfind(b",", 0, len(raw) - 2)  # stop in the middle of the last row
    p.write_bytes(raw[:cut])
    line = raw[:cut].count(b"\n") + 1
    return "data/events.csv", f"row {line}", None


def _break_encoding(d):
    p = d / "data" / "sources.csv"
    text = p.read_text(encoding="utf-8")
    assert any(ord(c) > 127 for c in text), "sources.csv has no non-ASCII text to mis-encode"
    p.write_bytes(text.encode("cp1251", errors="replace"))
    return "data/sources.csv", "row ", None


CASES = {
    "wrong type": ("raw/imf_dots_2022-02.csv", "value", "12,5 million"),
    "missing source": ("agreements.csv", "source", ""),
    "impossible date": ("events.csv", "date_from", "2019-13-01"),
    "unknown category": ("events.csv", "category", "gossip"),
    "negative value": ("trade_reported.csv", "value", "-5"),
    "unknown source key": ("events.csv", "source", "NoSuchSource2099"),
}


@pytest.mark.parametrize("case", sorted(CASES) + ["duplicate id", "truncated", "encoding"])
def test_bad_input_is_named_and_stops_early(project_copy, case):
    d = project_copy
    before = tree_hash(d / "data")
    if case in CASES:
        file, column, value = CASES[case]
        path = d / "data" / file
        line = _first_data_line(path, column)
        set_cell(path, line, column, value)
        expected = (f"data/{file}", f"row {line}", f"column '{column}'")
    elif case == "duplicate id":
        path = d / "data" / "events.csv"
        rows = rows_of(path)
        rows[3][0] = rows[2][0]
        write_rows(path, rows)
        expected = ("data/events.csv", "row 4", "column 'event_id'")
    elif case == "truncated":
        expected = _break_truncated(d)
    else:
        expected = _break_encoding(d)
    broken = tree_hash(d / "data")
    with paths.rooted(d), pytest.raises(data.DataError) as excinfo:  # the copy, in-process
        data.validate(force=True)
    message = str(excinfo.value)
    for part in expected:
        if part:
            assert part in message, f"{part!r} not in:\n{message}"
    # Nothing was written: no validation marker, data untouched.
    assert not (d / "_build" / ".validated").exists()
    assert tree_hash(d / "data") == broken != before


def test_command_line_reports_bad_input(project_copy):
    d = project_copy
    set_cell(d / "data" / "events.csv", 3, "category", "gossip")
    result = run_py(d, "-m", "kziran", "check")
    assert result.returncode == 2, result.stdout
    assert "DATA ERROR" in result.stderr
    assert "data/events.csv, row 3, column 'category'" in result.stderr


def test_make_book_stops_before_writing(project_copy):
    d = project_copy
    set_cell(d / "data" / "events.csv", 2, "date_from", "2019-13-01")
    result = subprocess.run(["make", "-C", str(d), "book"], capture_output=True, text=True,
                            check=False)
    assert result.returncode != 0
    assert "data/events.csv, row 2, column 'date_from'" in result.stderr + result.stdout
    assert not (d / "_build" / "html").exists()
    assert not (d / "_build" / ".jupyter_cache").exists()
    assert not (d / "_build" / "logs").exists()
    # The kernels started while the data were validated were shut down, not left running.
    assert not processes_under(d)


def test_malformed_descriptor_is_reported(project_copy):
    d = project_copy
    p = d / "data" / "datapackage.json"
    p.write_text(p.read_text()[:200], encoding="utf-8")
    result = run_py(d, "-m", "kziran", "check")
    assert result.returncode != 0
    assert "data package" in result.stderr


def test_validation_is_remembered_by_content(project_copy):
    d = project_copy
    with paths.rooted(d):
        data.validate()
        markers = list((d / "_build" / ".validated").iterdir())
        assert len(markers) == 1
        # Changing a file changes the fingerprint, so the change is validated again.
        set_cell(d / "data" / "events.csv", 2, "category", "gossip")
        with pytest.raises(data.DataError):
            data.validate()


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.DATAPACKAGE == ROOT / "data" / "datapackage.json"
    assert json.loads(paths.DATAPACKAGE.read_text())["resources"]


def test_data_readme_agrees_with_the_files():
    """The counts typed into data/README.md must be those of the files (no drift)."""
    import re

    text = (paths.DATA / "README.md").read_text(encoding="utf-8")
    for res in data.descriptor()["resources"]:
        m = re.search(rf"\| `{re.escape(res['path'])}` \| (\d+) \|", text)
        if res["name"] != "claims":
            assert m, f"README has no coverage row for {res['path']}"
            assert int(m.group(1)) == len(data.load(res["name"])), res["path"]
    src = data.load("sources")
    roles = src["role"].value_counts()
    m = re.search(r"(\d+) entries: (\d+) edited article, (\d+) works cited by the\s+article and "
                  r"(\d+) data sources \(including the IMF dataset\); (\d+) are marked unconfirmed",
                  text)
    assert m, "README lost its count of sources"
    assert [int(g) for g in m.groups()] == [
        len(src), roles["edited_article"], roles["cited_by_article"], roles["data_source"],
        int((~src["confirmed"].astype(bool)).sum())]
    listed = set(re.findall(r"^\| `([A-Za-z][\w-]*)` \|", text, flags=re.MULTILINE))
    assert set(src["key"]) <= listed, set(src["key"]) - listed
