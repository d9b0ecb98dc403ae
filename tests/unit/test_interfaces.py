"""The public interfaces stay as they were before the house was rebuilt (``tests/data/interfaces.json``, recorded
from the old tree): every named API endpoint with its parameter names in order, every link setting, and every
command-line subcommand and flag. A new experiment may add to them; nothing recorded may change or go."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

RECORDED = json.loads((Path(__file__).resolve().parents[1] / "data" / "interfaces.json").read_text())


def _missing_or_changed(recorded: dict, now: dict) -> list[str]:
    return [f"{k}: {v} -> {now.get(k, 'missing')}" for k, v in recorded.items() if now.get(k) != v]


def test_every_api_endpoint_keeps_its_name_and_parameters(demo):
    info = demo.get_api_info()["named_endpoints"]
    now = {name: [p["parameter_name"] for p in e["parameters"]] for name, e in info.items()}
    assert not _missing_or_changed(RECORDED["api"], now)


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
    assert not _missing_or_changed(RECORDED["cli"], now)
