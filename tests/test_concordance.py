"""The concordance: every paragraph of the article has its place in the edition, and back."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import built_html

from kziran.data import load

# The article's paragraphs, section by section, as counted in the text we edit.
ARTICLE_PARAGRAPHS = {"introduction": 3, "methods": 1, "discussion": 4, "results": 45,
                      "conclusion": 2}


def test_every_paragraph_of_every_section_is_mapped():
    df = load("concordance")
    for section, count in ARTICLE_PARAGRAPHS.items():
        numbers = sorted(df.loc[df["section"] == section, "paragraph"].astype(int))
        assert numbers == list(range(1, count + 1)), section
    assert set(df["section"]) == set(ARTICLE_PARAGRAPHS)
    assert df["summary"].str.len().gt(30).all() and df["anchor"].notna().all()


def test_every_claim_of_the_authors_sits_in_a_paragraph():
    claims = load("claims")
    mapped = {c for cell in load("concordance")["claims"].dropna() for c in cell.split()}
    authors = set(claims.loc[claims["claim_type"] != "editorial", "claim_id"])
    assert authors <= mapped, sorted(authors - mapped)


def _page(path: str) -> BeautifulSoup:
    return BeautifulSoup((built_html() / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.book
def test_anchors_resolve_and_sections_link_back():
    df = load("concordance")
    pages = {}
    for row in df.itertuples(index=False):
        page, anchor = row.anchor.split("#", 1)
        doc = pages.setdefault(page, _page(page))
        target = doc.find(id=anchor)
        assert target is not None, f"{row.section} ¶{row.paragraph}: no #{anchor} in {page}"
        # The section that retells the paragraph links back to its entry.
        back = f"concordance.html#concordance-{row.section}-{row.paragraph}"
        section = target if target.name == "section" else target.find_parent("section")
        assert section.find("a", href=lambda h, back=back: h and h.endswith(back)), \
            f"{page}#{anchor} does not link back to {row.section} ¶{row.paragraph}"
    concordance = _page("notebooks/concordance.html")
    for row in df.itertuples(index=False):
        assert concordance.find(id=f"concordance-{row.section}-{row.paragraph}")
