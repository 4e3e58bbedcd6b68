"""Every command, given a bad argument, ends with one line naming it: never a traceback.

One case per kind of bad argument of each make target and each command line of the
package: an unknown command or option, a ref that does not exist, a notebook the book does
not have, a number out of range, a missing program, an output path it may not write. Each
must exit non-zero, print exactly one line that names the bad value, and write nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

PY = sys.executable
CASES = {
    "unknown command": ([PY, "-m", "kziran", "frobnicate"], "frobnicate"),
    "unknown option of check": ([PY, "-m", "kziran", "check", "--bogus"], "--bogus"),
    "unknown notebook": ([PY, "-m", "kziran", "execute", "no_such_notebook"],
                         "no_such_notebook"),
    "jobs not above zero": ([PY, "-m", "kziran", "execute", "--jobs", "0"], "'0'"),
    "timeout not a number": ([PY, "-m", "kziran", "execute", "--timeout", "soon"], "soon"),
    "unknown citation format": ([PY, "-m", "kziran", "cite", "--format", "docx"], "docx"),
    "diff of a ref that does not exist": ([PY, "-m", "kziran.tooling.diff", "--base",
                                           "no-such-ref"], "no-such-ref"),
    "unknown option of the PDF build": ([PY, "-m", "kziran.tooling.pdf", "--bogus"], "--bogus"),
    "port out of range": ([PY, "-m", "kziran.tooling.lab", "--port", "80"], "80"),
    "unknown option of the benchmark": ([PY, "-m", "kziran.tooling.bench", "--bogus"],
                                        "--bogus"),
    "a program that does not exist": ([PY, "-m", "kziran.tooling.offline", "--",
                                       "/no/such/program"], "/no/such/program"),
    "unknown option of data-readme": ([PY, "-m", "kziran.tooling.datareadme", "--bogus"],
                                      "--bogus"),
    "a crate that is not there": ([PY, "-m", "kziran.tooling.crate", "--validate",
                                   "/no/such/crate"], "/no/such/crate"),
    "make diff, no such ref": (["make", "diff", "BASE=no-such-ref"], "no-such-ref"),
    "make book, changes since no such ref": (["make", "book", "CHANGES_SINCE=no-such-ref"],
                                             "no-such-ref"),
    "make book, a ref with a quote": (["make", "book", "CHANGES_SINCE=it's"], "it's"),
    "make lab, bad port": (["make", "lab", "LAB_ARGS=--port 80"], "80"),
    "make bench, unknown option": (["make", "bench", "BENCH_ARGS=--bogus"], "--bogus"),
    "make book, a language the edition lacks": (["make", "book", "LANGUAGES=en fr"], "'fr'"),
    "book in a language the edition lacks": ([PY, "-m", "kziran", "book", "--languages", "de"],
                                             "'de'"),
    "cite in a language the edition lacks": ([PY, "-m", "kziran", "cite", "--language", "de"],
                                             "'de'"),
    "unknown option of make translations": ([PY, "-m", "kziran.tooling.translations",
                                             "--bogus"], "--bogus"),
    "unknown option of the own-words check": ([PY, "-m", "kziran.tooling.ownwords",
                                               "--bogus"], "--bogus"),
}


# Run as a reader would, not as a step of `make test`: an inherited jobserver would make
# the inner make print its own warning line.
ENV = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}


def one_line(cmd: list[str]) -> tuple[int, str]:
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False, env=ENV)
    said = (result.stdout + result.stderr).strip()
    return result.returncode, said


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_argument_gets_one_line(case):
    cmd, bad = CASES[case]
    code, said = one_line(cmd)
    assert code != 0, said
    assert "Traceback" not in said, said
    assert len(said.splitlines()) == 1, said
    assert bad in said, said


@pytest.mark.book
def test_citing_what_does_not_exist_or_to_where_it_cannot_be_written(tmp_path):
    code, said = one_line([PY, "-m", "kziran", "cite", "no-such-section"])
    assert code != 0 and len(said.splitlines()) == 1 and "no-such-section" in said, said
    target = tmp_path / "missing-folder" / "out.bib"
    (tmp_path / "missing-folder").write_text("a file, not a folder\n")
    code, said = one_line([PY, "-m", "kziran", "cite", "results", "--format", "bibtex",
                           "--output", str(target)])
    assert code != 0 and "Traceback" not in said and len(said.splitlines()) == 1, said
    assert "missing-folder" in said, said
    assert (tmp_path / "missing-folder").read_text() == "a file, not a folder\n"
