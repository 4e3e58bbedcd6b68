"""What every command of the book does with a bad argument: one line, never a traceback.

Each command line (``python -m kziran …`` and the modules of :mod:`kziran.tooling`) parses
its arguments with :class:`ArgumentParser`, whose errors are one line naming the bad
value, and runs under :func:`run`, which turns the failures a reader can cause (a
:class:`CommandError`, a file that cannot be read or written) into one line on stderr and
a non-zero exit status. Nothing is half-written: commands write their files atomically.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


class CommandError(Exception):
    """A bad argument or a request that cannot be carried out; the message says which."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its errors in one line (``prog: message``), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (--help lists the options)\n")


def run(main: Callable[..., int], *args, prog: str | None = None) -> int:
    """Run a command's ``main``; a failure a reader can cause is one line, status 2 (1 for
    a file the command could not read or write)."""
    name = prog or getattr(main, "__module__", "kziran")
    try:
        return main(*args)
    except CommandError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" {exc.filename!r}" if getattr(exc, "filename", None) else ""
        print(f"{name}: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130


def positive(text: str) -> int:
    """An argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not above zero")
    return value
