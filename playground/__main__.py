"""Command line: ``python -m playground <experiment> [options] [--json]``.

The experiments are the registered ones (``playground.kit.registry``: each package registers its own). Each
names a module with ``add_arguments(parser)`` and ``run_cli(args)``; ``run_cli`` returns one dict (or yields
several, one per line of output). Only the chosen experiment's module adds its options.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads sleep; set before torch loads

from playground.kit import registry  # noqa: E402
from playground.kit.runtime import keep_freed_memory  # noqa: E402


def _print(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, ensure_ascii=False), flush=True)
        return
    for key, value in report.items():
        print(f"{key:>24}: {value}")
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    keep_freed_memory()  # as the app does: training steps reuse freed memory
    parser = argparse.ArgumentParser(prog="python -m playground", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="experiment", required=True, metavar="experiment")
    experiments = {e.name: e for e in registry.experiments()}
    chosen = argv[0] if argv and argv[0] in experiments else None
    for name, experiment in experiments.items():
        p = sub.add_parser(name, help=experiment.help)
        p.add_argument("--json", action="store_true", help="print machine-readable JSON lines")
        if name == chosen:
            importlib.import_module(experiment.cli).add_arguments(p)
    args = parser.parse_args(argv)
    module = importlib.import_module(experiments[args.experiment].cli)
    try:
        result = module.run_cli(args)
        for report in [result] if isinstance(result, dict) else result:
            _print(report, args.json)
    except ValueError as e:
        print(json.dumps({"error": str(e)}) if args.json else f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
