"""The glossary (book/glossary.yml) and the book's spellings agree.

The rule, stated on the glossary page: in our own prose (the chapters' Markdown cells and
the book's pages) an English variant appears only in brackets next to the preferred form
("Mangyshlak (Mangystau)") or in a context its `allow` patterns describe; a Kazakh or
Russian variant never appears in our Kazakh or Russian passages. Quotations of sources,
their titles and the data registers keep their own spellings and are not checked here.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import built_html

from kziran.paths import PROJECT
from kziran.publishing.languages import KINDS, load_glossary
from kziran.tooling.execute import book_notebooks

ENTRIES = load_glossary(PROJECT.book / "glossary.yml")


def prose() -> dict[str, str]:
    """Our own text: Markdown cells of the notebooks and the book's pages but the glossary."""
    texts = {}
    for nb_path in book_notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        texts[PROJECT.relative(nb_path)] = "\n\n".join(
            c.source for c in nb.cells if c.cell_type == "markdown")
    for md in sorted(PROJECT.book.glob("*.md")):
        if md.name != "glossary.md":
            texts[PROJECT.relative(md)] = md.read_text(encoding="utf-8")
    return {name: strip_markup(text) for name, text in texts.items()}


def strip_markup(text: str) -> str:
    """Drop what is not prose: roles' targets, code, link targets, directive options."""
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+", " ", text)
    return re.sub(r"^:[\w-]+:.*$", " ", text, flags=re.MULTILINE)


def blocks(text: str, lang: str) -> list[str]:
    """The passages of a page marked as written in `lang` (MyST containers)."""
    return re.findall(r"```\{container\} language-" + lang + r"\n(.*?)```", text, re.DOTALL)


def _pattern(form: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w])")


def violations(text: str, entries: list[dict], lang: str = "en") -> list[str]:
    """Every use of a variant in `text` that the glossary does not allow."""
    found = []
    for entry in entries:
        preferred = re.escape(entry["en"])
        for variant in entry.get("variants", []):
            if variant.get("lang", "en") != lang:
                continue
            form = variant["form"]
            allowed_spans = []
            if lang == "en":
                esc = re.escape(form)
                glossed = [rf"{preferred}\s*\([^)]*{esc}[^)]*\)", rf"{esc}\s*\([^)]*{preferred}"]
                for pattern in glossed + list(variant.get("allow", [])):
                    allowed_spans += [m.span() for m in re.finditer(pattern, text)]
            for m in _pattern(form).finditer(text):
                if not any(a <= m.start() and m.end() <= b for a, b in allowed_spans):
                    context = text[max(0, m.start() - 50):m.end() + 50].replace("\n", " ")
                    found.append(f"{form!r} (use {entry['en']!r}): …{context}…")
    return found


def test_the_spelling_check_can_fail():
    assert violations("The talks moved to Nur-Sultan.", ENTRIES)
    assert not violations("Documents were signed in Nur-Sultan in 2021.", ENTRIES)
    assert violations("the Mangyshlak coast", ENTRIES)
    assert not violations("the Mangyshlak (Mangystau) coast", ENTRIES)
    assert not violations("through Gyzylgaya (Kyzylkiya in the article)", ENTRIES)
    assert violations("from Aqtau by sea", ENTRIES)
    assert not violations("the Uzen–Gyzylgaya–Bereket–Etrek–Gorgan railway", ENTRIES)
    assert violations("Алма-Ата", ENTRIES, lang="ru")


def test_prose_uses_the_preferred_spellings():
    problems = {name: found for name, text in prose().items()
                if (found := violations(text, ENTRIES))}
    assert not problems, problems


def test_kazakh_and_russian_passages_use_the_glossary_forms():
    index = (PROJECT.book / "index.md").read_text(encoding="utf-8")
    for lang in ("kk", "ru"):
        passages = blocks(index, lang)
        assert passages, f"no {lang} passage marked in book/index.md"
        for passage in passages:
            assert not violations(passage, ENTRIES, lang=lang), lang


def test_the_prose_uses_many_glossary_terms():
    """The glossary is about this book: its preferred forms are what the prose says."""
    text = "\n".join(prose().values())
    used = [e["en"] for e in ENTRIES if _pattern(e["en"]).search(text)]
    assert len(used) >= 25, used


def test_every_entry_names_something_the_book_or_the_article_mentions():
    """No entry is there for its own sake: the book (prose or data) names it, or the
    entry says the article does (`in_article`). People may be named by surname alone."""
    def dashes(t):  # a name inside a chain (Zhanaozen–Bereket–Etrek) is still named
        return t.replace("–", " ")
    everything = dashes("\n".join(prose().values()) + "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(PROJECT.data.glob("*.csv"))))
    unused = []
    for e in ENTRIES:
        forms = [e["en"], *(v["form"] for v in e.get("variants", []))]
        if e["kind"] == "person":
            forms.append(e["en"].split()[-1])
        if not e.get("in_article") and not any(
                _pattern(dashes(f)).search(everything) for f in forms):
            unused.append(e["en"])
    assert not unused, unused


def test_entries_are_complete_and_unique():
    names = [e["en"] for e in ENTRIES]
    assert len(names) == len(set(names))
    for e in ENTRIES:
        # Kazakh keeps a few Latin names as they are (SCAT); all others are Cyrillic.
        assert e["kk"] == e["en"] or re.search(r"[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", e["kk"]), e["en"]
        assert re.search(r"[А-Яа-яЁё]", e["ru"]), e["en"]
    assert {e["kind"] for e in ENTRIES} == set(KINDS)


@pytest.mark.book
@pytest.mark.parametrize("kind", list(KINDS))
def test_glossary_page_has_a_table_per_kind(kind):
    html = (built_html() / "book" / "glossary.html").read_text(encoding="utf-8")
    table = re.search(rf'<table[^>]*id="tbl-glossary-{kind}".*?</table>', html, re.DOTALL)
    assert table, kind
    rows = table.group(0).count("<tr") - 1
    assert rows == sum(1 for e in ENTRIES if e["kind"] == kind)
