"""``make diff BASE=<ref>``: what changed between two editions, from their manifests.

The edition at BASE is built in a git worktree under ``_build/diff/`` (kept, so that a
second comparison reuses its build cache), with this checkout's environment. Its manifest
(``edition.json``, written by every build: :mod:`kziran.publishing.manifest`) is compared
with the manifest of the current build. The report names the numbers that changed (old and
new, with their page), the tables whose rows changed (which rows and cells), the figures
whose images changed, the verdicts that changed and the data files that changed; it is
printed, written to ``_build/diff.json`` and, on request, as the page "Changes since BASE".
Comparing an edition with itself reports nothing. The exit status is 0 whenever the
comparison ran, whatever it found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..commands import ArgumentParser, CommandError, run
from ..files import atomic_write_text
from ..paths import PROJECT, Layout


def _rows_by_key(rows: list[list[str]]) -> dict[str, list[str]]:
    """Body rows keyed by their first cell when that is unique (years, ids), else by place."""
    body = rows[1:]
    firsts = [r[0] if r else "" for r in body]
    if len(set(firsts)) == len(firsts):
        return dict(zip(firsts, body))
    return {f"row {i}": r for i, r in enumerate(body, start=1)}


def _table_changes(old: dict, new: dict) -> list[dict]:
    header = new["rows"][0] if new["rows"] else []
    a, b = _rows_by_key(old["rows"]), _rows_by_key(new["rows"])
    changes = []
    for key in [*a, *(k for k in b if k not in a)]:
        if a.get(key) == b.get(key):
            continue
        if key not in b or key not in a:
            changes.append({"row": key, "old": a.get(key), "new": b.get(key)})
            continue
        cells = [{"column": header[i] if i < len(header) else str(i), "old": x, "new": y}
                 for i, (x, y) in enumerate(zip(a[key], b[key])) if x != y]
        changes.append({"row": key, "cells": cells})
    return changes


def compare(old: dict, new: dict) -> dict:
    """The differences between two manifests (empty lists when there are none)."""
    def by(items, *keys):
        return {tuple(i[k] for k in keys): i for i in items}

    values_old, values_new = by(old["values"], "page", "key"), by(new["values"], "page", "key")
    numbers = [{"page": k[0], "key": k[1],
                "old": (values_old.get(k) or {}).get("printed") or
                ((values_old.get(k) or {}).get("computed")),
                "new": (values_new.get(k) or {}).get("printed") or
                ((values_new.get(k) or {}).get("computed"))}
               for k in sorted(set(values_old) | set(values_new))
               if (values_old.get(k) or {}).get("computed")
               != (values_new.get(k) or {}).get("computed")
               or (values_old.get(k) or {}).get("printed")
               != (values_new.get(k) or {}).get("printed")]
    tables = []
    t_old, t_new = by(old["tables"], "label"), by(new["tables"], "label")
    for key in sorted(set(t_old) | set(t_new)):
        a, b = t_old.get(key), t_new.get(key)
        if a and b and a["hash"] == b["hash"]:
            continue
        entry = {"label": key[0], "page": (b or a)["page"], "number": (b or a)["number"]}
        entry["changes"] = _table_changes(a, b) if a and b else [
            {"table": "added" if b else "removed"}]
        tables.append(entry)
    f_old, f_new = by(old["figures"], "label"), by(new["figures"], "label")
    figures = [{"label": k[0], "page": (f_new.get(k) or f_old.get(k))["page"],
                "number": (f_new.get(k) or f_old.get(k))["number"]}
               for k in sorted(set(f_old) | set(f_new))
               if (f_old.get(k) or {}).get("image") != (f_new.get(k) or {}).get("image")]
    verdicts = [{"claim": c, "old": old["claims"].get(c), "new": new["claims"].get(c)}
                for c in sorted(set(old["claims"]) | set(new["claims"]))
                if old["claims"].get(c) != new["claims"].get(c)]
    data = [{"file": f, "old": old["data"].get(f), "new": new["data"].get(f)}
            for f in sorted(set(old["data"]) | set(new["data"]))
            if old["data"].get(f) != new["data"].get(f)]
    return {"base": old["edition"], "current": new["edition"], "numbers": numbers,
            "tables": tables, "figures": figures, "verdicts": verdicts, "data": data}


def _lines(diff: dict, bullet: str = "  ", sub: str = "    ", escape=str) -> list[str]:
    """The report, one change a line (``escape`` protects text from the data)."""
    out = []
    for d in diff["data"]:
        change = "added" if d["old"] is None else "removed" if d["new"] is None else "changed"
        out.append(f"{bullet}data file {d['file']}: {change}")
    for v in diff["verdicts"]:
        out.append(f"{bullet}claim {v['claim']}: {v['old']} → {v['new']}")
    for n in diff["numbers"]:
        old, new = (", ".join(x) if isinstance(x, list) else x for x in (n["old"], n["new"]))
        out.append(f"{bullet}number {n['key']} ({n['page']}): {escape(str(old))} → "
                   f"{escape(str(new))}")
    for t in diff["tables"]:
        out.append(f"{bullet}table {t['number']} ({t['label']}, {t['page']}):")
        for c in t["changes"]:
            if "cells" in c:
                out += [f"{sub}{escape(c['row'])}, {escape(x['column'])}: {escape(x['old'])} "
                        f"→ {escape(x['new'])}" for x in c["cells"]]
            elif "table" in c:
                out.append(f"{sub}the table was {c['table']}")
            else:
                what = "added" if c["old"] is None else "removed"
                out.append(f"{sub}{escape(c['row'])}: row {what}")
    for f in diff["figures"]:
        out.append(f"{bullet}figure {f['number']} ({f['label']}, {f['page']}): image changed")
    return out


def report(diff: dict) -> str:
    head = (f"Changes from version {diff['base']['version']} ({diff['base']['commit']}) to "
            f"version {diff['current']['version']} ({diff['current']['commit']}):")
    lines = _lines(diff)
    return head + ("\n" + "\n".join(lines) if lines else "\n  nothing")


def markdown(diff: dict, ref: str) -> str:
    from ..presentation.tables import md_escape

    lines = _lines(diff, bullet="- ", sub="  - ", escape=md_escape)
    return "\n".join([
        f"# Changes since {ref}", "",
        (f"What this edition (version {diff['current']['version']}, commit "
         f"`{diff['current']['commit']}`) states differently from the edition at `{ref}` "
         f"(version {diff['base']['version']}, commit `{diff['base']['commit']}`), found by "
         "comparing the manifests of the two builds (`make diff`)."), "",
        *(lines or [("Nothing: the two editions state the same numbers, tables, figures "
                     "and verdicts, from the same data.")]), ""])


def commit_of(ref: str, layout: Layout = PROJECT) -> str:
    """The commit a ref names; a CommandError in one line when it names none."""
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           cwd=layout.root, capture_output=True, text=True, check=False)
    if not ref.strip() or ref.startswith("-") or found.returncode != 0:
        raise CommandError(f"{ref!r} is not a commit, tag or branch of this repository")
    return found.stdout.strip()


def build_base(ref: str, layout: Layout = PROJECT) -> Path:
    """Build the edition at ``ref`` in a worktree (reused) and return its manifest."""
    def git(*args, cwd=layout.root):
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=True).stdout.strip()

    sha = commit_of(ref, layout)
    tree = layout.build / "diff" / sha[:12]
    if not (tree / ".git").exists():
        git("worktree", "prune")
        git("worktree", "add", "--detach", "--force", str(tree), sha)
    if not (tree / ".venv").exists():
        (tree / ".venv").symlink_to(layout.root / ".venv")
    env = dict(os.environ, PYTHONPATH=str(tree))
    result = subprocess.run([sys.executable, "-m", "kziran", "book", "--builder", "html",
                             "--quiet"], cwd=tree, env=env, capture_output=True, text=True,
                            check=False)
    manifest = tree / "_build" / "html" / "edition.json"
    if result.returncode != 0 or not manifest.exists():
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise CommandError(f"the edition at {ref} could not be built, or writes no manifest "
                           f"(editions before manifests cannot be compared): {last}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(prog="make diff", description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="a git ref: a commit, tag or branch")
    ap.add_argument("--page", action="store_true",
                    help="also write the page 'Changes since BASE' for the next build")
    ap.add_argument("--check-base", action="store_true",
                    help="only check that BASE names a commit (make does, before it builds)")
    args = ap.parse_args(argv)
    commit_of(args.base)
    if args.check_base:
        return 0
    current = PROJECT.html / "edition.json"
    if not current.exists():
        raise CommandError("build the book first (make book)")
    old = json.loads(build_base(args.base).read_text(encoding="utf-8"))
    diff = compare(old, json.loads(current.read_text(encoding="utf-8")))
    atomic_write_text(PROJECT.build / "diff.json",
                      json.dumps(diff, ensure_ascii=False, indent=1) + "\n")
    print(report(diff))
    if args.page:
        write_page(diff, args.base)
    return 0


def write_page(diff: dict, ref: str, layout: Layout = PROJECT) -> Path:
    """The page's text, and a table of contents that adds the page to the appendices
    (``jupyter-book build --toc``); the book's own ``_toc.yml`` is left alone."""
    import yaml

    atomic_write_text(layout.generated / "changes.md", markdown(diff, ref))
    toc = yaml.safe_load(layout.toc.read_text(encoding="utf-8"))
    toc["parts"][-1]["chapters"].append({"file": "book/changes"})
    path = layout.generated / "toc-with-changes.yml"
    atomic_write_text(path, yaml.safe_dump(toc, sort_keys=False))
    return path


if __name__ == "__main__":
    sys.exit(run(main, prog="make diff"))
