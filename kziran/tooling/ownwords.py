"""Our own words: no run of seven words that the translations share with the article.

The article is not part of the repository (it is the authors' text); what is kept is a
fingerprint of it, ``tests/article-7grams.txt``: one short hash for every run of seven
consecutive words of its Kazakh text and its Russian and English abstracts, lower-cased
and stripped of punctuation. A sentence of ours is checked against the hashes, never
against the text.

Words a translation may share with the article are left out before it is checked: what
stands in quotation marks (the authors' words, quoted as theirs, and titles), italics
(titles of works and programmes), the words marked with the ``kk`` and ``ru`` roles, and
the targets of roles and links.

``python -m kziran.tooling.ownwords --fingerprint ARTICLE.txt`` writes the fingerprint;
``python -m kziran.tooling.ownwords FILE...`` reports the runs that files of text, JSON
or gettext catalogs share with the article.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from ..commands import ArgumentParser
from ..paths import PROJECT

RUN = 7
FINGERPRINT = PROJECT.root / "tests" / "article-7grams.txt"
_WORD = re.compile(r"[^\W_]+")
_SPARED = [
    re.compile(r"\{(?:kk|ru)\}`[^`]*`"),  # words marked as Kazakh or Russian
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # other roles: their targets and keys
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\""),  # quotations and titles
    re.compile(r"(?<![\w*])\*(?!\s)[^*]+(?<!\s)\*(?![\w*])"),  # italics: titles
]


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, joined where a line break hyphenated them."""
    text = re.sub(r"-\s*\n\s*", "-", text)
    return _WORD.findall(text.lower())


def _hash(run: tuple[str, ...]) -> str:
    return hashlib.blake2b(" ".join(run).encode("utf-8"), digest_size=6).hexdigest()


def runs(text: str, n: int = RUN) -> list[tuple[str, ...]]:
    w = words(text)
    return [tuple(w[i:i + n]) for i in range(len(w) - n + 1)]


def fingerprint(text: str) -> set[str]:
    return {_hash(r) for r in runs(text)}


def load_fingerprint(path: Path = FINGERPRINT) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def spared(text: str) -> str:
    """The text without what it may share with the article (see the module's docstring):
    each spared span becomes a break, so no run is counted across it."""
    for pattern in _SPARED:
        text = pattern.sub(" \n¶\n ", text)
    return text


def shared(text: str, article: set[str]) -> list[str]:
    """The runs of seven words of ``text`` (outside what is spared) found in the article."""
    out = []
    for piece in spared(text).split("¶"):
        out += [" ".join(r) for r in runs(piece) if _hash(r) in article]
    return out


def texts_of(path: Path) -> list[tuple[str, str]]:
    """(where, text) of each message of a catalog, each value of a JSON object or list of
    strings, or the whole of a text file."""
    if path.suffix == ".po":
        from .translations import messages
        return [(f"{path.name}: {m.id[:40]!r}", m.string) for m in messages(path) if m.string]
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data.items() if isinstance(data, dict) else enumerate(data)
        return [(f"{path.name}: {k}", v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                for k, v in items]
    return [(path.name, path.read_text(encoding="utf-8"))]


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(prog="python -m kziran.tooling.ownwords",
                        description="Runs of seven words shared with the article.")
    ap.add_argument("files", nargs="*", type=Path, help="catalogs (.po), JSON or text files")
    ap.add_argument("--fingerprint", type=Path, metavar="ARTICLE",
                    help="write the fingerprint of this text of the article")
    args = ap.parse_args(argv)
    if args.fingerprint:
        if not args.fingerprint.is_file():
            ap.error(f"no file {args.fingerprint}")
        hashes = sorted(fingerprint(args.fingerprint.read_text(encoding="utf-8")))
        FINGERPRINT.write_text(
            "# Fingerprint of the article: a hash (BLAKE2b, 6 bytes) of every run of seven\n"
            "# words of its text, for kziran/tooling/ownwords.py. Not the article's text.\n"
            + "\n".join(hashes) + "\n", encoding="utf-8")
        print(f"{len(hashes)} runs of {RUN} words -> {PROJECT.relative(FINGERPRINT)}")
        return 0
    article = load_fingerprint()
    found = 0
    for path in args.files:
        if not path.is_file():
            ap.error(f"no file {path}")
        for where, text in texts_of(path):
            for run in shared(text, article):
                found += 1
                print(f"{where}: shares “{run}”")
    print(f"{found} runs of {RUN} words shared with the article" if found else
          "no run of seven words shared with the article")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
