"""``make lab``: JupyterLab on the notebooks, from its own environment (.venv-lab).

The server opens in ``notebooks/``, listens on loopback only, opens no browser (it prints
the address with its token), runs as root where it must (containers, CI), and stops at the
first Ctrl-C. Everything Jupyter would write to the home folder (configuration, runtime
files, Lab's settings and workspaces, IPython's profile) stays inside ``.venv-lab``. Its
Python 3 kernel is the book's ``.venv`` (``make lab`` registers it), so the notebooks run
with the pinned packages and the book's package.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..commands import ArgumentParser, run
from ..paths import PROJECT, Layout

LAB_VENV = ".venv-lab"


def environment(layout: Layout = PROJECT) -> dict[str, str]:
    lab = layout.root / LAB_VENV
    return dict(os.environ,
                JUPYTER_CONFIG_DIR=str(lab / "etc" / "jupyter"),
                JUPYTER_DATA_DIR=str(lab / "share" / "jupyter"),
                JUPYTER_RUNTIME_DIR=str(lab / "runtime"),
                JUPYTERLAB_SETTINGS_DIR=str(lab / "lab" / "user-settings"),
                JUPYTERLAB_WORKSPACES_DIR=str(lab / "lab" / "workspaces"),
                IPYTHONDIR=str(lab / "ipython"))


def command(port: int, layout: Layout = PROJECT) -> list[str]:
    cmd = [str(layout.root / LAB_VENV / "bin" / "jupyter"), "lab", "--no-browser",
           f"--ServerApp.root_dir={layout.notebooks}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.answer_yes=True"]
    if os.geteuid() == 0:  # containers and CI often run as root
        cmd.append("--allow-root")
    return cmd


def port(text: str) -> int:
    """An argparse type: a TCP port a user may open (1024 to 65535)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port from 1024 to 65535")
    return value


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(prog="make lab", description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=port, default=8888, help="port on 127.0.0.1 (default 8888)")
    ap.add_argument("--check", action="store_true", help="only check the arguments")
    args = ap.parse_args(argv)
    if args.check:
        return 0
    print("JupyterLab on the notebooks; open the address printed below (with its token). "
          "Ctrl-C stops it.", flush=True)
    cmd = command(args.port)
    os.execve(cmd[0], cmd, environment())  # Ctrl-C goes straight to the server
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(run(main, prog="make lab"))
