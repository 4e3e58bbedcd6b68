"""No link from the data unless it is http(s): refused by validation and by the renderers.

The same list of hostile addresses is tried at both layers: ``make data-check`` refuses
each one naming file, row, column and value, and the one function every renderer calls
(``kziran.links``) refuses each one, so that a future field cannot bypass the check.
"""

from __future__ import annotations

from collections import namedtuple

import pytest
from test_bad_input import set_cell

from kziran import links
from kziran.analysis.references import validate
from kziran.data import DataError, Package
from kziran.paths import Layout

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "//evil.example/x",
    "\\\\evil.example\\x",
    "HTTPS://EXAMPLE.ORG/",
    "https://exa mple.org/",
    'https://example.org/"onmouseover="alert(1)',
    "https:",
]
GOOD = ["https://example.org/a?b=1&c=2#d", "http://88.204.166.9/ru/publications/page-52",
        "https://doi.org/10.1000/182"]


@pytest.mark.parametrize("address", HOSTILE)
def test_the_gate_refuses_a_hostile_address(address):
    assert links.problem(address)
    with pytest.raises(links.UnsafeLink):
        links.checked(address)
    with pytest.raises(links.UnsafeLink):
        links.href(address, relative=True)


@pytest.mark.parametrize("address", GOOD)
def test_the_gate_lets_http_addresses_through_escaped(address):
    assert links.problem(address) is None
    assert links.href(address) == address.replace("&", "&amp;")


def test_relative_links_of_the_book_pass_but_not_disguised_ones():
    assert links.checked("../_sources/notebooks/x.ipynb#cell-1", relative=True)
    for address in ("javascript:alert(1)", "//evil.example/", "\\\\evil.example"):
        with pytest.raises(links.UnsafeLink):
            links.checked(address, relative=True)


def test_validation_refuses_every_hostile_address_naming_row_and_column(project_copy):
    path = project_copy / "data" / "sources.csv"
    rows = list(range(2, 2 + len(HOSTILE)))
    for row, address in zip(rows, HOSTILE):
        set_cell(path, row, "url", address)
    with pytest.raises(DataError) as err:
        validate(Package(Layout(project_copy)), force=True)
    message = str(err.value)
    assert "data/sources.csv" in message
    for row in rows[:8]:  # the report shows the first problems of each file
        assert f"row {row}" in message and "column 'url'" in message, message
    assert "'javascript:alert(1)' is refused" in message
    assert "only http and https" in message


def test_a_licence_address_of_the_descriptor_is_checked_too(project_copy):
    import json

    path = project_copy / "data" / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["licenses"][0]["path"] = "javascript:alert(1)"
    path.write_text(json.dumps(desc), encoding="utf-8")
    with pytest.raises(DataError, match=r"`licenses` 1 `path`: 'javascript:alert\(1\)' is refused"):
        validate(Package(Layout(project_copy)), force=True)


@pytest.mark.parametrize("address", HOSTILE)
def test_the_bibliography_refuses_a_hostile_address(address):
    from kziran.publishing.bibliography import entry

    fields = ("entry_type author title container publisher year date volume number pages url "
              "urldate language note confirmed role")
    Row = namedtuple("Row", fields)
    row = Row("online", "Someone", "A title", None, None, 2020, None, None, None, None, address,
              "2026-12-07", "en", None, True, "data_source")
    with pytest.raises(links.UnsafeLink):
        entry(row)


def test_a_hostile_address_in_citation_cff_is_a_problem():
    from kziran.publishing import citations

    meta = citations.load_meta()
    bad = citations.Meta(**{**meta.__dict__, "repository": "javascript:alert(1)"})
    problems = citations.config_problems(bad, {"repository": {"url": "javascript:alert(1)"},
                                               "title": meta.title})
    assert any("repository-code 'javascript:alert(1)' is refused" in p for p in problems)
