"""The Fine-tuning Lab's tab without a server: its records, statuses and figures from recorded snapshots (the
shipped recording of the CPU default race), driven through the harness on a manual clock (tests/unit/fakes.py)."""

from __future__ import annotations

import pytest

from playground import finetune as core
from playground import replay as recordings
from playground.replay import recorders
from tabs.finetune import replay, session
from tabs.finetune.session import Race, RaceSession, SweepSession
from tabs.harness import live
from tabs.harness.clock import ManualClock
from tests.unit import fakes

RECORDING = recordings.REPLAY_DIR / "ft-cpu_default.json.gz"


@pytest.fixture(scope="module")
def rec():
    if not RECORDING.exists():
        pytest.skip("no recording of the CPU default race")
    return recorders.load(str(RECORDING))


def _race(rec) -> Race:
    return Race(core.FinetuneConfig(device="cpu", freeze_k=3), tuple(rec.config["strategies"]))


def _live(clock: ManualClock, make_run) -> live.Live:
    lv = live.Live(fakes.FakePage(), "ft", RaceSession, make_run=make_run, render=lambda s, snap, lang: {},
                   where=session.race_where, config=lambda values, lang: values["work"], clock=clock)
    lv.state, lv.status_output, lv.inputs = "state", "status", {"work": "work"}
    return lv


def test_stop_after_a_finished_race_keeps_its_time(rec):
    """Stop pressed after the race ended says what the end said, however late: the time is the race's, not the
    clock's now (it grew by the seconds since the end, one step per press)."""
    clock = ManualClock()
    race = _race(rec)

    def make_run(s: RaceSession, race: Race):
        race_id = s.begin(race)
        for snap in rec.frames:  # the recorded snapshots, as the live race yields them, 1 s apart
            clock.advance(1.0)
            s.record(snap, race_id)
            yield snap

    lv = _live(clock, make_run)
    s = RaceSession(clock=clock)
    lv.new_run(s, race, paused=False)
    fakes.until(lambda: s.run.phase.finished, "the race to end")
    end = lv.status(s, "en")
    assert end.startswith("✓ Done:") and f"in {len(rec.frames)} s" in end, end
    for _ in range(3):
        clock.advance(140.0)
        assert lv.stop({"state": s, "lang": "en", "page": 0})["status"] == end


def test_a_finished_replay_keeps_the_recorded_time(rec):
    clock = ManualClock()
    s = RaceSession(clock=clock)
    frames = list(replay.feed(s, rec, _race(rec), "en"))
    done = sum(f.result.wall_s for f in rec.frames if f.result is not None)
    first = session.race_where(s, frames[-1], "vi")
    assert f"{done:.0f} giây" in first, first
    clock.advance(500.0)
    assert session.race_where(s, frames[-1], "vi") == first


def test_a_finished_sweep_keeps_its_time():
    clock = ManualClock()
    s = SweepSession(clock=clock)
    race = Race(core.FinetuneConfig(device="cpu"), ("full", "from_scratch"), sizes=(50, 100))
    race_id = s.begin(race, chance=0.2, n_test=100)
    point = None
    for n in race.sizes:
        for strategy in race.strategies:
            clock.advance(10.0)
            point = core.SweepPoint(strategy, n, 0.5, 1.0, 10.0, 1, 0, "tweets")
            s.record(point, race_id)
    first = session.sweep_where(s, point, "en")
    assert first == "4 points in 40 s", first
    clock.advance(100.0)
    assert session.sweep_where(s, point, "en") == first


def _race_film(strategies) -> tuple:
    from tabs.harness import film

    history = {s: [dict(step=i, loss=1 / (i + k), acc=0.5 + i / 80 if i % 5 == 0 else None) for i in range(1, 21)]
               for k, s in enumerate(strategies)}
    f = film.Film(cap=8)
    for n in range(1, 21):
        f.offer(lambda n=n: {"counts": {s: n for s in strategies}, "strategy": strategies[-1], "step": n})
    return f, history


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_slide_legend_lies_inside_the_picture(lang):
    """The default race's four names fit the GIF and the PNG: no text touches the left or right edge (one row of
    four ran off both: "LoRA (p")."""
    import numpy as np
    from PIL import Image

    from tabs.finetune import slides

    f, history = _race_film(tuple(core.DEFAULT_RACE))
    files = slides.export(f, history, 0.2, lang).files
    gif = next(p for p in files if str(p).endswith(".gif"))
    png = next(p for p in files if str(p).endswith(".png"))
    for path in (gif, png):
        pixels = np.asarray(Image.open(path).convert("L"), dtype=np.int16)
        edge = max(4, pixels.shape[1] // 200)
        for side in (pixels[:, :edge], pixels[:, -edge:], pixels[-edge:, :]):
            assert (side > 235).all(), f"{path}: something is drawn at the picture's edge"


def test_a_replay_is_filmed_and_exports_as_a_live_race_does(rec):
    """After a replay, "GIF + PNG for slides" is on (the button follows the film) and exports the replayed curves."""
    from tabs.finetune import slides

    s = RaceSession()
    list(replay.feed(s, rec, _race(rec), "en"))
    trained = sum(1 for f in rec.frames if f.phase == "train")
    assert 0 < len(s.film) <= trained + 1
    last = s.film.all()[-1].payload["counts"]
    assert last == {k: len(v) for k, v in s.history.items()}  # the last frame shows every recorded point
    files = slides.export(s.film, s.history, s.chance, "en").files
    assert sorted(str(p).rsplit(".", 1)[-1] for p in files) == ["gif", "png", "svg"]


def test_the_sweep_figure_shows_the_spread_over_seeds():
    """Several seeds per size: the line joins their means, a faint dot per seed, the bar from the lowest to the highest
    seed, and the axis says so; one seed: the bar is the test texts' 95% interval, as before."""
    import json

    from tabs.finetune import figures as fig

    accs = {50: [0.40, 0.49, 0.55], 100: [0.50, 0.54, 0.61]}
    points = [dict(strategy="full", n_train=n, seed=k, test_acc=a, n_test=250, train_s=1.0)
              for n, seeds in accs.items() for k, a in enumerate(seeds)]
    for lang in ("en", "vi"):
        figure = json.loads(fig.sweep_figure(points, lang, 0.2).plot)
        (dots,) = [tr for tr in figure["data"] if not tr.get("name")]
        (line,) = [tr for tr in figure["data"] if tr.get("name")]
        assert sorted(zip(dots["x"], dots["y"])) == sorted((n, round(100 * a, 2)) for n, s in accs.items() for a in s)
        for i, n in enumerate(line["x"]):
            mean = 100 * sum(accs[n]) / 3
            assert line["y"][i] == pytest.approx(mean, abs=0.01)
            assert line["error_y"]["array"][i] == pytest.approx(100 * max(accs[n]) - mean, abs=0.01)
            assert line["error_y"]["arrayminus"][i] == pytest.approx(mean - 100 * min(accs[n]), abs=0.01)
        assert "3 seed" in figure["layout"]["yaxis"]["title"]["text"]
    one = json.loads(fig.sweep_figure([p for p in points if p["seed"] == 0], "en", 0.2).plot)
    assert [tr["name"] for tr in one["data"]] == ["Full fine-tuning"] and "95%" in one["layout"]["yaxis"]["title"]["text"]


def _results(rec) -> list[dict]:
    return [core.report(f.result) for f in rec.frames if f.result is not None]


def test_the_bubbles_all_show_and_the_log_axis_labels_decades(rec):
    """Full fine-tuning's large bubble no longer hides freeze-bottom's: the larger are drawn first (under), all
    translucent, the legend keeps the race's order; the log axis labels one tick a decade (not 2, 5, 2, 5...)."""
    import json

    from tabs.finetune import figures as fig

    results = _results(rec)
    figure = json.loads(fig.params_figure(results, "vi").plot)
    sizes = [tr["marker"]["size"] for tr in figure["data"]]
    assert sizes == sorted(sizes, reverse=True)
    assert all(tr["marker"]["opacity"] < 1 for tr in figure["data"])
    ranked = sorted(figure["data"], key=lambda tr: tr["legendrank"])
    assert [tr["name"] for tr in ranked] == [fig.strategy_name(r["strategy"], "vi") for r in results]
    assert figure["layout"]["xaxis"]["type"] == "log" and figure["layout"]["xaxis"]["dtick"] == 1
    assert figure["layout"]["legend"]["orientation"] == "h"  # under the plot, not beside it: the plot keeps its width


def test_long_strategy_names_break_in_the_curves_legends():
    import json

    from tabs.finetune import figures as fig

    history = {s: [dict(step=1, time=1.0, loss=1.0, acc=0.5)] for s in core.DEFAULT_RACE}
    for lang in ("en", "vi"):
        figure = json.loads(fig.curves_figure(history, "acc", "step", lang, 0.2, 250).plot)
        for tr in figure["data"]:
            assert max(len(line) for line in tr["name"].split("<br>")) <= 26, tr["name"]
        assert len(figure["layout"]["yaxis"]["title"]["text"]) <= 20  # rotated beside a 380 px plot: short
