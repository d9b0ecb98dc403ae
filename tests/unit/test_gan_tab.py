"""The GAN Lab's tab without a server: what its handlers answer (the app is built, not launched)."""

from __future__ import annotations

import pytest

from playground import replay
from playground.gan import trainer as core
from tabs.harness.replay import recordings

pytestmark = pytest.mark.skipif(not recordings("gan"), reason="the shipped GAN recordings are missing")


@pytest.fixture(scope="module")
def gan(demo):
    return demo.page.tabs["gan"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_preset_brings_its_replay_note_with_its_settings(gan, lang):
    """Choosing a preset answers with its settings and, at once, the note for them (from the settings alone): a preset
    that has a recording never reads "no recording"."""
    recorded = {h["name"] for h in recordings("gan")}
    for name in core.PRESETS:
        *values, button, note = gan.choose_preset(name, lang)
        assert values[list(gan.settings).index("data")] == core.preset_config(name).data
        has = name in recorded
        assert button["interactive"] is has, (name, note)
        if has:
            assert ("Replay**" if lang == "en" else "Phát lại**") in note, (name, note)
            seconds = replay.peek(replay.REPLAY_DIR / f"gan-{name}.json.gz")["seconds"]
            assert f"{seconds:.0f}" in note, (name, note)


def test_custom_leaves_the_settings_and_the_note_as_they_are(gan):
    out = gan.choose_preset("custom", "en")
    assert len(out) == len(gan.settings) + 2
    assert all(isinstance(v, dict) and v.get("__type__") == "update" and len(v) == 1 for v in out), out


def test_the_plane_title_breaks_into_two_short_lines():
    """On a projector the plane's title ran out of its figure in one line (1024x768, presenter mode)."""
    from tabs.harness.i18n import t

    for key in ("gan.fig.plane", "gan.fig.plane_avg"):
        for lang in ("en", "vi"):
            lines = t(key, lang, step=5000).split("<br>")
            assert len(lines) == 2 and max(map(len, lines)) <= 45, lines
