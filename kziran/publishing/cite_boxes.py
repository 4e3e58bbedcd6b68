"""Sphinx extension: "Cite this ..." boxes, citation_* meta tags, and the record of items.

Every citation comes from :mod:`.citations` (CITATION.cff, one CSL-JSON record per item);
nothing is typed per page.

- ``config-inited``: reads CITATION.cff and checks that it agrees with the book's
  configuration; a disagreement is a warning, hence an error in the strict build.
- ``doctree-read``: records the captions of named tables and figures.
- ``doctree-resolved`` (HTML): under each page title a collapsed "Cite this section" box
  (on the landing page "Cite this edition"), and after every numbered table and figure a
  "Cite this table/figure" box. The ``kziran-citation`` directive (the how-to-cite page)
  renders in every builder.
- ``html-page-context``: Highwire ``citation_*`` meta tags in the head of each page.
- ``build-finished``: writes every item's CSL-JSON record to ``citations.json`` in the
  HTML output, which ``python -m kziran cite`` reads.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import editions, labels, links
from ..paths import Layout
from . import citations, keep_per_page
from .languages import mark_tree

logger = logging.getLogger(__name__)

DOWNLOADS = [  # format, label, file suffix, media type
    ("bibtex", "BibTeX", "bib", "application/x-bibtex"),
    ("ris", "RIS", "ris", "application/x-research-info-systems"),
    ("csl", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
]
NAMES = {"apa": "APA", **{f: name for f, name, *_ in DOWNLOADS}}


class citation_request(nodes.General, nodes.Element):
    """Placeholder of the ``kziran-citation`` directive, replaced on doctree-resolved
    (numbers of tables and figures are known only then)."""


class CitationDirective(SphinxDirective):
    """``kziran-citation`` TARGET: the citation of TARGET (edition, article, a section, a
    table or figure label) in the formats given (default: all four)."""

    required_arguments = 1
    option_spec: ClassVar[dict] = {"formats": directives.unchanged}

    def run(self):
        formats = [f.strip() for f in self.options.get("formats", ",".join(citations.FORMATS))
                   .split(",") if f.strip()]
        unknown = [f for f in formats if f not in citations.FORMATS]
        if unknown:
            raise self.error(f"unknown citation format(s) {unknown}; use {citations.FORMATS}")
        node = citation_request(target=self.arguments[0], formats=formats)
        self.set_source_info(node)
        return [node]


def _config_inited(app, config) -> None:
    import yaml

    layout = Layout(app.srcdir)
    try:
        meta = citations.load_meta(layout)
    except citations.CitationError as exc:
        logger.warning(f"citations: {exc}", type="kziran", subtype="cite")
        app.kziran_meta = None
        return
    app.kziran_meta = meta
    book = yaml.safe_load(layout.config.read_text(encoding="utf-8")) or {}
    for problem in citations.config_problems(meta, book):
        logger.warning(f"citations: {problem}", type="kziran", subtype="cite")


def _collect_captions(app, doctree) -> None:
    found = {}
    for node in doctree.findall(lambda n: isinstance(n, (nodes.table, nodes.figure))):
        kind = nodes.title if isinstance(node, nodes.table) else nodes.caption
        caption = next((c for c in node.children if isinstance(c, kind)), None)
        if caption is not None:
            for node_id in node["ids"]:
                found[node_id] = " ".join(caption.astext().split())
    if not hasattr(app.env, "kziran_captions"):
        app.env.kziran_captions = {}
    app.env.kziran_captions[app.env.docname] = found


def _caption_title(text: str) -> str:
    """A caption as a title: without its trailing "Source(s): ..." and full stop."""
    return re.split(r"\.?\s+Sources?:\s", text, maxsplit=1)[0].rstrip(" .")


def _page_label(docname: str) -> str:
    """notebooks/04_results -> results; book/claims -> claims."""
    return re.sub(r"^\d+_", "", docname.rsplit("/", 1)[-1])


def records(app) -> list[dict]:
    """Every citable item of this build, in reading order (computed once numbers exist)."""
    if getattr(app, "kziran_records", None) is not None:
        return app.kziran_records
    env, meta = app.env, app.kziran_meta
    root = app.config.root_doc
    order, stack = [], [root]
    while stack:  # depth-first through the toctree: the reading order
        doc = stack.pop(0)
        if doc not in order:
            order.append(doc)
            stack = list(env.toctree_includes.get(doc, [])) + stack
    out = []
    lang = app.config.language or editions.SOURCE
    for doc in (d for d in order if d in env.titles):
        if doc == root:
            out.append(citations.record(meta, "edition", "edition",
                                        citations.edition_title(meta, lang), doc, lang=lang))
        else:
            number = ".".join(map(str, env.toc_secnumbers.get(doc, {}).get("") or ()))
            out.append(citations.record(meta, "section", _page_label(doc),
                                        env.titles[doc].astext(), doc, number, lang=lang))
        captions = getattr(env, "kziran_captions", {}).get(doc, {})
        for kind in ("table", "figure"):
            for node_id, num in env.toc_fignumbers.get(doc, {}).get(kind, {}).items():
                if node_id in captions:
                    out.append(citations.record(meta, kind, node_id,
                                                _caption_title(captions[node_id]), doc,
                                                ".".join(map(str, num)), node_id, lang=lang))
    app.kziran_records = [*out, meta.article]
    return app.kziran_records


CITE_FOLDER = "cite"


def citation_files(rec: dict, outdir: Path, docname: str) -> dict[str, str]:
    """Write a record's BibTeX, RIS and CSL-JSON files under ``cite/`` of the output and
    return their addresses relative to the page (format -> link)."""
    stem = re.sub(r"[^\w.-]+", "-", rec["id"])
    base = posixpath.relpath(CITE_FOLDER, posixpath.dirname(docname) or ".")
    out = {}
    for fmt, _name, suffix, _media in DOWNLOADS:
        data = (citations.render(rec, fmt) + "\n").encode("utf-8")
        path = outdir / CITE_FOLDER / f"{stem}.{suffix}"
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        out[fmt] = f"{base}/{stem}.{suffix}"
    return out


def box_html(rec: dict, version: str, files: dict[str, str],
             lang: str = editions.SOURCE) -> str:
    """The collapsed box: APA, stable link and version, downloads (``files``: format ->
    the address of its file), and BibTeX, RIS and CSL-JSON to copy."""
    label = citations.label(rec)
    downloads, blocks = [], []
    for fmt, name, _suffix, _media in DOWNLOADS:
        text = citations.render(rec, fmt)
        downloads.append(f'<a download href="{links.href(files[fmt], relative=True)}">'
                         f"{name}</a>")
        blocks.append(f'<details class="kziran-cite-format"><summary>{name}</summary>'
                      f'<div class="highlight"><pre data-cite-format="{fmt}">'
                      f"{html.escape(text)}</pre></div></details>")
    kind = citations.kind(rec)
    anchor = label if kind in ("table", "figure") else "page"
    return "\n".join([
        (f'<details class="kziran-cite" id="kziran-cite-{html.escape(anchor)}" '
        f'data-cite-label="{html.escape(label)}">'),
        f"<summary>{html.escape(labels.text(f'cite.box.{kind}', lang))}</summary>",
        f'<p class="kziran-cite-apa" data-cite-format="apa">{citations.apa(rec, True)}</p>',
        (f'<p class="kziran-cite-links"><a class="kziran-cite-url" '
        f'href="{links.href(rec["URL"])}">{html.escape(labels.text("cite.stable_link", lang))}'
        f"</a> · {html.escape(labels.text('cite.version', lang, version=version))}"
        f" · {html.escape(labels.text('cite.download', lang, files='{files}'))}</p>"
        ).replace("{files}", ", ".join(downloads)),
        *blocks, "</details>"])


def _directive_nodes(rec: dict, formats: list[str], builder_format: str) -> nodes.Element:
    box = nodes.container(classes=["kziran-citation"])
    for fmt in formats:
        para = nodes.paragraph()
        para += nodes.strong(text=NAMES[fmt])
        if fmt == "apa":
            para += nodes.Text(": ")
            if builder_format == "html":
                para += nodes.raw("", citations.apa(rec, True), format="html")
            else:
                para += nodes.Text(citations.apa(rec))
            box += para
            continue
        text = citations.render(rec, fmt)
        box += [para, nodes.literal_block(text, text, language={"csl": "json"}.get(fmt, "text"),
                                          classes=[f"kziran-citation-{fmt}"])]
    return box


def _resolved(app, doctree, docname) -> None:
    meta = app.kziran_meta
    requests = list(doctree.findall(citation_request))
    if meta is None:
        for node in requests:
            node.replace_self([])
        return
    every = records(app)
    for node in requests:
        try:
            rec = citations.find(node["target"], every)
        except citations.CitationError as exc:
            logger.warning(f"kziran-citation: {exc}", location=node, type="kziran",
                           subtype="cite")
            node.replace_self([])
            continue
        made = _directive_nodes(rec, node["formats"], app.builder.format)
        if app.builder.format == "html":
            mark_tree(made, app.config.language or "en")
        node.replace_self(made)
    if app.builder.format != "html":
        return
    lang = app.config.language or editions.SOURCE
    mine = [r for r in every if r.get("custom", {}).get("page") == docname]
    page = next((r for r in mine if citations.kind(r) in ("edition", "section")), None)
    section = next(iter(doctree.findall(nodes.section)), None)
    title = section.next_node(nodes.title) if section is not None else None
    if page is not None and title is not None:
        title.parent.insert(title.parent.index(title) + 1,
                            nodes.raw("", box_html(page, citations.version_label(meta, lang),
                                                   citation_files(page, Path(app.outdir),
                                                                  docname), lang),
                                      format="html"))
    targets = {r["custom"]["label"]: r for r in mine if citations.kind(r) in ("table", "figure")}
    for node in list(doctree.findall(lambda n: isinstance(n, (nodes.table, nodes.figure)))):
        rec = next((targets[i] for i in node["ids"] if i in targets), None)
        if rec is None:
            continue
        after = node
        following = node.next_node(descend=False, siblings=True)
        if isinstance(following, nodes.paragraph) and "kziran-downloads" in following["classes"]:
            after = following  # keep the download links right under their table
        after.parent.insert(after.parent.index(after) + 1,
                            nodes.raw("", box_html(rec, citations.version_label(meta, lang),
                                                   citation_files(rec, Path(app.outdir),
                                                                  docname), lang),
                                      format="html"))


def _page_context(app, pagename, templatename, context, doctree) -> None:
    meta = getattr(app, "kziran_meta", None)
    if meta is None or doctree is None:
        return
    page = next((r for r in records(app) if r.get("custom", {}).get("page") == pagename
                 and citations.kind(r) in ("edition", "section")), None)
    if page is not None:
        context["metatags"] = context.get("metatags", "") + "".join(
            f'\n<meta name="{name}" content="{html.escape(value)}" />'
            for name, value in citations.highwire(page, meta))


def _finished(app, exception) -> None:
    if exception is None and app.builder.format == "html" and app.kziran_meta is not None:
        text = json.dumps(records(app), ensure_ascii=False, indent=1) + "\n"
        (Path(app.outdir) / "citations.json").write_text(text, encoding="utf-8")


def _forget(app, env) -> None:
    app.kziran_records = None


def setup(app):
    def skip(self, node):
        raise nodes.SkipNode

    app.add_node(citation_request, **{f: (skip, None) for f in ("html", "latex", "text")})
    app.add_directive("kziran-citation", CitationDirective)
    app.add_css_file("cite.css")
    app.connect("config-inited", _config_inited)
    app.connect("doctree-read", _collect_captions)
    keep_per_page(app, "kziran_captions")
    app.connect("env-updated", _forget)
    app.connect("doctree-resolved", _resolved)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
