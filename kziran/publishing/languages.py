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

import html
import posixpath
import re
from pathlib import Path
from typing import ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .. import editions, labels
from ..paths import Layout

KINDS = ("place", "organisation", "person", "term")  # one table each, in this order
LANGS = ("kk", "ru", "fa", "tk")
REQUIRED = ("en", "kind", "kk", "ru", "what")
COLUMNS = ("en", "kk", "ru", "variants", "what")  # their headers: labels glossary.header.*
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
        lang = self.config.language or editions.SOURCE
        table = nodes.table(classes=["kziran-glossary", "colwidths-given", "longtable"])
        table += nodes.title(text=labels.text("glossary.caption", lang, kind=labels.text(
            f"glossary.kind.{kind}", lang).lower()))
        tgroup = nodes.tgroup(cols=len(COLUMNS))
        table += tgroup
        tgroup += [nodes.colspec(colwidth=w) for w in WIDTHS]
        tgroup += nodes.thead("", nodes.row("", *[
            _cell(nodes.Text(labels.text(f"glossary.header.{c}", lang))) for c in COLUMNS]))
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


CYRILLIC_RUN = re.compile(r"[\u0400-\u04FF][\u0400-\u04FF\s\-–—«»„“”'’.,:;!?()0-9]*"
                          r"[\u0400-\u04FF»”)]|[\u0400-\u04FF]")
KAZAKH_LETTERS = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
SKIP = (nodes.raw, nodes.comment, nodes.literal, nodes.literal_block, nodes.system_message)


def guess(run: str, page: str) -> str | None:
    """The language of a Cyrillic run of text on a page in ``page``'s language: Kazakh
    where Kazakh letters show it, Russian for three or more words without them, else the
    language the book's Cyrillic quotes are in (the article's: Kazakh). None when the run is
    in the page's own language."""
    if KAZAKH_LETTERS.search(run):
        lang = "kk"
    elif len(re.findall(r"[\u0400-\u04FF]+", run)) >= 3:
        lang = "ru"
    else:
        lang = "kk"
    return None if lang == page else lang


def _marked(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP) or any(c.startswith("language-")
                                           for c in parent.get("classes", ())):
            return True
        parent = parent.parent
    return False


def mark_html(html: str, page: str) -> str:
    """HTML whose Cyrillic runs of text (outside its tags) carry their language."""
    out = []
    for piece in re.split(r"(<[^>]*>)", html):
        if piece.startswith("<"):
            out.append(piece)
            continue
        out.append(CYRILLIC_RUN.sub(
            lambda m: (f'<span lang="{lang}">{m.group(0)}</span>'
                       if (lang := guess(m.group(0), page)) else m.group(0)), piece))
    return "".join(out)


class MarkLanguages(SphinxPostTransform):
    """Every Kazakh or Russian run of text that nothing marked yet carries its language
    (WCAG 3.1.2): the prose marks its words with the ``kk`` and ``ru`` roles; text from the
    data (titles, notes, the article's incipits) is marked here, by :func:`guess`."""

    default_priority = 990  # after every other transform has made its text
    formats = ("html",)

    def run(self, **kwargs):
        mark_tree(self.document, self.config.language or "en")


def mark_tree(root: nodes.Node, page: str) -> None:
    """Mark every Cyrillic run under ``root`` not yet marked (see :class:`MarkLanguages`;
    the citation boxes, made after Sphinx's transforms, call it on their own nodes)."""
    for raw in list(root.findall(nodes.raw)):
        if "html" in raw.get("format", "") and CYRILLIC_RUN.search(raw.astext()):
            marked = mark_html(raw.astext(), page)
            raw.replace_self(nodes.raw("", marked, format=raw["format"]))
    for block in list(root.findall(nodes.literal_block)):
        found = CYRILLIC_RUN.search(block.astext())
        lang = guess(found.group(0), page) if found else None
        if lang and not _marked(block):  # highlighted code: the whole block is marked
            block.replace_self(nodes.container("", block.deepcopy(),
                                              classes=[f"language-{lang}"]))
    for text in list(root.findall(nodes.Text)):
        if not CYRILLIC_RUN.search(text) or _marked(text):
            continue
        parts, last = [], 0
        for found in CYRILLIC_RUN.finditer(str(text)):
            lang = guess(found.group(0), page)
            if lang is None:
                continue
            parts.append(nodes.Text(str(text)[last:found.start()]))
            parts.append(nodes.inline("", found.group(0), classes=[f"language-{lang}"]))
            last = found.end()
        if parts:
            parts.append(nodes.Text(str(text)[last:]))
            text.parent.replace(text, [p for p in parts if not isinstance(p, nodes.Text)
                                       or str(p)])


class KeepOutputsUntranslated(SphinxTransform):
    """A notebook's outputs are made in every language by the code (kziran.labels): no
    catalog translates them, and the gettext builder leaves them out of the catalogs.
    Runs before Sphinx's own translation of the page (priority 20)."""

    default_priority = 15

    def apply(self, **kwargs):
        for output in self.document.findall(lambda n: isinstance(n, nodes.container)
                                            and "cell_output" in n.get("classes", ())):
            # Block-level text only: an inline element is never translated on its own,
            # and Sphinx unwraps every inline that carries the attribute.
            for node in output.findall(lambda n: isinstance(n, nodes.TextElement)
                                       and not isinstance(n, nodes.Inline)):
                node["translatable"] = False


def own_output_folder(app) -> None:
    """MyST-NB writes a notebook's files into a folder beside the output folder: each build
    (language and builder: one doctree folder each) writes its own, outside the sites."""
    config = getattr(app.env, "mystnb_config", None)
    if config is not None and config.output_folder:
        doctrees = Path(app.doctreedir)
        folder = doctrees.parent / ("jupyter_execute" + doctrees.name.removeprefix(".doctrees"))
        app.env.mystnb_config = config.copy(output_folder=str(folder.resolve()))


def page_in(lang: str, pagename: str, seen_from: str) -> str:
    """The relative address of page ``pagename`` in ``lang``'s site, from the same page
    in ``seen_from``'s."""
    here = posixpath.dirname(f"{editions.prefix(seen_from)}{pagename}.html") or "."
    return posixpath.relpath(f"{editions.prefix(lang)}{pagename}.html", here)


def switcher(lang: str, pagename: str) -> str:
    """The language switcher of a page: each language by its own name, the page's own
    marked as current, each other one a link to the same page in that language."""
    items = []
    for other in editions.LANGUAGES:
        name = html.escape(editions.NAMES[other])
        tag = editions.TAGS[other]
        if other == lang:
            items.append(f'<li><span aria-current="page" lang="{tag}">{name}</span></li>')
        else:
            href = html.escape(page_in(other, pagename, lang))
            items.append(f'<li><a href="{href}" hreflang="{tag}" lang="{tag}">{name}</a></li>')
    label = html.escape(labels.text("ui.languages", lang))
    return (f'<nav class="kziran-languages" aria-label="{label}"><ul>'
            + "".join(items) + "</ul></nav>\n")


def _alternates(app, pagename, templatename, context, doctree) -> None:
    """Every page names itself in the other languages (hreflang) and shows the switcher."""
    if app.builder.format != "html" or doctree is None:
        return
    lang = app.config.language or editions.SOURCE
    tags = [f'<link rel="alternate" hreflang="{editions.TAGS[other]}" '
            f'href="{html.escape(page_in(other, pagename, lang))}">'
            for other in editions.LANGUAGES]
    tags.append(f'<link rel="alternate" hreflang="x-default" '
                f'href="{html.escape(page_in(editions.SOURCE, pagename, lang))}">')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"
    context["body"] = switcher(lang, pagename) + context.get("body", "")


class EditionsDirective(SphinxDirective):
    """``{kziran-languages}``: a sentence naming the languages of the edition, each a link
    to its landing page; ``{kziran-languages} kk``: a link to the edition in Kazakh (under
    the Kazakh abstract). Words from the labels, in the page's language."""

    optional_arguments = 1

    def link(self, lang: str, words: str) -> nodes.reference:
        here = self.config.language or editions.SOURCE
        root = self.config.root_doc
        if self.env.app.builder.format == "html":
            uri = page_in(lang, root, here)
            uri = posixpath.relpath(posixpath.join(posixpath.dirname(root), uri),
                                    posixpath.dirname(self.env.docname) or ".")
        else:  # print: the edition's address
            from .citations import load_meta, site

            uri = site(load_meta(Layout(self.env.srcdir)), lang) + f"{root}.html"
        return nodes.reference("", words, refuri=uri, classes=[f"language-{lang}"]
                               if lang != here else [])

    def run(self) -> list[nodes.Node]:
        here = self.config.language or editions.SOURCE
        if self.arguments:
            lang = self.arguments[0]
            if lang not in editions.LANGUAGES:
                raise self.error(f"no language {lang!r} (languages: "
                                 f"{' '.join(editions.LANGUAGES)})")
            if lang == here:
                return []  # under the abstract in the page's own language: nothing
            link = self.link(lang, labels.text(f"ui.edition_in.{lang}", here))
            link["classes"] = []
            # Words of the labels, in the page's language: no catalog translates them.
            return [nodes.paragraph("", "", link, classes=["kziran-edition-in"],
                                    translatable=False)]
        names = [self.link(lang, labels.text(f"ui.language.{lang}", here))
                 for lang in editions.LANGUAGES]
        for name in names:
            name["classes"] = []
        before, _, after = labels.text("ui.languages_note", here).partition("{languages}")
        listed: list[nodes.Node] = []
        for i, name in enumerate(names):
            if i:
                listed.append(nodes.Text(", " if i < len(names) - 1
                                         else labels.text("ui.list_and", here)))
            listed.append(name)
        return [nodes.paragraph("", "", nodes.Text(before), *listed, nodes.Text(after),
                                classes=["kziran-languages-note"], translatable=False)]


def _catalogs(app) -> None:
    """The theme's own strings in a language its package has no catalog for (Kazakh):
    ``locales/<lang>/LC_MESSAGES/booktheme.po``, after the theme's catalog (Sphinx's and
    pydata-sphinx-theme's strings are in ``sphinx.po`` there, which Sphinx reads itself)."""
    app.add_message_catalog("booktheme", str(editions.catalogs(Layout(app.srcdir))))


def _titles(app, config) -> None:
    """The edition's title and the footer's licence line in the build's language."""
    lang = config.language or editions.SOURCE
    config.html_title = labels.text("edition.title", lang)
    config.project = config.html_title
    config.copyright = labels.text("print.copyright", lang)


def _toc_captions(app, doctree) -> None:
    """The captions of the parts of the table of contents, from the page's catalog (the
    table of contents of _toc.yml is put into the root page after Sphinx translated it)."""
    lang = app.config.language or editions.SOURCE
    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    catalog, found = init_locale(dirs, lang, docname_to_domain(app.env.docname,
                                                                app.config.gettext_compact))
    for node in doctree.findall(addnodes.toctree):
        if found and node.get("caption"):
            node["caption"] = catalog.gettext(node["caption"])


def setup(app):
    app.connect("config-inited", _titles)
    app.connect("doctree-read", _toc_captions)
    app.connect("builder-inited", _catalogs)
    app.connect("html-page-context", _alternates)
    app.add_transform(KeepOutputsUntranslated)
    app.connect("builder-inited", own_output_folder, priority=900)
    # The quotation marks of Kazakh and Turkmen passages: see docutils.conf.
    app.add_directive("kziran-glossary", GlossaryDirective)
    app.add_directive("kziran-languages", EditionsDirective)
    for lang in ("kk", "ru"):
        app.add_role(lang, _language_role(lang))
    app.add_post_transform(MarkLanguages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
