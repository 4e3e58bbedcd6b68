"""Downloads any tool reads with no options, that no spreadsheet runs as a formula.

One writer (``kziran.presentation.downloads``) makes every CSV the book publishes: plain
RFC 4180 with the header first, UTF-8 with a byte-order mark, text cells that look like a
formula written as text, numbers left numbers, and W3C CSV on the Web metadata beside it.
The unit tests plant register text in it; the book tests read every published file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import built_html

from kziran.presentation import downloads
from kziran.presentation.downloads import Column, Download

PLANTED = ['=HYPERLINK("http://example.org","Details")', "+1-2", "-2+3", "@SUM(A1:A2)",
           "\tleading tab", "\rleading return", "=1+1"]


def sample() -> Download:
    rows = [[2000 + i, -12.5 * i, text] for i, text in enumerate(PLANTED)]
    rows.append([2030, None, "Қазақстан – Иран"])
    return Download(columns=[Column("Year", "integer"), Column("Balance (US$ million)", "number"),
                             Column("Note")], rows=rows, title="Table 0.1: a test",
                    licence="https://creativecommons.org/licenses/by/4.0/",
                    sources=[{"url": "../data/events.csv", "title": "Events",
                              "licence": "https://creativecommons.org/licenses/by/4.0/"}])


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(downloads.csv_bytes(sample()))
    df = pd.read_csv(path)  # no options at all
    assert list(df.columns) == ["Year", "Balance (US$ million)", "Note"]
    for shown, planted in zip(df["Note"], PLANTED):
        assert shown == "'" + planted, (shown, planted)
    assert df["Balance (US$ million)"].iloc[1] == -12.5  # a negative number stays a number
    assert df["Note"].iloc[-1] == "Қазақстан – Иран"


def test_the_file_is_rfc_4180_with_a_byte_order_mark():
    data = downloads.csv_bytes(sample())
    assert data.startswith("\ufeffYear,".encode())
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == len(sample().rows) + 1 + text.count('"\r') * 0
    assert not text.startswith("#")


def test_the_metadata_validates_as_csv_on_the_web(tmp_path):
    from csvw import CSVW

    d = sample()
    (tmp_path / "t.csv").write_bytes(downloads.csv_bytes(d))
    md = downloads.metadata(d, "t.csv")
    (tmp_path / "t-metadata.json").write_text(json.dumps(md), encoding="utf-8")
    table = CSVW(str(tmp_path / "t-metadata.json"), validate=True)
    assert table.is_valid, table.warnings
    assert [c["titles"] for c in md["tableSchema"]["columns"]] == [c.title for c in d.columns]
    assert md["dc:license"].startswith("https://") and md["dc:source"][0]["@id"]


def test_metadata_that_disagrees_with_its_file_fails(tmp_path):
    from csvw import CSVW

    d = sample()
    (tmp_path / "t.csv").write_bytes(downloads.csv_bytes(d))
    md = downloads.metadata(d, "t.csv")
    md["tableSchema"]["columns"][1]["datatype"] = "integer"  # -12.5 is no integer
    (tmp_path / "t-metadata.json").write_text(json.dumps(md), encoding="utf-8")
    assert not CSVW(str(tmp_path / "t-metadata.json"), validate=True).is_valid


def test_planted_register_text_reaches_the_table_download_as_text(monkeypatch):
    from kziran.analysis import claims
    from kziran.presentation import Table, views

    real = claims.register

    def planted():
        df = real()
        df.loc[df.index[0], "statement"] = PLANTED[0]
        df.loc[df.index[0], "brief"] = PLANTED[3]
        return df

    monkeypatch.setattr(claims, "register", planted)
    table = Table(views.claims_of, "introduction", name="tbl-claims-introduction", index=False)
    content = table.payload()["languages"]["en"]
    d = Download(columns=[Column(c["title"], c["datatype"]) for c in content["columns"]],
                 rows=content["rows"], title="t")
    text = downloads.csv_bytes(d).decode("utf-8-sig")
    assert "'" + PLANTED[0].replace('"', '""') in text and "'" + PLANTED[3] in text


def published() -> list[Path]:
    html = built_html()
    return sorted((html / "tables").glob("*.csv")) + sorted((html / "data").glob("*.csv"))


@pytest.mark.book
def test_every_published_csv_reads_with_no_options_and_matches_its_metadata():
    from csvw import CSVW

    files = published()
    assert len(files) >= 25
    for path in files:
        df = pd.read_csv(path)
        md_path = path.with_name(path.stem + "-metadata.json")
        md = json.loads(md_path.read_text(encoding="utf-8"))
        assert md["url"] == path.name
        assert list(df.columns) == [c["titles"] for c in md["tableSchema"]["columns"]], path
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path
        table = CSVW(str(md_path), validate=True)
        assert table.is_valid, (path.name, table.warnings[:3])
        for column in df.columns[df.dtypes == object]:
            cells = df[column].dropna().astype(str)
            assert not cells.str.match(r"^[=+\-@\t\r]").any(), (path.name, column)


@pytest.mark.book
def test_table_downloads_are_named_by_their_number_and_linked_under_their_table():
    from bs4 import BeautifulSoup
    from conftest import chapter_pages

    html = built_html()
    for page in chapter_pages():
        doc = BeautifulSoup((html / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        tables = doc.select("article table")
        lines = doc.select("p.kziran-downloads")
        assert tables and len(lines) == len(tables), page
        for line in lines:
            csv, meta = [a["href"] for a in line.find_all("a")]
            assert Path(csv).name.startswith("table-") and csv.endswith(".csv")
            assert meta == csv[:-4] + "-metadata.json"
            assert (html / page).parent.joinpath(csv).resolve().is_file()
