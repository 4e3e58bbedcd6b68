"""Citations of the edition, of its sections, numbered tables and figures, and of the article.

One metadata source: ``CITATION.cff`` at the repository root (title, authors, version, date
released, licences, repository and book URLs, and the edited article among its
``references``). Everything else is derived from it here, in one place:

- the "Cite this ..." blocks and the Highwire ``citation_*`` meta tags of the pages
  (:mod:`kziran.citeext`, at build time);
- ``python -m kziran cite <target> --format bibtex|ris|csl|apa``, which prints the same text
  as the pages;
- ``.zenodo.json`` (``python -m kziran cite --write-zenodo``).

What can be cited is an :class:`Item`: the edition, a section (a page of the table of
contents), a numbered table or figure, or the edited article. Section numbers and titles,
and the numbers and captions of tables and figures, are Sphinx's: the extension saves
them in ``_build/generated/citations.json`` at every HTML build. Without a build, the
sections are derived from ``_toc.yml`` and the pages' first headings (a test checks that
both agree); tables and figures then need a build.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from . import paths
from .util import atomic_write_text

FORMATS = ("bibtex", "ris", "csl", "apa")
LANGUAGE = "en"  # the language of the edition (CFF has no field for it)
_KINDS = ("edition", "section", "table", "figure", "article")
_DATA_TYPES = ("data", "database", "dataset")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


class CitationError(Exception):
    """Missing or inconsistent citation metadata, or an unknown citation target."""


# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class Meta:
    """The edition's citation metadata, as read from CITATION.cff."""

    title: str
    authors: tuple
    version: str
    released: date
    licenses: tuple
    repository: str
    url: str
    abstract: str = ""
    keywords: tuple = ()
    references: tuple = ()
    doi: str = ""

    @property
    def key(self) -> str:
        return f"kziran{self.released.year}"


def _date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def load_meta(path: Path | None = None) -> Meta:
    """Read CITATION.cff (the fields the citations need; cffconvert validates the rest)."""
    import yaml

    path = Path(path or paths.CITATION)
    if not path.exists():
        raise CitationError(f"{paths.relative(path)} is missing: it is the citation metadata")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [k for k in ("title", "authors", "version", "date-released", "license",
                           "repository-code", "url") if not data.get(k)]
    if missing:
        raise CitationError(f"{paths.relative(path)} lacks {', '.join(missing)}")
    licenses = data["license"]
    url = str(data["url"])
    return Meta(
        title=str(data["title"]).strip(),
        authors=tuple(data["authors"]),
        version=str(data["version"]),
        released=_date(data["date-released"]),
        licenses=tuple([licenses] if isinstance(licenses, str) else licenses),
        repository=str(data["repository-code"]).rstrip("/"),
        url=url if url.endswith("/") else url + "/",
        abstract=" ".join(str(data.get("abstract", "")).split()),
        keywords=tuple(data.get("keywords") or ()),
        references=tuple(data.get("references") or ()),
        doi=_doi(data),
    )


def _doi(data: dict) -> str:
    """The edition's DOI, once a release is archived (`doi` or a DOI identifier)."""
    if data.get("doi"):
        return str(data["doi"])
    for ident in data.get("identifiers") or ():
        if ident.get("type") == "doi":
            return str(ident["value"])
    return ""


def article_reference(meta: Meta) -> dict:
    """The edited article: the first reference of type `article` in CITATION.cff."""
    for ref in meta.references:
        if ref.get("type") == "article":
            return ref
    raise CitationError("CITATION.cff lists no reference of type `article` (the edited article)")


# ------------------------------------------------------------------------------ names


def _person(author: dict) -> tuple[str, str]:
    family = " ".join(p for p in (author.get("name-particle"), author.get("family-names")) if p)
    given = author.get("given-names", "")
    if author.get("name-suffix"):
        given = f"{given}, {author['name-suffix']}" if given else author["name-suffix"]
    return family, given


def is_entity(author: dict) -> bool:
    return "family-names" not in author and "name" in author


def display_name(author: dict) -> str:
    """"Family, Given" for a person, the name for an entity (meta tags, Zenodo)."""
    if is_entity(author):
        return author["name"]
    family, given = _person(author)
    return f"{family}, {given}" if given else family


def _initials(given: str) -> str:
    out = []
    for word in given.split():
        parts = [p for p in word.split("-") if p]
        out.append("-".join(p[0] + "." for p in parts))
    return " ".join(out)


def _apa_name(author: dict) -> str:
    if is_entity(author):
        return author["name"]
    family, given = _person(author)
    return f"{family}, {_initials(given)}" if given else family


def _apa_authors(authors) -> str:
    names = [_apa_name(a) for a in authors]
    if len(names) == 1:
        return names[0]
    if len(names) <= 20:
        return ", ".join(names[:-1]) + ", & " + names[-1]
    return ", ".join(names[:19]) + ", … " + names[-1]


def _bib_name(author: dict) -> str:
    if is_entity(author):
        return "{" + author["name"] + "}"
    family, given = _person(author)
    return f"{family}, {given}" if given else family


def _csl_name(author: dict) -> dict:
    if is_entity(author):
        return {"literal": author["name"]}
    family, given = _person(author)
    return {"family": family, "given": given} if given else {"family": family}


# ------------------------------------------------------------------------------ items


@dataclass(frozen=True)
class Item:
    """Something one can cite. ``number`` is Sphinx's: "4" for a section, "4.4" for a table."""

    kind: str
    label: str
    title: str
    docname: str = ""
    number: str = ""
    anchor: str = ""
    ref: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"unknown kind of citation {self.kind!r}")

    @property
    def section_number(self) -> str:
        return self.number.split(".")[0] if self.number else ""

    @property
    def noun(self) -> str:
        """What the page calls it ("Cite this section")."""
        return {"edition": "edition", "section": "section", "table": "table",
                "figure": "figure", "article": "article"}[self.kind]

    @property
    def full_title(self) -> str:
        if self.kind == "table":
            return f"Table {self.number}: {self.title}"
        if self.kind == "figure":
            return f"Figure {self.number}: {self.title}"
        return self.title

    def url(self, meta: Meta) -> str:
        if self.kind == "article":
            return str(self.ref.get("url", ""))
        if self.kind == "edition":
            return meta.url
        page = meta.url + self.docname + ".html"
        return f"{page}#{self.anchor}" if self.anchor else page

    def key(self, meta: Meta) -> str:
        if self.kind == "article":
            first = self.ref["authors"][0]
            name = first.get("family-names") or first.get("name", "Anon")
            return re.sub(r"\W", "", name) + str(self.ref.get("year", ""))
        if self.kind == "edition":
            return meta.key
        return f"{meta.key}:{self.label}"


def doc_label(docname: str) -> str:
    """The short name of a page: notebooks/04_results -> results, book/claims -> claims."""
    return re.sub(r"^\d+_", "", docname.rsplit("/", 1)[-1])


def clean_caption(text: str) -> str:
    """A caption as a title: one line, without its trailing "Source(s): ..." and full stop."""
    text = " ".join(text.split())
    text = re.split(r"\.?\s+Sources?:\s", text, maxsplit=1)[0]
    return text.rstrip(" .")


def article_item(meta: Meta) -> Item:
    ref = article_reference(meta)
    return Item("article", "article", str(ref["title"]), ref=ref)


def registry_path() -> Path:
    return paths.GENERATED / "citations.json"


def save_registry(items: list[Item], path: Path | None = None) -> Path:
    """Write what the build numbered (for the command line); unchanged content is kept."""
    path = Path(path or registry_path())
    rows = [{k: v for k, v in asdict(i).items() if k != "ref"} for i in items]
    text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return path


def load_registry(path: Path | None = None) -> list[Item] | None:
    path = Path(path or registry_path())
    if not path.exists():
        return None
    return [Item(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


def _first_heading(docname: str) -> str:
    for suffix in (".md", ".ipynb"):
        path = paths.ROOT / (docname + suffix)
        if not path.exists():
            continue
        if suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        match = re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)
        if match:
            return match.group(1)
        raise CitationError(f"{docname}{suffix} has no title (a first-level heading)")
    raise CitationError(f"no page {docname}.md or {docname}.ipynb")


def source_items(meta: Meta | None = None) -> list[Item]:
    """The edition and its sections, from _toc.yml and the pages (no build needed).

    Numbering follows Jupyter Book: chapters of numbered parts are numbered in order,
    across parts when ``html.use_multitoc_numbering`` is true (its default)."""
    import yaml

    meta = meta or load_meta()
    toc = yaml.safe_load(paths.TOC.read_text(encoding="utf-8"))
    config = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8")) or {}
    across = (config.get("html") or {}).get("use_multitoc_numbering", True)
    default_numbered = bool((toc.get("options") or {}).get("numbered", False))
    parts = toc.get("parts") or [{"chapters": toc.get("chapters", [])}]
    root = re.sub(r"\.(md|ipynb)$", "", toc["root"])
    items = [Item("edition", "edition", meta.title, docname=root)]
    n = 0
    for part in parts:
        if not across:
            n = 0
        numbered = part.get("numbered", default_numbered)
        for chapter in part.get("chapters", []):
            doc = re.sub(r"\.(md|ipynb)$", "", chapter["file"])
            number = ""
            if numbered:
                n += 1
                number = str(n)
            items.append(Item("section", doc_label(doc), _first_heading(doc), doc, number))
    return items


def all_items(meta: Meta | None = None) -> tuple[list[Item], bool]:
    """Every citable item, and whether it comes from a build (tables and figures too)."""
    meta = meta or load_meta()
    built = load_registry()
    items = built if built is not None else source_items(meta)
    return [*items, article_item(meta)], built is not None


def find(target: str, items: list[Item], built: bool = True) -> Item:
    """The item a reader means: a section name (results), a page (notebooks/04_results,
    04_results.ipynb), a table or figure label (tbl-trade-kaz), `edition` or `article`."""
    wanted = target.strip().strip("/")
    wanted = re.sub(r"\.(md|ipynb|html)$", "", wanted)
    wanted = wanted.split("#")[-1] if "#" in wanted else wanted
    aliases = {"index": "edition", "book": "edition", "original": "article"}
    wanted = aliases.get(wanted, wanted)
    for item in items:
        names = {item.label, item.docname, item.docname.rsplit("/", 1)[-1]} - {""}
        if item.kind in ("table", "figure"):
            names = {item.label}
        if wanted in names:
            return item
    if not built and re.match(r"(tbl|fig)-", wanted):
        raise CitationError(f"{target!r}: tables and figures are numbered when the book is "
                            "built; run `make book` first")
    known = ", ".join(i.label for i in items if i.kind in ("edition", "section", "article"))
    raise CitationError(f"no section, table or figure {target!r} (sections: {known}; "
                        "`python -m kziran cite --list` lists everything)")


# ---------------------------------------------------------------------------- formats


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str]],
               authors: list[dict]) -> str:
    """One BibTeX entry, written by pybtex (as kziran.bib writes the bibliography):
    pybtex encodes LaTeX's special characters itself."""
    from pybtex.database import BibliographyData, Entry, Person

    from .bib import to_bibtex

    persons = {"author": [Person(_bib_name(a)) for a in authors]}
    entry = Entry(kind, fields=dict(fields), persons=persons)
    return to_bibtex(BibliographyData({key: entry})).strip()


def bibtex(item: Item, meta: Meta) -> str:
    if item.kind == "article":
        ref = item.ref
        fields = [("title", "{" + str(ref["title"]) + "}"),
                  ("journal", str(ref["journal"])),
                  ("year", str(ref["year"]))]
        if ref.get("volume"):
            fields.append(("volume", str(ref["volume"])))
        if ref.get("issue"):
            fields.append(("number", str(ref["issue"])))
        if ref.get("languages"):
            fields.append(("language", str(ref["languages"][0])))
        fields.append(("url", str(ref["url"])))
        return _bib_entry("article", item.key(meta), fields, ref["authors"])
    released = meta.released
    fields = [("title", "{" + item.full_title + "}")]
    if item.kind == "edition":
        kind = "book"
    else:
        kind = "incollection"
        fields.append(("booktitle", "{" + meta.title + "}"))
        if item.section_number:
            fields.append(("chapter", item.section_number))
    fields += [("year", str(released.year)), ("month", _MONTHS[released.month - 1]),
               ("note", f"Version {meta.version}"), ("url", item.url(meta))]
    if item.kind == "edition" and meta.doi:
        fields.append(("doi", meta.doi))
    return _bib_entry(kind, item.key(meta), fields, meta.authors)


def ris(item: Item, meta: Meta) -> str:
    lines: list[tuple[str, str]] = []
    if item.kind == "article":
        ref = item.ref
        lines.append(("TY", "JOUR"))
        lines += [("AU", display_name(a)) for a in ref["authors"]]
        lines += [("TI", str(ref["title"])), ("T2", str(ref["journal"])),
                  ("PY", str(ref["year"]))]
        if ref.get("volume"):
            lines.append(("VL", str(ref["volume"])))
        if ref.get("issue"):
            lines.append(("IS", str(ref["issue"])))
        if ref.get("languages"):
            lines.append(("LA", str(ref["languages"][0])))
        lines.append(("UR", str(ref["url"])))
    else:
        released = meta.released
        lines.append(("TY", "EBOOK" if item.kind == "edition" else "ECHAP"))
        lines += [("AU", display_name(a)) for a in meta.authors]
        lines.append(("TI", item.full_title))
        if item.kind != "edition":
            lines.append(("T2", meta.title))
            if item.section_number:
                lines.append(("SE", item.section_number))
        lines += [("PY", str(released.year)), ("DA", released.strftime("%Y/%m/%d/")),
                  ("ET", f"Version {meta.version}"), ("LA", LANGUAGE),
                  ("UR", item.url(meta))]
        if item.kind == "edition" and meta.doi:
            lines.append(("DO", meta.doi))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {value}" for tag, value in lines)


def csl(item: Item, meta: Meta) -> dict:
    if item.kind == "article":
        ref = item.ref
        data = {"id": item.key(meta), "type": "article-journal", "title": str(ref["title"]),
                "author": [_csl_name(a) for a in ref["authors"]],
                "container-title": str(ref["journal"]),
                "issued": {"date-parts": [[int(ref["year"])]]}}
        if ref.get("volume"):
            data["volume"] = str(ref["volume"])
        if ref.get("issue"):
            data["issue"] = str(ref["issue"])
        if ref.get("languages"):
            data["language"] = str(ref["languages"][0])
        data["URL"] = str(ref["url"])
        return data
    released = meta.released
    data = {"id": item.key(meta), "type": "book" if item.kind == "edition" else "chapter",
            "title": item.full_title,
            "author": [_csl_name(a) for a in meta.authors]}
    if item.kind != "edition":
        data["container-title"] = meta.title
        if item.section_number:
            data["chapter-number"] = item.section_number
    if item.kind in ("table", "figure"):
        data["genre"] = item.kind.capitalize()
        data["number"] = item.number
    data.update({"issued": {"date-parts": [[released.year, released.month, released.day]]},
                 "version": meta.version, "language": LANGUAGE, "URL": item.url(meta)})
    if item.kind == "edition" and meta.doi:
        data["DOI"] = meta.doi
    return data


def csl_json(item: Item, meta: Meta) -> str:
    """CSL-JSON: an array holding the one item, as reference managers import it; one
    variable a line, so that it stays short on the page."""
    lines = [f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in csl(item, meta).items()]
    return "[\n  {\n" + ",\n".join(lines) + "\n  }\n]"


def _apa_title(title: str) -> str:
    """APA keeps sentence case and capitalises the first word after a colon."""
    title = title[:1].upper() + title[1:]
    return re.sub(r"(:\s+)(\w)", lambda m: m.group(1) + m.group(2).upper(), title)


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(item: Item, meta: Meta, as_html: bool = False) -> str:
    """APA (7th edition) reference. With ``as_html``: escaped, titles in <em>, URL linked;
    stripped of its tags and unescaped it is exactly the plain text."""
    esc = html.escape if as_html else (lambda s: s)

    def em(text: str) -> str:
        return f"<em>{esc(text)}</em>" if as_html else text

    url = item.url(meta)
    if item.kind == "edition" and meta.doi:
        url = f"https://doi.org/{meta.doi}"
    link = f'<a href="{esc(url)}">{esc(url)}</a>' if as_html else url
    if item.kind == "article":
        ref = item.ref
        head = f"{esc(_end(_apa_authors(ref['authors'])))} ({ref['year']})."
        if ref.get("type") in _DATA_TYPES:
            return f"{head} {em(str(ref['title']))} [Data set]. {link}"
        where = str(ref["journal"])
        tail = f", no. {ref['issue']}" if ref.get("issue") else ""
        return f"{head} {esc(_end(str(ref['title'])))} {em(where)}{esc(tail)}. {link}"
    head = f"{esc(_end(_apa_authors(meta.authors)))} ({meta.released.year})."
    book = em(_apa_title(meta.title))
    if item.kind == "edition":
        return f"{head} {book} (Version {esc(meta.version)}). {link}"
    detail = f"Version {meta.version}"
    if item.section_number:
        detail += f", Section {item.section_number}"
    return f"{head} {esc(_end(_apa_title(item.full_title)))} In {book} ({esc(detail)}). {link}"


def render(item: Item, fmt: str, meta: Meta) -> str:
    if fmt == "bibtex":
        return bibtex(item, meta)
    if fmt == "ris":
        return ris(item, meta)
    if fmt == "csl":
        return csl_json(item, meta)
    if fmt == "apa":
        return apa(item, meta)
    raise CitationError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def highwire(item: Item, meta: Meta) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags (read by Zotero, Mendeley, Google Scholar)."""
    url = item.url(meta)
    tags = [("citation_title", item.full_title)]
    tags += [("citation_author", display_name(a)) for a in meta.authors]
    tags.append(("citation_publication_date", meta.released.strftime("%Y/%m/%d")))
    if item.kind != "edition":
        tags.append(("citation_inbook_title", meta.title))
    tags += [("citation_language", LANGUAGE), ("citation_public_url", url),
             ("citation_fulltext_html_url", url)]
    if item.kind == "edition" and meta.doi:
        tags.append(("citation_doi", meta.doi))
    if meta.keywords:
        tags.append(("citation_keywords", "; ".join(meta.keywords)))
    return tags


# ----------------------------------------------------------------------------- zenodo


def zenodo(meta: Meta | None = None) -> dict:
    """The Zenodo deposit metadata (.zenodo.json), derived from CITATION.cff."""
    meta = meta or load_meta()
    creators = []
    for author in meta.authors:
        creator = {"name": display_name(author)}
        if author.get("affiliation"):
            creator["affiliation"] = author["affiliation"]
        if author.get("orcid"):
            creator["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
        creators.append(creator)
    related = [{"identifier": meta.repository, "relation": "isSupplementedBy",
                "resource_type": "software", "scheme": "url"}]
    for ref in meta.references:
        if ref.get("url"):
            kind = "publication-article" if ref.get("type") == "article" else "dataset"
            related.append({"identifier": str(ref["url"]), "relation": "references",
                            "resource_type": kind, "scheme": "url"})
    others = ", ".join(meta.licenses[1:])
    return {
        "title": meta.title,
        "upload_type": "publication",
        "publication_type": "book",
        "description": meta.abstract,
        "creators": creators,
        "version": meta.version,
        "publication_date": meta.released.isoformat(),
        "license": meta.licenses[0].lower(),
        "access_right": "open",
        "language": "eng",
        "keywords": list(meta.keywords),
        "notes": (f"Text and registers: {meta.licenses[0]}"
                  + (f"; code: {others}" if others else "")
                  + ". Repository: " + meta.repository + ". Book: " + meta.url),
        "related_identifiers": related,
        "references": [apa(_reference_item(r), meta) for r in meta.references],
    }


def _reference_item(ref: dict) -> Item:
    """A reference of CITATION.cff as an item (APA only: for the Zenodo references)."""
    return Item("article", "article" if ref.get("type") == "article" else "reference",
                str(ref["title"]), ref=ref)


def zenodo_path() -> Path:
    return paths.ROOT / ".zenodo.json"


def zenodo_text(meta: Meta | None = None) -> str:
    return json.dumps(zenodo(meta), ensure_ascii=False, indent=2) + "\n"


def write_zenodo(meta: Meta | None = None) -> Path:
    path = zenodo_path()
    atomic_write_text(path, zenodo_text(meta))
    return path


# ------------------------------------------------------------------------------ check


def config_problems(meta: Meta, config: dict) -> list[str]:
    """Disagreements between CITATION.cff and _config.yml (the build warns on each)."""
    problems = []
    repo = str((config.get("repository") or {}).get("url", "")).rstrip("/")
    if repo != meta.repository:
        problems.append(f"CITATION.cff repository-code {meta.repository!r} differs from "
                        f"_config.yml repository.url {repo!r}")
    if str(config.get("title", "")).strip() != meta.title:
        problems.append(f"CITATION.cff title {meta.title!r} differs from _config.yml title "
                        f"{config.get('title')!r}")
    authors = ", ".join(display_name(a) for a in meta.authors)
    if str(config.get("author", "")).strip() != authors:
        problems.append(f"CITATION.cff authors {authors!r} differ from _config.yml author "
                        f"{config.get('author')!r}")
    if not meta.url.startswith("https://"):
        problems.append(f"CITATION.cff url {meta.url!r} is not an https address")
    return problems


def check(meta: Meta | None = None) -> list[str]:
    """Everything derived from CITATION.cff agrees with it (for `make cite-check`)."""
    import yaml

    from . import __version__

    meta = meta or load_meta()
    config = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8")) or {}
    problems = config_problems(meta, config)
    if meta.version != __version__:
        problems.append(f"CITATION.cff version {meta.version} differs from the package "
                        f"version {__version__}")
    article_reference(meta)
    path = zenodo_path()
    if not path.exists() or path.read_text(encoding="utf-8") != zenodo_text(meta):
        problems.append(f"{paths.relative(path)} is not what CITATION.cff gives; run "
                        "`python -m kziran cite --write-zenodo`")
    return problems


# ------------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kziran cite",
        description="Print a citation of the edition, a section, a numbered table or figure, "
                    "or the edited article: the same text as the book's pages.")
    parser.add_argument("target", nargs="?", default="edition",
                        help="introduction, methods, discussion, results, conclusion, an "
                             "appendix (claims, data, references, ...), a page "
                             "(notebooks/04_results), a table or figure label "
                             "(tbl-trade-kaz, fig-trade), `edition` (default) or `article`")
    parser.add_argument("--format", "-f", choices=FORMATS, default="apa")
    parser.add_argument("--list", action="store_true", help="list what can be cited")
    parser.add_argument("--write-zenodo", action="store_true",
                        help="write .zenodo.json from CITATION.cff")
    parser.add_argument("--check", action="store_true",
                        help="check that CITATION.cff agrees with _config.yml and .zenodo.json")
    args = parser.parse_args(argv)
    try:
        meta = load_meta()
        if args.write_zenodo:
            print(paths.relative(write_zenodo(meta)))
            return 0
        if args.check:
            problems = check(meta)
            for problem in problems:
                print(f"CITATION ERROR: {problem}", file=sys.stderr)
            if not problems:
                print("CITATION.cff agrees with _config.yml; .zenodo.json is up to date")
            return 1 if problems else 0
        items, built = all_items(meta)
        if args.list:
            if not built:
                print("(tables and figures are listed once the book is built: make book)")
            for item in items:
                print(f"{item.label:28} {item.kind:8} {item.number:6} {item.title}")
            return 0
        print(render(find(args.target, items, built), args.format, meta))
        return 0
    except CitationError as exc:
        print(f"cite: {exc}", file=sys.stderr)
        return 2
