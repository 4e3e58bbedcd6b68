"""Reproducibility: fresh executions reproduce the committed notebooks byte for byte.

The committed outputs come from one clean execution (`make outputs`); the build cache
holds another (`make book` / `make test`). They must agree exactly, images included,
and the images in the built book must be those images.
"""

from __future__ import annotations

import hashlib
import json
import re
from base64 import b64decode

import nbformat
import pytest

from kziran.paths import PROJECT
from kziran.tooling.execute import book_notebooks, cache


def _cached(nb):
    store = cache()
    try:
        record = store.match_cache_notebook(nb)
    except KeyError:
        return None
    return store.get_cache_bundle(record.pk).nb


def _outputs(nb) -> list[str]:
    return [json.dumps(c.get("outputs", []), sort_keys=True) for c in nb.cells
            if c.cell_type == "code"]


@pytest.mark.parametrize("path", book_notebooks(), ids=lambda p: p.stem)
def test_cached_execution_equals_committed_outputs(path):
    if not PROJECT.cache.exists():
        pytest.skip("no build cache yet; run `make book` (make test fills it first)")
    committed = nbformat.read(path, as_version=4)
    cached = _cached(committed)
    assert cached is not None, f"{path.name} has no cached execution for its current code"
    for i, (a, b) in enumerate(zip(_outputs(committed), _outputs(cached))):
        assert a == b, f"{path.name}: code cell {i} differs between two executions"
    assert [c.get("execution_count") for c in committed.cells if c.cell_type == "code"] == \
           [c.get("execution_count") for c in cached.cells if c.cell_type == "code"]


def _pngs(nb) -> set[str]:
    found = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            # A glued figure is stored as its glue record only (see test_notebooks).
            for mime in ("image/png", "application/papermill.record/image/png"):
                if data.get(mime):
                    found.add(hashlib.sha256(b64decode(data[mime])).hexdigest())
    return found


@pytest.mark.book
@pytest.mark.parametrize("page", ["04_results_trade", "04_results_registers"])
def test_built_images_are_the_committed_images(page):
    html = PROJECT.html / "notebooks" / f"{page}.html"
    if not html.exists():
        pytest.skip("the book is not built")
    names = set(re.findall(r"_images/([0-9a-f]{64})\.png", html.read_text(encoding="utf-8")))
    committed = _pngs(nbformat.read(PROJECT.notebooks / f"{page}.ipynb", as_version=4))
    assert names and names <= committed, names - committed
