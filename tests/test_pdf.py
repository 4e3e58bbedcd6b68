"""The PDF edition (built by `make pdf`, which `make test` runs when TeX is installed).

Without a PDF these tests skip, saying why, unless KZIRAN_REQUIRE_PDF is set (CI sets it
after installing TeX), in which case they fail.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from conftest import built_html
from docutils import nodes

from kziran import editions, labels
from kziran.presentation.tables import column_widths
from kziran.publishing import html_edition, print_edition
from kziran.tooling import pdf

pytestmark = pytest.mark.book  # reads the built book (see conftest.built_html)


@pytest.fixture(scope="module")
def published():
    lacking = pdf.missing_tools()
    reason = None
    if lacking:
        reason = f"{', '.join(lacking)} not installed (make system-deps)"
    elif not all(pdf.published(lang).exists() for lang in editions.LANGUAGES):
        reason = "no PDF edition built in every language (make pdf)"
    if reason:
        if os.environ.get("KZIRAN_REQUIRE_PDF"):
            pytest.fail(f"KZIRAN_REQUIRE_PDF is set but {reason}")
        pytest.skip(f"PDF edition not checked: {reason}")
    return pdf.published(editions.SOURCE)


@pytest.mark.parametrize("lang", editions.LANGUAGES)
def test_pdf_passes_its_checks(published, lang):
    built = pdf.published(lang)
    assert pdf.check(built, pdf.latex_dir(lang) / f"{pdf.NAME}.tex", lang) == []
    # Its own language: the title page gives the edition's title in it.
    assert pdf.squeeze(labels.text("edition.title", lang)) in pdf.squeeze(pdf.text(built))


def test_fonts_are_embedded_and_cover_kazakh(published):
    fonts = pdf.fonts(published)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert any("FreeSerif" in f["name"] for f in fonts)
    text = pdf.text(published)
    for letter in pdf.KAZAKH_LETTERS:
        assert letter in text, letter
    # The abstracts and the glossary reach the PDF as text, not as missing glyphs.
    for phrase in ("Қазақша", "По-русски", "Жаңаөзен", "Мангышлак", "Glossary: places"):
        assert phrase in text, phrase


def test_every_table_and_figure_reaches_the_pdf(published):
    expected = pdf.expected()
    assert len(expected.tables) >= 15 and len(expected.figures) >= 4
    flat = pdf.squeeze(pdf.text(published))
    missing = [n for n, cap in expected.tables.items() if pdf.squeeze(cap) not in flat]
    assert not missing, missing
    assert pdf.image_count(published) >= len(expected.figures)
    # The claims register and the concordance are real pages of the PDF; each claim is a
    # block that says its verdict in words (the page's filters are HTML only).
    assert "theclaimsregister" in flat and "concordanceofthearticle" in flat
    assert "claim17contradictedresults" in flat and "claim1supportedintroduction" in flat
    assert "Type in the box" not in pdf.text(published)
    # No HTML-only leftovers: the CSV link under a table is not a line of the PDF.
    assert "\nDownload this table as CSV\n" not in pdf.text(published)


def test_the_check_finds_a_broken_pdf(published, tmp_path):
    """A PDF that lacks the book's tables and Kazakh text fails the check."""
    page = tmp_path / "empty.pdf"
    page.write_bytes(_minimal_pdf("Hello"))
    problems = pdf.check(page)
    assert any("Kazakh letters" in p for p in problems)
    assert any(p.startswith("table ") for p in problems)


@pytest.mark.parametrize("lang", editions.LANGUAGES)
def test_html_edition_links_the_pdf(published, lang):
    site = built_html() / editions.prefix(lang)
    name = pdf.published(lang).name
    index = (site / "book" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{name}"' in index
    copy = site / name
    assert copy.exists() and copy.read_bytes() == pdf.published(lang).read_bytes(), \
        "the HTML edition holds an older PDF: run make book after make pdf"


def test_pdf_role_without_and_with_a_pdf(tmp_path):
    """The HTML build passes without a PDF: the page then shows the words alone, no markup
    and no build instructions; with a PDF, a link to it."""
    deps = []
    env = SimpleNamespace(docname="book/index", srcdir=str(tmp_path), note_dependency=deps.append,
                          app=SimpleNamespace(builder=SimpleNamespace(format="html")),
                          config=SimpleNamespace(language="en"))
    inliner = SimpleNamespace(document=SimpleNamespace(settings=SimpleNamespace(env=env)))
    [note], _ = html_edition.pdf_role("pdf-edition", "", "the PDF", 1, inliner)
    assert isinstance(note, nodes.inline) and note.astext() == "the PDF"
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "kziran-edition.pdf").write_bytes(b"%PDF-1.4\n")
    [link], _ = html_edition.pdf_role("pdf-edition", "", "the PDF", 1, inliner)
    assert isinstance(link, nodes.reference) and link["refuri"] == "../kziran-edition.pdf"
    env.app.builder.format = "latex"
    [plain], _ = html_edition.pdf_role("pdf-edition", "", "the PDF", 1, inliner)
    assert isinstance(plain, nodes.Text)
    assert deps and deps[0].endswith("_build/kziran-edition.pdf")


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text in a standard font (not embedded)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
               b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def test_print_column_widths_fit_the_line():
    """Wide tables share the line by content; short columns (ids, numbers) keep their width."""
    head = ["claim", "statement", "verdict", "why"]
    rows = [head] + [["C001", "a long statement " * 8, "supported", "a longer note " * 20]] * 40
    widths = column_widths(rows, line=85)
    assert 80 <= sum(widths) <= 100, widths
    assert widths[0] >= len("C001") + 3 and widths[2] >= len("supported") + 3
    assert widths[3] > widths[1] > widths[2], widths
    short = [["year", "value"], ["1993", "13.1"]]
    assert column_widths(short) == [7, 8]


def test_long_identifiers_get_break_points():
    para = nodes.paragraph("", "", nodes.Text("see KazakhstanToday2009GorganConsulate here"))
    print_edition._allow_breaks(para[0])
    breaks = [n for n in para.children if isinstance(n, nodes.raw)]
    assert len(breaks) >= 3 and para.astext().replace("\\allowbreak{}", "") == \
        "see KazakhstanToday2009GorganConsulate here"
