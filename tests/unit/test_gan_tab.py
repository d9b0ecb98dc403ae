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


@pytest.mark.parametrize("name", ["digits", "default"])
def test_a_replay_is_filmed_and_exports_its_slides(gan, name):
    """After a replay "GIF + PNG for slides" works (it was off): the replay is filmed as a live run is, from the
    recorded samples, for the plane and for the image grid alike."""
    from tabs.gan import replay as gan_replay
    from tabs.gan import slides
    from tabs.gan.session import GanSession
    from tabs.harness import replay as replays

    head = next(h for h in recordings("gan") if h["name"] == name)
    rec = replays.load(head)
    s = GanSession()
    list(gan_replay.feed(s, rec, core.preset_config(name), "en"))
    assert 0 < len(s.film) and s.film.all()[-1].payload["step"] == rec.frames[-1].step
    assert gan.film_ready({gan.live.state: s})[gan.film_btn]["interactive"] is True
    files = slides.export(s.film, s.trainer, s.trainer.history_columns(), "en").files
    assert {str(p).rsplit(".", 1)[-1] for p in files} >= {"gif", "png"}
