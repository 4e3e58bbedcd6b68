"""The data package: how it is described, loaded and remembered (bad input: test_bad_input)."""

from __future__ import annotations

import json

from conftest import ROOT

from kziran.data import PACKAGE, Package, load, validate
from kziran.paths import PROJECT, Layout
from kziran.tooling import datareadme


def test_every_resource_states_its_licence():
    for res in PACKAGE.descriptor["resources"]:
        assert res.get("licenses"), res["name"]
    assert "IMF" in PACKAGE.resource("dots")["licenses"][0]["name"]


def test_every_source_column_is_required_and_points_to_the_bibliography():
    for res in PACKAGE.descriptor["resources"]:
        fields = {f["name"]: f for f in res["schema"]["fields"]}
        if "source" not in fields:
            continue
        assert fields["source"].get("constraints", {}).get("required"), res["name"]
        assert {"fields": "source", "reference": {"resource": "sources", "fields": "key"}} \
            in res["schema"].get("foreignKeys", []), res["name"]


def test_loading_types_the_columns():
    dots = load("dots")
    assert str(dots["year"].dtype) == "Int64"
    assert str(dots["value"].dtype) == "float64"
    assert str(load("events")["date_from"].dtype).startswith("datetime64")
    assert str(load("claims")["value"].dtype) == "float64"


def test_registers_keep_the_reference_research():
    # The reference research holds 43 agreements and 58 events; none may be lost.
    assert len(load("agreements")) >= 43
    assert len(load("events")) >= 58


def test_validation_is_remembered_by_content(project_copy, monkeypatch):
    import pytest

    from kziran.data import DataError, validation

    pkg = Package(Layout(project_copy))
    validate(pkg, level="full")
    markers = project_copy / "_build" / ".validated"
    assert len(list(markers.iterdir())) == 1
    # The same data, at the lower level: remembered, so no check runs again.
    checked = []
    real = validation.file_problems
    monkeypatch.setattr(validation, "file_problems", lambda p: checked.append(p) or real(p))
    validate(pkg)
    assert checked == [] and len(list(markers.iterdir())) == 1
    # Changed data are validated again (and this change is an error).
    events = project_copy / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",visit,", ",gossip,", 1),
                      encoding="utf-8")
    with pytest.raises(DataError, match="events.csv"):
        validate(pkg)


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert PROJECT.datapackage == ROOT / "data" / "datapackage.json"
    assert json.loads(PROJECT.datapackage.read_text())["resources"]


def test_data_readme_tables_are_generated_from_the_files():
    text = (PROJECT.data / "README.md").read_text(encoding="utf-8")
    assert datareadme.render(text) == text, "run `make data-readme`"
