"""Recorded runs: the format (``format``), the recorders of the registered experiments (``recorders``) and the
command line (``cli``: ``python -m playground replay record|list|check``). Knows no experiment.

The format's names are the package's own: ``from playground import replay; replay.save(rec, path)``.
"""

from playground.kit.registry import Experiment, register
from playground.replay.format import (ALLOWED_DTYPES, FORMAT, HEAD, MAX_FRAMES, REPLAY_DIR, VERSION, Recording,
                                      code_version, config_dict, header, load, path_for, peek, save, thin,
                                      thin_keeping)

register(Experiment("replay", "record, list or check the shipped replays of live runs (assets/replays)",
                    cli="playground.replay.cli", order=900))

__all__ = ["ALLOWED_DTYPES", "FORMAT", "HEAD", "MAX_FRAMES", "REPLAY_DIR", "VERSION", "Recording", "code_version",
           "config_dict", "header", "load", "path_for", "peek", "save", "thin", "thin_keeping"]
