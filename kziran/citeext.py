"""Sphinx extension: "Cite this ..." blocks, citation_* meta tags and the citation registry.

Every citation comes from CITATION.cff through :mod:`kziran.cite`; nothing is typed per page.

- ``config-inited``: reads CITATION.cff and checks that it agrees with the book's
  configuration (repository URL, title, author): a disagreement is a warning, hence an
  error in the strict build. Sets ``html_baseurl`` (canonical links) from its ``url`` when
  the book configures none.
- ``doctree-read``: records the captions of named tables and figures (parallel-safe).
- ``doctree-resolved``: HTML builders only: under each page title a collapsed "Cite this
  section" block (on the landing page "Cite this edition"), and after every numbered table
  and figure (numbered by Sphinx, found in the doctree: MyST-NB outputs) a "Cite this
  table/figure" block. Other builders (LaTeX) get none of these raw HTML nodes. The
  ``kziran-citation`` directive renders in every builder, as paragraphs and literal blocks.
- ``html-page-context``: Highwire ``citation_*`` meta tags in the head of each page.
- ``build-finished``: saves what was numbered in _build/generated/citations.json, which
  ``python -m kziran cite`` reads.
"""

from __future__ import annotations

import base64
import html
import re
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import cite

logger = logging.getLogger(__name__)

_FORMATS = [  # format, label, file suffix, media type, Pygments lexer
    ("bibtex", "BibTeX", "bib", "application/x-bibtex", "bibtex"),
    ("ris", "RIS", "ris", "application/x-research-info-systems", "text"),
    ("csl", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json", "json"),
]
_NAMES = {"apa": "APA", **{f: name for f, name, *_ in _FORMATS}}


class citation_request(nodes.General, nodes.Element):
    """Placeholder of the ``kziran-citation`` directive, replaced on doctree-resolved
    (numbers of tables and figures are known only then)."""


def _skip(self, node):
    raise nodes.SkipNode


class CitationDirective(SphinxDirective):
    """``kziran-citation`` TARGET: the citation of TARGET (edition, article, a section, a
    table or figure label) in the formats given (default: APA, BibTeX, RIS, CSL-JSON)."""

    required_arguments = 1
    option_spec: ClassVar[dict] = {"formats": directives.unchanged}

    def run(self):
        formats = [f.strip() for f in self.options.get("formats", "apa,bibtex,ris,csl")
                   .split(",") if f.strip()]
        unknown = [f for f in formats if f not in cite.FORMATS]
        if unknown:
            raise self.error(f"unknown citation format(s) {unknown}; use {cite.FORMATS}")
        node = citation_request(target=self.arguments[0], formats=formats)
        self.set_source_info(node)
        return [node]


# ----------------------------------------------------------------------------- setup


def _config_inited(app, config) -> None:
    try:
        meta = cite.load_meta()
    except cite.CitationError as exc:
        logger.warning(f"citations: {exc}", type="kziran", subtype="cite")
        app.kziran_cite_meta = None
        return
    app.kziran_cite_meta = meta
    theme = config.html_theme_options or {}
    seen = {"repository": {"url": theme.get("repository_url", "")},
            "title": config.html_title, "author": config.author}
    for problem in cite.config_problems(meta, seen):
        logger.warning(f"citations: {problem}", type="kziran", subtype="cite")
    if not config.html_baseurl:
        config.html_baseurl = meta.url


def _collect_captions(app, doctree) -> None:
    env = app.env
    found = {}
    for node in doctree.findall(lambda n: isinstance(n, (nodes.table, nodes.figure))):
        if not node["ids"]:
            continue
        kind = nodes.title if isinstance(node, nodes.table) else nodes.caption
        caption = next((c for c in node.children if isinstance(c, kind)), None)
        if caption is None:
            continue
        for node_id in node["ids"]:
            found[node_id] = caption.astext()
    if not hasattr(env, "kziran_cite_captions"):
        env.kziran_cite_captions = {}
    env.kziran_cite_captions[env.docname] = found


def _purge(app, env, docname) -> None:
    getattr(env, "kziran_cite_captions", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "kziran_cite_captions"):
        env.kziran_cite_captions = {}
    for docname in docnames:
        if docname in getattr(other, "kziran_cite_captions", {}):
            env.kziran_cite_captions[docname] = other.kziran_cite_captions[docname]


def _reset(app, env) -> None:
    app.kziran_cite_items = None


def _toc_order(env, root: str) -> list[str]:
    order, stack, seen = [], [root], set()
    while stack:
        doc = stack.pop(0)
        if doc in seen:
            continue
        seen.add(doc)
        order.append(doc)
        stack = [d for d in env.toctree_includes.get(doc, []) if d not in seen] + stack
    return order


def items(app) -> dict[str, cite.Item]:
    """Everything citable in this build, by label (computed once the numbers are known)."""
    cached = getattr(app, "kziran_cite_items", None)
    if cached is not None:
        return cached
    env = app.env
    meta = app.kziran_cite_meta
    root = app.config.root_doc
    captions = getattr(env, "kziran_cite_captions", {})
    result: dict[str, cite.Item] = {}
    for docname in _toc_order(env, root):
        if docname not in env.titles:
            continue
        if docname == root:
            result["edition"] = cite.Item("edition", "edition", meta.title, docname=docname)
        else:
            secnum = env.toc_secnumbers.get(docname, {}).get("") or ()
            label = cite.doc_label(docname)
            if label in result:
                label = docname
            result[label] = cite.Item("section", label, env.titles[docname].astext(),
                                      docname, ".".join(map(str, secnum)))
        numbers = env.toc_fignumbers.get(docname, {})
        for kind in ("table", "figure"):
            for node_id, number in numbers.get(kind, {}).items():
                caption = captions.get(docname, {}).get(node_id)
                if caption is None:
                    continue
                result[node_id] = cite.Item(kind, node_id, cite.clean_caption(caption),
                                            docname, ".".join(map(str, number)), node_id)
    app.kziran_cite_items = result
    return result


# ------------------------------------------------------------------------------ pages


def _data_uri(text: str, media: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:{media};charset=utf-8;base64,{payload}"


def block_html(item: cite.Item, meta: cite.Meta) -> str:
    """The collapsed "Cite this ..." block: APA, stable link and version, downloads, and
    BibTeX, RIS and CSL-JSON to copy (the theme's copy button works on them)."""
    url = html.escape(item.url(meta))
    stem = re.sub(r"[^\w.-]+", "-", item.key(meta))
    anchor = item.anchor or "page"
    downloads, formats = [], []
    for fmt, name, suffix, media, _lexer in _FORMATS:
        text = cite.render(item, fmt, meta)
        downloads.append(f'<a download="{stem}.{suffix}" href="{_data_uri(text, media)}">'
                         f"{name}</a>")
        formats.append(
            f'<details class="kziran-cite-format"><summary>{name}</summary>'
            f'<div class="highlight"><pre data-cite-format="{fmt}">{html.escape(text)}</pre>'
            f"</div></details>")
    return "\n".join([
        (f'<details class="kziran-cite" id="kziran-cite-{anchor}" '
         f'data-cite-label="{html.escape(item.label)}">'),
        f"<summary>Cite this {item.noun}</summary>",
        f'<p class="kziran-cite-apa" data-cite-format="apa">{cite.apa(item, meta, True)}</p>',
        (f'<p class="kziran-cite-links"><a class="kziran-cite-url" href="{url}">Stable link</a>'
         f" · version {html.escape(meta.version)} · download {', '.join(downloads)}</p>"),
        *formats,
        "</details>",
    ])


def _insert_after(node: nodes.Node, new: nodes.Node) -> None:
    parent = node.parent
    parent.insert(parent.index(node) + 1, new)


def _apa_nodes(item: cite.Item, meta: cite.Meta) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    text = cite.apa(item, meta, as_html=True)
    for piece in re.split(r"(<em>.*?</em>|<a href=\"[^\"]*\">.*?</a>)", text):
        if piece.startswith("<em>"):
            out.append(nodes.emphasis(text=html.unescape(piece[4:-5])))
        elif piece.startswith("<a "):
            href = html.unescape(re.match(r'<a href="([^"]*)"', piece).group(1))
            out.append(nodes.reference(href, href, refuri=href))
        elif piece:
            out.append(nodes.Text(html.unescape(piece)))
    return out


def _generic(item: cite.Item, meta: cite.Meta, formats: list[str]) -> nodes.Element:
    box = nodes.container(classes=["kziran-citation"])
    lexers = {f: lexer for f, _n, _s, _m, lexer in _FORMATS}
    for fmt in formats:
        para = nodes.paragraph()
        para += nodes.strong(text=_NAMES[fmt])
        if fmt == "apa":
            para += nodes.Text(": ")
            para.extend(_apa_nodes(item, meta))
            box += para
            continue
        text = cite.render(item, fmt, meta)
        block = nodes.literal_block(text, text, language=lexers[fmt],
                                    classes=[f"kziran-citation-{fmt}"])
        box += [para, block]
    return box


def _resolved(app, doctree, docname) -> None:
    meta = app.kziran_cite_meta
    requests = list(doctree.findall(citation_request))
    if meta is None:
        for node in requests:
            node.replace_self([])
        return
    known = items(app)
    every = [*known.values(), cite.article_item(meta)]
    if requests and app.builder.format != "html":
        # Citations point to the HTML edition, so they carry its numbers (LaTeX numbers
        # tables and figures its own way) when an HTML build has recorded them.
        every = [*(cite.load_registry() or known.values()), cite.article_item(meta)]
    for node in requests:
        try:
            item = cite.find(node["target"], every)
        except cite.CitationError as exc:
            logger.warning(f"kziran-citation: {exc}", location=node, type="kziran",
                           subtype="cite")
            node.replace_self([])
            continue
        node.replace_self(_generic(item, meta, node["formats"]))
    if app.builder.format != "html":
        return  # raw HTML blocks would break LaTeX and other builders

    page = next((i for i in known.values()
                 if i.docname == docname and i.kind in ("edition", "section")), None)
    if page is not None:
        section = next(iter(doctree.findall(nodes.section)), None)
        title = section.next_node(nodes.title) if section is not None else None
        if title is not None:
            _insert_after(title, nodes.raw("", block_html(page, meta), format="html"))

    targets = {i.anchor: i for i in known.values() if i.kind in ("table", "figure")}
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.table, nodes.figure)))):
        item = next((targets[i] for i in node["ids"] if i in targets), None)
        if item is None:
            continue
        after = node
        following = node.next_node(descend=False, siblings=True)
        if isinstance(following, nodes.paragraph) and "kziran-csv" in str(following):
            after = following  # keep the CSV link right under its table
        _insert_after(after, nodes.raw("", block_html(item, meta), format="html"))


def _page_context(app, pagename, templatename, context, doctree) -> None:
    meta = getattr(app, "kziran_cite_meta", None)
    if meta is None or doctree is None:
        return
    page = next((i for i in items(app).values()
                 if i.docname == pagename and i.kind in ("edition", "section")), None)
    if page is None:
        return
    tags = "".join(f'\n<meta name="{name}" content="{html.escape(value)}" />'
                   for name, value in cite.highwire(page, meta))
    context["metatags"] = context.get("metatags", "") + tags


def _finished(app, exception) -> None:
    if exception is not None or getattr(app, "kziran_cite_meta", None) is None:
        return
    if app.builder.format != "html":
        return
    cite.save_registry(list(items(app).values()))


def setup(app):
    app.add_node(citation_request, **{fmt: (_skip, None) for fmt in
                                      ("html", "latex", "text", "man", "texinfo")})
    app.add_directive("kziran-citation", CitationDirective)
    app.add_css_file("cite.css")
    app.connect("config-inited", _config_inited)
    app.connect("doctree-read", _collect_captions)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _reset)
    app.connect("doctree-resolved", _resolved)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _finished)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
