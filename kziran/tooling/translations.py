"""``make translations``: refresh the Kazakh and Russian catalogs after an English edit.

1. Sphinx's gettext builder writes one message template per page (``_build/gettext/``):
   every paragraph, heading, caption and list item of the prose, with its roles, glue
   keys and references as written (a notebook's outputs are not in it: the code writes
   them in every language).
2. sphinx-intl brings ``locales/<lang>/LC_MESSAGES/*.po`` up to date with the templates:
   a new message is added untranslated, a changed one is kept but marked fuzzy, one no
   page has any more is dropped.
3. The report lists, per language, what is untranslated or fuzzy: the messages to
   translate (``tests/test_translations.py`` fails while any is).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from .. import editions
from ..commands import ArgumentParser
from ..paths import PROJECT, Layout

TEMPLATES = PROJECT.build / "gettext"

# What a translation keeps of its English message: the glue keys, citations, register
# entries, cross-references and link targets (their visible words may be translated).
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<body>[^`]*)`")
_TARGET = re.compile(r"<([^<>]+)>\s*$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FIELD = re.compile(r"\{(\w+)\}(?!`)")
_KEPT_ROLES = ("glue", "cite", "reg", "doc", "ref", "numref", "download", "eq", "term",
               "data-file", "pdf-edition")


def placeholders(text: str) -> list[str]:
    """The roles, references, citations, glue keys and link targets of a message, sorted
    (a translation must have the same ones, in any order)."""
    out = []
    for m in _ROLE.finditer(text):
        role, body = m["role"], m["body"]
        if not role.startswith(_KEPT_ROLES):
            continue  # such as {kk}: words marked as Kazakh may be translated or dropped
        target = _TARGET.search(body)
        out.append(f"{{{role}}}{target.group(1) if target else body}"
                   if role in ("ref", "numref", "doc", "download", "term")
                   else f"{{{role}}}{body}")
    out += [f"link:{url}" for url in _LINK.findall(text)]
    out += [f"field:{name}" for name in set(_FIELD.findall(text))]  # a label's {fields}
    return sorted(out)


def placeholder_problems(english: str, translation: str) -> str | None:
    """What a translation lost or added of its message's placeholders, or None."""
    a, b = placeholders(english), placeholders(translation)
    if a == b:
        return None
    lost = sorted(set(a) - set(b))
    added = sorted(set(b) - set(a))
    parts = ([f"lost {', '.join(lost)}"] if lost else []) + (
        [f"added {', '.join(added)}"] if added else [])
    return "; ".join(parts) or f"a placeholder repeated: {a} against {b}"


def templates(layout: Layout = PROJECT, quiet: bool = True) -> Path:
    """Write the message templates of every page; return their folder."""
    from .build import BuildError, check, sphinx
    from .execute import plan, run

    check(layout)
    run(plan(layout), layout)
    out = layout.build / "gettext"
    if sphinx(editions.SOURCE, layout, builder="gettext", outdir=out, quiet=quiet, fresh=True):
        raise BuildError("the gettext build failed (see above)")
    from babel.messages.pofile import write_po

    from .. import labels

    with (out / f"{labels.CATALOG}.pot").open("wb") as handle:
        write_po(handle, labels.template(), width=76)
    return out


def update(pot_dir: Path, layout: Layout = PROJECT) -> None:
    """sphinx-intl's update of every translation's catalogs from the templates."""
    from sphinx_intl.basic import update as intl_update

    intl_update(str(editions.catalogs(layout)), str(pot_dir), list(editions.TRANSLATIONS),
                ignore_obsolete=True, jobs=1)


def catalog_files(lang: str, layout: Layout = PROJECT) -> list[Path]:
    return sorted((editions.catalogs(layout) / lang / "LC_MESSAGES").rglob("*.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def messages(path: Path) -> list[Message]:
    """The messages of a catalog, without its header."""
    return [m for m in read(path) if m.id]


def pending(lang: str, layout: Layout = PROJECT) -> dict[str, list[Message]]:
    """Per catalog (relative path), its untranslated and fuzzy messages."""
    base = editions.catalogs(layout) / lang / "LC_MESSAGES"
    out = {}
    for path in catalog_files(lang, layout):
        todo = [m for m in messages(path) if not m.string or m.fuzzy]
        if todo:
            out[str(path.relative_to(base))] = todo
    return out


def report(layout: Layout = PROJECT) -> int:
    """Print what is left to translate; the number of such messages."""
    total = 0
    for lang in editions.TRANSLATIONS:
        todo = pending(lang, layout)
        count = sum(len(v) for v in todo.values())
        total += count
        print(f"{editions.NAMES[lang]} ({lang}): "
              + (f"{count} messages to translate or review" if count else "every message "
                 "translated, none fuzzy"))
        for name, entries in todo.items():
            fuzzy = sum(e.fuzzy for e in entries)
            print(f"  {name}: {len(entries) - fuzzy} new, {fuzzy} fuzzy")
    return total


def stale(pot_dir: Path, layout: Layout = PROJECT) -> list[str]:
    """Catalogs whose messages are not those of the English text (``make translations``
    brings them up to date): one line for each, per language."""
    found = []
    pots = {str(p.relative_to(pot_dir).with_suffix(".po")): p for p in pot_dir.rglob("*.pot")}
    for lang in editions.TRANSLATIONS:
        base = editions.catalogs(layout) / lang / "LC_MESSAGES"
        for name, pot in sorted(pots.items()):
            want = {(m.context, m.id) for m in read(pot) if m.id}
            po = base / name
            have = {(m.context, m.id) for m in messages(po)} if po.exists() else set()
            if want != have:
                found.append(f"{lang}/{name}: {len(want - have)} new, {len(have - want)} gone")
    return found


def check_json(english: Path, translated: Path) -> int:
    """Every message of ``english`` translated in ``translated``, placeholders kept."""
    source = {e["id"]: e["en"] for e in json.loads(english.read_text(encoding="utf-8"))}
    done = json.loads(translated.read_text(encoding="utf-8"))
    problems = [f"{k}: not translated" for k in source if not str(done.get(k, "")).strip()]
    problems += [f"{k}: no such message" for k in done if k not in source]
    problems += [f"{k}: {p}" for k in source if k in done
                 and (p := placeholder_problems(source[k], done[k]))]
    for p in problems:
        print(p)
    print(f"{len(problems)} problems in {len(source)} messages" if problems
          else f"all {len(source)} messages translated, placeholders kept")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(prog="make translations", description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true",
                    help="only list what is untranslated or fuzzy")
    ap.add_argument("--check", action="store_true",
                    help="fail if a catalog is not up to date with the English text")
    ap.add_argument("--check-json", nargs=2, type=Path, metavar=("ENGLISH", "TRANSLATED"),
                    help="check a JSON list of {id, en} against a JSON {id: translation}")
    args = ap.parse_args(argv)
    if args.check_json:
        return check_json(*args.check_json)
    from ..data import DataError
    from .build import BuildError
    from .execute import ExecutionError

    try:
        if args.check:
            problems = stale(templates())
            for problem in problems:
                print(f"TRANSLATIONS: {problem}", file=sys.stderr)
            if problems:
                print("the catalogs are not up to date with the English text: run "
                      "make translations, then translate what it lists", file=sys.stderr)
                return 1
            print("catalogs up to date with the English text")
            return 0 if report() == 0 else 1
        if not args.report:
            update(templates())
        report()
    except (BuildError, DataError, ExecutionError, OSError, ValueError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)  # one line, never a traceback
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
