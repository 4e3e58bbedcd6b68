"""Sphinx extension: the glossary and the languages of the text.

- ``kziran-glossary`` directive: one table per kind of entry of ``book/glossary.yml``: the
  English form our prose uses, the Kazakh and Russian forms, other spellings with when we
  use them, and what the name stands for. Its text is shown as written (never parsed as
  markup). ``tests/test_glossary.py`` checks the book's prose against the same file.
- ``kk`` and ``ru`` roles mark a Kazakh or Russian word inside English text. docutils turns
  a class ``language-xx`` into ``lang="xx"`` in HTML, so the roles, the glossary cells and
  a ``{container} language-kk`` block are marked up for screen readers and browsers.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

KINDS = {  # kind -> caption of its table (in this order)
    "place": "Places",
    "organisation": "Organisations, companies and programmes",
    "person": "People",
    "term": "Terms of trade and statistics",
}
LANGS = ("kk", "ru", "fa", "tk")
REQUIRED = ("en", "kind", "kk", "ru", "what")
HEADER = ["English (as used in this book)", "Kazakh", "Russian",
          "Other spellings, and when we use them", "What it is"]
WIDTHS = [14, 13, 13, 35, 25]


def load_glossary(path: Path) -> list[dict]:
    """The glossary entries, checked for the fields every entry needs."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    for i, e in enumerate(entries):
        missing = [k for k in REQUIRED if not e.get(k)]
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
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return entries


def _cell(*parts: nodes.Node, lang: str | None = None) -> nodes.entry:
    para = nodes.paragraph("", "", *parts)
    if lang:
        para["classes"].append(f"language-{lang}")
    return nodes.entry("", para)


class GlossaryDirective(SphinxDirective):
    """``{kziran-glossary} place``: the table of one kind of entry from book/glossary.yml."""

    required_arguments = 1
    option_spec: ClassVar[dict] = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        path = Path(self.env.srcdir) / "book" / "glossary.yml"
        self.env.note_dependency(str(path))
        try:
            entries = [e for e in load_glossary(path) if e["kind"] == kind]
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise self.error(str(exc)) from exc
        # longtable: in the PDF a glossary table runs over several pages
        table = nodes.table(classes=["kziran-glossary", "colwidths-given", "longtable"])
        table += nodes.title(text=f"Glossary: {KINDS[kind].lower()}")
        tgroup = nodes.tgroup(cols=len(HEADER))
        table += tgroup
        tgroup += [nodes.colspec(colwidth=w) for w in WIDTHS]
        tgroup += nodes.thead("", nodes.row("", *[_cell(nodes.Text(h)) for h in HEADER]))
        body = nodes.tbody()
        tgroup += body
        for e in entries:
            name = [nodes.strong(text=e["en"])]
            if e.get("full"):
                name.append(nodes.Text(f" ({e['full']})"))
            variants = nodes.entry()
            for v in e.get("variants", []):
                form = nodes.emphasis(text=v["form"])
                if v.get("lang", "en") != "en":
                    form["classes"].append(f"language-{v['lang']}")
                variants += nodes.paragraph("", "", form, nodes.Text(f": {v['use']}"))
            body += nodes.row("", _cell(*name), _cell(nodes.Text(e["kk"]), lang="kk"),
                              _cell(nodes.Text(e["ru"]), lang="ru"), variants,
                              _cell(nodes.Text(e["what"])))
        self.options.setdefault("name", f"tbl-glossary-{kind}")
        self.add_name(table)
        return [table]


def _language_role(lang: str):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.inline(rawtext, text, classes=[f"language-{lang}"])], []
    return role


def setup(app):
    # The quotation marks of Kazakh and Turkmen passages: see docutils.conf.
    app.add_directive("kziran-glossary", GlossaryDirective)
    for lang in ("kk", "ru"):
        app.add_role(lang, _language_role(lang))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
