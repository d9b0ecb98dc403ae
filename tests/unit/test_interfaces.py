"""The public interfaces stay as they were before the house was rebuilt (``tests/data/interfaces.json``, recorded
from the old tree): every named API endpoint with its parameter names in order, every link setting, and every
command-line subcommand and flag. A new experiment may add to them, and a new setting may add a parameter to an endpoint
(the recorded ones keep their names and their order, so a call by name, as the README documents, means the same) or
a flag to a subcommand; nothing recorded may change or go."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

RECORDED = json.loads((Path(__file__).resolve().parents[1] / "data" / "interfaces.json").read_text())


def _missing_or_changed(recorded: dict, now: dict, kept) -> list[str]:
    return [f"{k}: {v} -> {now.get(k, 'missing')}" for k, v in recorded.items() if not kept(v, now.get(k))]


def _in_order(old: list, new: list | None) -> bool:
    """Every recorded name is still there, in the recorded order (new names may sit between them)."""
    if new is None:
        return False
    rest = iter(new)
    return all(name in rest for name in old)


def _subset(old: list, new: list | None) -> bool:
    return new is not None and set(old) <= set(new)


def test_the_checks_refuse_a_renamed_or_moved_parameter():
    assert _in_order(["a", "b"], ["a", "b", "c"]) and _in_order(["a", "b"], ["a", "c", "b"])
    assert not _in_order(["a", "b"], ["b", "a"]) and not _in_order(["a", "b"], ["a"]) and not _in_order(["a"], None)
    assert _subset(["--x"], ["--w", "--x"]) and not _subset(["--x"], ["--y"])


def test_every_api_endpoint_keeps_its_name_and_parameters(demo):
    info = demo.get_api_info()["named_endpoints"]
    now = {name: [p["parameter_name"] for p in e["parameters"]] for name, e in info.items()}
    assert not _missing_or_changed(RECORDED["api"], now, _in_order)


def test_every_link_setting_is_still_read_from_the_address(demo):
    now = {key for key, _ in demo.page.links.widgets()}
    assert sorted(set(RECORDED["links"]) - now) == []


def _options(parser: argparse.ArgumentParser, prefix: str, out: dict) -> None:
    out[prefix] = sorted(o for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")) + sorted(
        f"<{a.dest}>" for a in parser._actions if not a.option_strings and not isinstance(a, argparse._SubParsersAction))
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, sub in a.choices.items():
                _options(sub, f"{prefix} {name}", out)


def test_every_cli_subcommand_keeps_its_flags():
    from playground.kit import registry

    now: dict = {}
    for experiment in registry.experiments():
        parser = argparse.ArgumentParser()
        parser.add_argument("--json", action="store_true")
        importlib.import_module(experiment.cli).add_arguments(parser)
        _options(parser, experiment.name, now)
    assert not _missing_or_changed(RECORDED["cli"], now, _subset)
