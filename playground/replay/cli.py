"""``python -m playground replay record|list|check [--tab NAME] [--preset NAME]``: build, list or verify the
shipped recordings of every registered experiment."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Iterator

from playground.replay import format as replay
from playground.replay import recorders


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("record", "list", "check"), help="build, list or verify the recordings")
    parser.add_argument("--tab", choices=tuple(recorders.names()), default=None,
                        help="only this live run's recordings (default: all)")
    parser.add_argument("--preset", default=None, help="only this preset (default: all of the run's)")
    parser.add_argument("--folder", default=str(replay.REPLAY_DIR), help="where the recordings live")


def run_cli(args: argparse.Namespace) -> Iterator[dict]:
    folder = Path(args.folder)
    for tab in [args.tab] if args.tab else recorders.names():
        r = recorders.recorder(tab)
        for name in [args.preset] if args.preset else r.names():
            path = replay.path_for(tab, name, folder)
            if args.action == "record":
                start = time.perf_counter()
                recorders.record(tab, name, folder)
                yield {"recorded": str(path), "bytes": path.stat().st_size,
                       "seconds": round(time.perf_counter() - start, 1)}
            elif not path.exists():
                yield {"missing": str(path)}
            elif args.action == "list":
                yield {"file": str(path), "bytes": path.stat().st_size, **replay.header(path)}
            else:
                r.check(recorders.load(path), recorders.CHECK_STEPS)
                yield {"checked": str(path), "ok": True}
