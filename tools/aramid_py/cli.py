"""Command dispatch: `tools/aramid COMMAND [options]`, one module per command.

Each command module has a docstring (its --help text), `configure(parser)` and `run(args)`.
Commands that run a guest program take it after `--`, e.g. `exec --kernel linux -- /bin/ls /`.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from aramid_py.util import Failure

COMMANDS = {
    "setup": "cmd_setup",
    "build": "cmd_build",
    "test": "cmd_test",
    "run": "cmd_run",
    "exec": "cmd_exec",
    "sim": "cmd_sim",
    "bench": "cmd_bench",
    "iso": "cmd_iso",
    "lint": "cmd_lint",
    "image": "cmd_image",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print("usage: tools/aramid <command> [options]; commands: " + ", ".join(COMMANDS))
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"aramid: unknown command '{name}' (try tools/aramid --help)", file=sys.stderr)
        return 2
    module = importlib.import_module(f"aramid_py.{COMMANDS[name]}")
    doc = (module.__doc__ or "").strip()
    summary, _, details = doc.partition("\n")
    parser = argparse.ArgumentParser(
        prog=f"tools/aramid {name}", description=summary, epilog=details.strip() or None,
        formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    module.configure(parser)
    program: list[str] = []
    if getattr(module, "TAKES_PROGRAM", False) and "--" in rest:
        cut = rest.index("--")
        rest, program = rest[:cut], rest[cut + 1:]
    try:
        if getattr(module, "PASSES_UNKNOWN", False):
            args, unknown = parser.parse_known_args(rest)
            args.passthrough = unknown
        else:
            args = parser.parse_args(rest)
        args.program = program
        return int(module.run(args) or 0)
    except Failure as failure:
        print(f"aramid {name}: {failure}", file=sys.stderr)
        return failure.code
    except KeyboardInterrupt:
        return 130
