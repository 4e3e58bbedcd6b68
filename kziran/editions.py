"""Sphinx extension for the reader editions: offline HTML, the PDF, the glossary.

HTML edition (offline-first)
- With live code off (``launch_buttons.thebe: false``) pages load none of sphinx-thebe's
  scripts, whose configuration names a CDN (unpkg.com), nor its inert configuration
  block. MathJax is not loaded either, as no page has mathematics (``dollarmath`` is off).
- ``build-finished``: the published PDF (``_build/kziran-edition.pdf``, from ``make pdf``)
  is copied into the output, and the root ``index.html``, a bare redirect written by
  sphinx-external-toc, becomes a complete page (language, title, a link).

The PDF link
- ``pdf-edition`` role: in HTML a link to the PDF when one has been published, otherwise a
  note saying how to build it, so the HTML build passes with or without a PDF. Pages that
  use the role are read again when the PDF appears, disappears or changes
  (``env-get-outdated``). In the PDF itself the role is plain text.

PDF edition (LaTeX builder)
- A table pasted from another page (``{glue}`` with ``:doc:``, the claims register) is
  parsed from its Markdown into a real table (MyST-NB would print its text summary).
- Tables get column widths from their content, may break across pages when long, take a
  smaller font when they have many columns, and long identifiers get break points.
- The CSV link under each table (HTML only) leaves no stray line.

Glossary and languages
- ``kziran-glossary`` directive: one table per kind of entry from ``book/glossary.yml``:
  the English form our prose uses, the Kazakh and Russian forms, other spellings with
  when we use them, and what the name stands for. ``tests/test_glossary.py`` checks the
  book's prose against the same file.
- ``kk`` and ``ru`` roles mark a Kazakh or Russian word inside English text. docutils
  turns a class ``language-xx`` into ``lang="xx"`` in HTML, so the roles, the glossary
  cells and a MyST ``{container} language-kk`` block (the Kazakh abstract) are marked up
  for screen readers and browsers.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import shutil
from pathlib import Path
from typing import ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import paths
from .pdf import NAME as PDF_NAME
from .pdf import PUBLISHED as PDF

logger = logging.getLogger(__name__)

GLOSSARY = paths.BOOK / "glossary.yml"
KINDS = {  # kind -> caption of its table (in this order)
    "place": "Places",
    "organisation": "Organisations, companies and programmes",
    "person": "People",
    "term": "Terms of trade and statistics",
}
LANGS = ("kk", "ru", "fa", "tk")
_REQUIRED = ("en", "kind", "kk", "ru", "what")


# -- offline pages ---------------------------------------------------------------------

def _thebe_on(app) -> bool:
    buttons = (app.config.html_theme_options or {}).get("launch_buttons", {}) or {}
    return bool(buttons.get("thebe"))


def _is_thebe(asset) -> bool:
    name = getattr(asset, "filename", None) or str(asset)
    body = (getattr(asset, "attributes", None) or {}).get("body", "") or ""
    return "thebe" in name or "THEBE_JS_URL" in body


def _drop_thebe_config(app, doctree, docname) -> None:
    """sphinx-thebe puts its (inert) configuration block into every page; drop it too."""
    if _thebe_on(app):
        return
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext().strip()
        if "x-thebe-config" in text or text.startswith("<script>kernelName ="):
            node.parent.remove(node)


def _drop_html_only_links(app, doctree, docname) -> None:
    """Outside HTML, the CSV link under each table (inline HTML around its text) would
    leave a bare "Download this table as CSV" line: drop that paragraph."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(nodes.raw)):
        if node.astext().startswith('<a class="kziran-csv"'):
            para = node.parent
            if isinstance(para, nodes.paragraph) and para.parent is not None:
                para.parent.remove(para)


class PrintGlue(SphinxPostTransform):
    """Outside HTML, paste a table glued from another page (``{glue}`` with ``:doc:``) from
    its Markdown, as a real numbered table. MyST-NB's cross-page glue knows no Markdown and
    would fall back to the table's plain-text summary (the claims register in the PDF)."""

    default_priority = 4  # before MyST-NB's own cross-document glue (5)

    def run(self, **kwargs) -> None:
        if self.app.builder.format == "html":
            return
        from myst_nb.ext.glue.crossref import read_glue_cache
        from myst_nb.ext.glue.utils import PendingGlueReference

        folder = self.env.mystnb_config.output_folder
        for node in list(self.document.findall(PendingGlueReference)):
            if node.inline or node.gtype == "text":
                continue
            output = read_glue_cache(folder, node.refdoc).get(node.key, {})
            markdown = output.get("data", {}).get("text/markdown")
            if markdown:
                node.replace_self(self._parse("".join(markdown)))

    def _parse(self, text: str) -> list[nodes.Node]:
        from docutils.utils import new_document
        from myst_parser.parsers.sphinx_ import MystParser

        doc = new_document(self.document["source"], self.document.settings)
        MystParser().parse(text, doc)
        return list(doc.children)


PRINT_FONTS = [  # (least columns, LaTeX size, characters in a line of a table)
    (9, "scriptsize", 135), (7, "footnotesize", 110), (0, None, 85)]
LONG_TABLE = 20  # rows: longer tables may break across pages
_BREAK_AFTER = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[/_.:-])")


def _fit_tables_for_print(app, doctree, docname) -> None:
    """Outside HTML, make tables fit the page. Left alone, Sphinx sets a table as tabulary,
    which cannot break across pages and sizes columns poorly for numbers, or, from 31 rows,
    as a longtable whose columns never wrap and run off the page. Here every table without
    given widths gets column widths from its content, tables of more than 20 rows may
    break across pages, tables with many columns get a smaller font, and long identifiers
    (source keys such as ``KazakhstanToday2009GorganConsulate``) get break points."""
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        tgroup = next(table.findall(nodes.tgroup), None)
        if tgroup is None:
            continue
        for text in list(table.findall(nodes.Text)):
            _allow_breaks(text)
        for para in list(table.findall(nodes.paragraph)):
            if not para.astext().strip():  # an empty cell: LaTeX would add a blank line
                para.parent.remove(para)
        rows = list(tgroup.findall(nodes.row))
        if len(rows) > LONG_TABLE and "longtable" not in table["classes"]:
            table["classes"].append("longtable")
        if "colwidths-given" in table["classes"]:
            continue
        specs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
        head = sum(len(list(t.findall(nodes.row))) for t in tgroup.findall(nodes.thead))
        size, line = next((sz, ln) for least, sz, ln in PRINT_FONTS if len(specs) >= least)
        cells = [[e.astext() for e in r.children] for r in rows]
        for spec, width in zip(specs, column_widths(cells, len(specs), line, head)):
            spec["colwidth"] = width
        table["classes"].append("colwidths-given")
        if size:
            parent = table.parent
            at = parent.index(table)
            parent.insert(at + 1, nodes.raw("", "\\endgroup\n", format="latex"))
            parent.insert(at, nodes.raw("", f"\\begingroup\\{size}\n", format="latex"))


def column_widths(cells: list[list[str]], ncols: int, line: int = 85,
                  head: int = 1) -> list[int]:
    """Column widths, in characters with padding, for a table's rows (the first ``head``
    of them headers). When everything fits on a line each column is as wide as its longest
    entry. Otherwise short columns (numbers, ids, dates: no entry over 12 characters) keep
    that width and the text columns share the rest of the line by their average length."""
    pad = 3  # the space LaTeX leaves on either side of a column

    def column(rows, i):
        return [r[i] for r in rows if i < len(r)]

    body = cells[head:] or cells
    longest = [max((len(t) for t in column(body, i)), default=1) for i in range(ncols)]
    head_word = [min(8, max((len(w) for t in column(cells[:head], i) for w in t.split()),
                            default=1)) for i in range(ncols)]
    if sum(max(a, b) for a, b in zip(longest, head_word)) + pad * ncols <= line:
        return [max(a, b, 1) + pad for a, b in zip(longest, head_word)]
    mean = [sum(len(t) for t in column(body, i)) / max(1, len(body)) for i in range(ncols)]
    text = [i for i in range(ncols) if longest[i] > 12]
    widths = [max(longest[i] if i not in text else 8, head_word[i], 3) for i in range(ncols)]
    room = max(line - sum(widths) - pad * ncols, 6 * len(text))
    share = sum(mean[i] for i in text) or 1
    for i in text:
        widths[i] += round(room * mean[i] / share)
    return [w + pad for w in widths]


def _allow_breaks(text: nodes.Text) -> None:
    """Split words longer than 15 characters with LaTeX \\allowbreak at case, digit and
    punctuation boundaries."""
    if not any(len(w) > 15 for w in text.astext().split()):
        return
    parts = []
    for piece in re.split(r"(\s+)", text.astext()):
        if len(piece) > 15:
            chunks = _BREAK_AFTER.split(piece)
            for i, chunk in enumerate(chunks):
                parts.append(nodes.Text(chunk))
                if i < len(chunks) - 1:
                    parts.append(nodes.raw("", "\\allowbreak{}", format="latex"))
        elif piece:
            parts.append(nodes.Text(piece))
    text.parent.replace(text, parts)


def _offline_assets(app, pagename, templatename, context, doctree) -> None:
    if _thebe_on(app):
        return
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


# -- the PDF edition --------------------------------------------------------------------

def pdf_state() -> str | None:
    """A fingerprint of the published PDF, or None when there is none."""
    if not PDF.exists():
        return None
    return hashlib.sha256(PDF.read_bytes()).hexdigest()


def pdf_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    env.kziran_pdf_docs = getattr(env, "kziran_pdf_docs", set()) | {env.docname}
    if env.app.builder.format != "html":
        return [nodes.Text(text)], []
    if PDF.exists():
        target = posixpath.relpath(f"{PDF_NAME}.pdf", posixpath.dirname(env.docname) or ".")
        size = f"{PDF.stat().st_size / 1e6:.1f} MB"
        ref = nodes.reference(rawtext, f"{text} ({size})", refuri=target,
                              classes=["kziran-pdf-link"])
        return [ref], []
    note = nodes.inline(rawtext, f"{text} (not built for this copy of the book: run "
                        "`make pdf`, then `make book`)", classes=["kziran-pdf-missing"])
    return [note], []


def _pdf_outdated(app, env, added, changed, removed):
    state = pdf_state()
    if getattr(env, "kziran_pdf_state", None) == state:
        return []
    env.kziran_pdf_state = state
    docs = getattr(env, "kziran_pdf_docs", set())
    return sorted(d for d in docs if d in env.found_docs and d not in added | changed)


def _purge(app, env, docname) -> None:
    docs = getattr(env, "kziran_pdf_docs", None)
    if docs:
        docs.discard(docname)


def _merge(app, env, docnames, other) -> None:
    env.kziran_pdf_docs = (getattr(env, "kziran_pdf_docs", set())
                           | getattr(other, "kziran_pdf_docs", set()))


def _finish_html(app, exception) -> None:
    """Copy the published PDF into the HTML edition (or drop a stale copy), and make the
    root index.html, a bare redirect written by sphinx-external-toc, a complete page."""
    if exception is not None or app.builder.name != "html":
        return
    target = Path(app.outdir) / f"{PDF_NAME}.pdf"
    if PDF.exists():
        shutil.copyfile(PDF, target)
    else:
        target.unlink(missing_ok=True)
    index = Path(app.outdir) / "index.html"
    if app.config.root_doc != "index" and (
            not index.exists() or index.read_text(encoding="utf-8").startswith("<meta")):
        url = f"{app.config.root_doc}.html"
        title = html.escape(app.config.html_title or app.config.project)
        index.write_text(
            f'<!DOCTYPE html>\n<html lang="{app.config.language or "en"}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta http-equiv="refresh" content="0; url={url}">\n</head>\n<body>\n'
            f'<p><a href="{url}">{title}</a></p>\n</body>\n</html>\n', encoding="utf-8")


# -- languages --------------------------------------------------------------------------

def _lang_role(lang: str):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.inline(rawtext, text, classes=[f"language-{lang}"])], []
    return role


# -- the glossary -----------------------------------------------------------------------

def load_glossary(path=GLOSSARY) -> list[dict]:
    """The glossary entries, checked for the fields every entry needs."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    for i, e in enumerate(entries):
        missing = [k for k in _REQUIRED if not e.get(k)]
        if missing:
            problems.append(f"entry {i + 1} ({e.get('en')}): missing {', '.join(missing)}")
        if e.get("kind") not in KINDS:
            problems.append(f"entry {e.get('en')}: kind must be one of {', '.join(KINDS)}")
        for v in e.get("variants", []):
            if not v.get("form") or not v.get("use"):
                problems.append(f"entry {e.get('en')}: a variant needs 'form' and 'use'")
            if v.get("lang", "en") not in ("en", *LANGS):
                problems.append(f"entry {e.get('en')}: unknown language {v.get('lang')}")
    if problems:
        raise ValueError(f"{paths.relative(path)}: " + "; ".join(problems))
    return entries


class GlossaryDirective(SphinxDirective):
    """``{kziran-glossary} place``: the table of one kind of entry from book/glossary.yml."""

    required_arguments = 1
    option_spec: ClassVar[dict] = {"name": directives.unchanged}

    def _cell(self, text: str, lang: str | None = None) -> nodes.entry:
        entry = nodes.entry()
        para = nodes.paragraph()
        inline, messages = self.parse_inline(text, lineno=self.lineno)
        para.extend(inline)
        if lang:
            para["classes"].append(f"language-{lang}")
        entry += para
        entry.extend(messages)
        return entry

    def _variants(self, entry: dict) -> nodes.entry:
        cell = nodes.entry()
        for v in entry.get("variants", []):
            para = nodes.paragraph()
            lang = v.get("lang", "en")
            form = nodes.emphasis(text=v["form"])
            if lang != "en":
                form["classes"].append(f"language-{lang}")
            para += form
            inline, messages = self.parse_inline(f": {v['use']}", lineno=self.lineno)
            para.extend(inline)
            cell += para
            cell.extend(messages)
        return cell

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        self.env.note_dependency(str(GLOSSARY))
        try:
            entries = [e for e in load_glossary() if e["kind"] == kind]
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise self.error(str(exc)) from exc
        # longtable: in the PDF a glossary table runs over several pages
        table = nodes.table(classes=["kziran-glossary", "colwidths-given", "longtable"])
        table += nodes.title(text=f"Glossary: {KINDS[kind].lower()}")
        header = ["English (as used in this book)", "Kazakh", "Russian",
                  "Other spellings, and when we use them", "What it is"]
        widths = [14, 13, 13, 35, 25]
        tgroup = nodes.tgroup(cols=len(header))
        table += tgroup
        for w in widths:
            tgroup += nodes.colspec(colwidth=w)
        thead = nodes.thead()
        tgroup += thead
        row = nodes.row()
        for h in header:
            row += nodes.entry("", nodes.paragraph(text=h))
        thead += row
        tbody = nodes.tbody()
        tgroup += tbody
        for e in entries:
            row = nodes.row()
            row += self._cell(f"**{e['en']}**" + (f" ({e['full']})" if e.get("full") else ""))
            row += self._cell(e["kk"], "kk")
            row += self._cell(e["ru"], "ru")
            row += self._variants(e)
            row += self._cell(e["what"])
            tbody += row
        self.options.setdefault("name", f"tbl-glossary-{kind}")
        self.add_name(table)
        return [table]


def _teach_smartquotes() -> None:
    """docutils knows no quotation marks for Kazakh or Turkmen and warns for every marked
    passage; Kazakh uses the Russian marks, Turkmen (in Latin script) the Turkish ones."""
    from docutils.utils.smartquotes import smartchars

    smartchars.quotes.setdefault("kk", smartchars.quotes["ru"])
    smartchars.quotes.setdefault("tk", smartchars.quotes["tr"])


def setup(app):
    _teach_smartquotes()
    app.connect("html-page-context", _offline_assets)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    app.connect("doctree-resolved", _drop_html_only_links)
    app.connect("doctree-resolved", _fit_tables_for_print)
    app.add_post_transform(PrintGlue)
    app.add_role("pdf-edition", pdf_role)
    app.connect("env-get-outdated", _pdf_outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _finish_html)
    app.add_directive("kziran-glossary", GlossaryDirective)
    for lang in ("kk", "ru"):
        app.add_role(lang, _lang_role(lang))
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
