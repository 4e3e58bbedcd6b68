"""Offline proof: `make test` runs every step with the network cut, and it all passes.

`make test` (after set-up, which needs the package registries) runs its steps through
`python -m kziran.tooling.offline`: inside a network namespace holding only loopback, the data are
validated, every notebook is executed by nbval, the PDF and the whole HTML book are built
strictly, and this test suite runs, browser tests included. These tests check that this
really happened: the record the wrapper wrote, this very process's view of the network,
and the time stamps of the HTML build and the nbval report, which must fall inside the
isolated run. Where the machine does not permit network namespaces the record says why,
and the tests skip with that reason (with KZIRAN_REQUIRE_OFFLINE set they fail instead).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT

from kziran.tooling import offline

pytestmark = pytest.mark.book  # reads the built book (see conftest.built_html)

NBVAL_REPORT = ROOT / "_build" / "test-artifacts" / "nbval.xml"


def _record() -> dict:
    path = os.environ.get(offline.ENV)
    if not path:
        pytest.skip("the offline proof is made by `make test`, which runs these tests inside "
                    "a network namespace; run through pytest alone, they skip")
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    if not record["isolated"]:
        message = f"offline proof skipped: {record['reason']}"
        if os.environ.get("KZIRAN_REQUIRE_OFFLINE"):
            pytest.fail(f"KZIRAN_REQUIRE_OFFLINE is set but {message}")
        pytest.skip(message)
    return record


def test_this_test_run_has_only_loopback():
    record = _record()
    assert record["interfaces"] == ["lo"], record
    assert record["outside_connection"].startswith("refused"), record
    # The record is not taken on trust: this process sees the same.
    seen = offline.probe_network()
    assert seen["interfaces"] == ["lo"], seen
    assert seen["outside_connection"].startswith("refused"), seen


def test_the_book_was_built_and_every_notebook_executed_offline():
    record = _record()
    index = ROOT / "_build" / "html" / "book" / "index.html"
    results = ROOT / "_build" / "html" / "notebooks" / "04_results.html"
    for page in (index, results):
        assert page.exists(), f"{page} was not built"
        assert page.stat().st_mtime >= record["started"], f"{page} is older than this run"
    assert NBVAL_REPORT.exists() and NBVAL_REPORT.stat().st_mtime >= record["started"]
    suite = ET.parse(NBVAL_REPORT).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert int(suite.get("failures")) == int(suite.get("errors")) == 0
    executed = {case.get("classname") for case in suite.iter("testcase")}
    notebooks = {f"notebooks.{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert notebooks <= executed, notebooks - executed


def test_the_wrapper_cuts_the_network(tmp_path):
    """kziran.offline itself, on small commands: inside, only loopback; status passed on."""
    record = tmp_path / "record.json"
    probe = ("import json, sys; from kziran.tooling.offline import probe_network; "
             "json.dump(probe_network(), sys.stdout)")

    def wrapped(*command):
        return subprocess.run([sys.executable, "-m", "kziran.tooling.offline", "--record", str(record),
                               "--", *command], cwd=ROOT, capture_output=True, text=True,
                              check=False)

    result = wrapped(sys.executable, "-c", probe)
    data = json.loads(record.read_text(encoding="utf-8"))
    assert result.returncode == 0 == data["returncode"], result.stderr
    assert data["finished"] >= data["started"]
    if not data["isolated"]:
        pytest.skip(f"offline proof skipped: {data['reason']}")
    assert data["interfaces"] == ["lo"], data
    assert data["outside_connection"].startswith("refused"), data
    seen = json.loads(result.stdout)
    assert seen["interfaces"] == ["lo"] and seen["outside_connection"].startswith("refused")
    # A failing command fails the wrapper, with its own status.
    assert wrapped(sys.executable, "-c", "raise SystemExit(3)").returncode == 3
    assert json.loads(record.read_text(encoding="utf-8"))["returncode"] == 3
