"""Run a command with the network cut: a network namespace that holds only loopback.

``python -m kziran.tooling.offline [--record FILE] -- COMMAND...`` (what ``make test`` uses)

- Where the machine permits network namespaces (``unshare -n`` as root, or ``unshare -rn``
  through a user namespace), COMMAND runs inside a new one: loopback is brought up (the
  Jupyter kernels talk to their clients over it) and there is no other interface, so
  nothing can reach the internet or the package registries.
- Where it does not, COMMAND runs as it is, and the reason is recorded.

Before COMMAND starts, the record (JSON, default ``_build/offline/test.json``) states
whether it is isolated, the interfaces seen inside and the result of trying to open a
connection to an outside address; when it ends, its exit status and times are added.
``tests/test_offline_build.py``, which runs inside the same namespace, checks the record,
its own process and the build the other steps made.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from .. import commands
from ..files import atomic_write_text
from ..paths import PROJECT

RECORD = PROJECT.build / "offline" / "test.json"
ENV = "KZIRAN_OFFLINE_RECORD"
# An address outside the machine (a public DNS resolver); no name lookup is needed.
OUTSIDE = ("1.1.1.1", 443)


def _unshare_prefix() -> tuple[list[str] | None, str]:
    """The unshare command that works here, or None and the reason none does."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        return None, "unshare or ip (util-linux, iproute2) is not installed"
    reasons = []
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        probe = subprocess.run([*prefix, "ip", "link", "set", "lo", "up"],
                               capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return prefix, ""
        reasons.append(f"{' '.join(prefix)}: {probe.stderr.strip() or probe.returncode}")
    return None, "this machine does not permit network namespaces (" + "; ".join(reasons) + ")"


def probe_network() -> dict:
    """What this process can see of the network: its interfaces and an outside connection."""
    interfaces = sorted(name for _, name in socket.if_nameindex())
    try:
        with socket.create_connection(OUTSIDE, timeout=3):
            outside = "connected"
    except OSError as exc:
        outside = f"refused: {exc.strerror or exc}"
    return {"interfaces": interfaces, "outside_connection": outside}


def _inside(record: Path, command: list[str]) -> int:
    """In the new namespace: bring loopback up, record what is seen, run the command."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    data = json.loads(record.read_text(encoding="utf-8"))
    data.update(probe_network())
    atomic_write_text(record, json.dumps(data, indent=1))
    return subprocess.call(command)


def run(command: list[str], record: Path = RECORD) -> int:
    prefix, reason = _unshare_prefix()
    data = {"command": command, "isolated": prefix is not None, "reason": reason,
            "started": time.time()}
    atomic_write_text(record, json.dumps(data, indent=1))
    env = dict(os.environ, **{ENV: str(record)})
    if prefix is None:
        print(f"note: the tests run WITH network access: {reason}", file=sys.stderr)
        data.update(probe_network())
        atomic_write_text(record, json.dumps(data, indent=1))
        code = subprocess.call(command, env=env)
    else:
        inner = [sys.executable, "-m", "kziran.tooling.offline", "--inside", "--record", str(record),
                 "--", *command]
        code = subprocess.call([*prefix, *inner], env=env)
    data = json.loads(record.read_text(encoding="utf-8"))
    data.update({"returncode": code, "finished": time.time()})
    atomic_write_text(record, json.dumps(data, indent=1))
    return code


def main(argv: list[str] | None = None) -> int:
    ap = commands.ArgumentParser(prog="kziran.tooling.offline", description=__doc__.splitlines()[0])
    ap.add_argument("--record", type=Path, default=RECORD)
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command given")
    if shutil.which(command[0]) is None:
        ap.error(f"no command {command[0]!r} on this machine")
    if args.inside:
        return _inside(args.record, command)
    return run(command, args.record)


if __name__ == "__main__":
    sys.exit(commands.run(main, prog="kziran.tooling.offline"))
