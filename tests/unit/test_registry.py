"""Experiments and tabs register themselves; a name taken twice is refused (as peft's method registry does)."""

from __future__ import annotations

import pytest

from playground.kit import registry
from tabs.harness import registry as tab_registry


def test_every_experiment_registers_itself_in_the_courses_order():
    names = [e.name for e in registry.experiments()]
    assert names[:3] == ["attention", "generate", "lab"] and names[-1] == "replay"
    assert {"gan", "vae", "diffusion", "genvsdisc", "augment", "finetune", "vision", "ideas", "lecture"} <= set(names)
    assert names.index("vae") < names.index("diffusion") < names.index("genvsdisc")  # after the VAE, as the tabs
    recordings = registry.recorder_specs()
    assert list(recordings) == ["lab_seq2seq", "lab_ln", "lab_lstm", "lab_objectives", "gan", "diffusion", "gvd", "gvd_sweep", "aug", "ft", "ft_sweep", "vision_race", "vision_sweep"]


def test_a_taken_experiment_or_recording_name_is_refused():
    with pytest.raises(ValueError, match="'gan' is registered already"):
        registry.register(registry.Experiment("gan", "again", cli="somewhere"))
    with pytest.raises(ValueError, match="recording name 'gvd' of 'fresh' is taken by 'genvsdisc'"):
        registry.register(registry.Experiment("fresh", "new", cli="x", recorders={"gvd": "x:y"}))
    assert "fresh" not in {e.name for e in registry.experiments()}
    with pytest.raises(ValueError, match="lower-case identifier"):
        registry.Experiment("Not A Name", "x", cli="x")


def test_a_taken_tab_id_or_string_key_is_refused():
    tabs = tab_registry.tabs()
    assert [t.id for t in tabs][0] == "attention" or [t.id for t in tabs][0] in {"lab", "gan"}
    with pytest.raises(ValueError, match="'gan' is registered already"):
        tab_registry.register(tab_registry.TabSpec("gan", "tab.gan", 99, build=lambda page: None, strings={}))
    with pytest.raises(KeyError, match="'gan.preset' of tabs.other is defined already by tabs.gan"):
        tab_registry.register(tab_registry.TabSpec("other", "tab.gan", 99, build=lambda page: None,
                                                   strings={"gan.preset": {"en": "x", "vi": "y"}}))
