"""Drawn data sets: the code (round trip, bounds, damaged codes), sampling and coverage through toy2d, and the GAN's
and Gen vs disc's configs taking a code in place of a data set's name."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.data import drawn, toy2d
from playground.gan import trainer as gan
from playground.genvsdisc import GvdConfig, GvdRun, sample as gvd_sample


def _cloud(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-toy2d.EXTENT, toy2d.EXTENT, (n, 2))


TWO_CLASSES = drawn.encode(np.array([[-1.5, -1.0], [-1.2, -0.8], [-1.0, -1.4], [1.4, 1.0], [1.1, 1.5], [1.6, 1.3]]),
                           [0, 0, 0, 3, 3, 3])


# ---------------------------------------------------------------- the code
def test_round_trip_moves_a_point_by_less_than_one_grid_cell():
    points, labels = _cloud(drawn.MAX_POINTS), np.arange(drawn.MAX_POINTS) % 4
    code = drawn.encode(points, labels)
    back, back_labels = drawn.decode(code)
    assert back.shape == (drawn.MAX_POINTS, 2) and back_labels.tolist() == labels.tolist()
    assert np.abs(back - points).max() <= drawn.CELL / 2 + 1e-9  # half a cell: the nearest grid point
    assert drawn.encode(back, back_labels) == code  # grid points are fixed points
    assert len(code) == drawn.MAX_CODE_LENGTH and code.startswith("d1.") and drawn.is_drawn(code)


def test_corners_and_order_survive():
    e = toy2d.EXTENT
    points = np.array([[-e, -e], [e, e], [-e, e], [e, -e]])
    back, labels = drawn.decode(drawn.encode(points, [3, 2, 1, 0]))
    assert np.allclose(back, points) and labels.tolist() == [3, 2, 1, 0]


@pytest.mark.parametrize("points, labels, words", [
    (np.zeros((drawn.MAX_POINTS + 1, 2)), np.zeros(drawn.MAX_POINTS + 1), "at most 200"),
    (np.array([[toy2d.EXTENT + 0.1, 0.0]]), [0], "must lie in"),
    (np.array([[np.nan, 0.0]]), [0], "must lie in"),
    (np.zeros((2, 2)), [0, 4], "labels must be from 0 to 3"),
    (np.zeros((2, 2)), [0], "one label per point"),
])
def test_encode_refuses_what_the_code_cannot_hold(points, labels, words):
    with pytest.raises(ValueError, match=words):
        drawn.encode(points, labels)


GOOD = drawn.encode(_cloud(5), [0, 1, 2, 3, 0])


@pytest.mark.parametrize("code, words", [
    ("x1." + GOOD[3:], "starts with 'd1.'"),
    ("ring8", "starts with 'd1.'"),
    (GOOD[:-1] + "!", "only letters, digits"),
    (GOOD + "A", "length does not fit"),  # one base64 character more: not whole bytes
    (GOOD[:-1], "length does not fit"),  # an odd number of bytes: half a point
    ("d1." + "A" * (drawn.MAX_CODE_LENGTH + 1), "at most 200 points"),
    ("d1.", "at least 3 points, got 0"),
    (drawn.encode(_cloud(2), [0, 1]), "at least 3 points, got 2"),
])
def test_decode_refuses_a_damaged_code_saying_what_is_wrong(code, words):
    with pytest.raises(ValueError, match=words):
        drawn.decode(code)


def test_a_name_is_not_a_code():
    assert not drawn.is_drawn("ring8") and not drawn.is_drawn(None) and not toy2d.is_drawn("moons")


# ---------------------------------------------------------------- sampling and coverage: the GAN's measure
def test_samples_of_a_labelled_drawing_cover_every_colour():
    ref, regions, n = toy2d.reference(TWO_CLASSES)
    assert n == 2 and regions.tolist() == [0, 0, 0, 1, 1, 1]  # colours 0 and 3 are the two regions
    pts = toy2d.sample(TWO_CLASSES, 2000, torch.Generator().manual_seed(0))
    cov = toy2d.coverage(pts, TWO_CLASSES)
    assert cov.modes_covered == 2 and cov.high_quality >= 0.9
    assert toy2d.noise_std(TWO_CLASSES) == drawn.JITTER


def test_a_one_colour_drawing_is_cut_into_at_most_eight_regions_the_same_way_each_time():
    code = drawn.encode(_cloud(120, seed=3), [1] * 120)
    _, regions, n = toy2d.reference(code)
    assert n == drawn.MAX_REGIONS and sorted(set(regions.tolist())) == list(range(n))
    again = drawn.kmeans(drawn.decode(code)[0], drawn.MAX_REGIONS, seed=__import__("zlib").crc32(code.encode()))
    assert again.tolist() == regions.tolist()
    pts = toy2d.sample(code, 3000, torch.Generator().manual_seed(1))
    cov = toy2d.coverage(pts, code)
    assert cov.modes_covered == n and cov.high_quality >= 0.9


def test_few_distinct_points_make_as_many_regions():
    code = drawn.encode(np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [-1.0, 1.0]]), [2] * 4)
    assert toy2d.reference(code)[2] == 3


def test_coverage_sees_a_collapse_onto_one_colour():
    centre = drawn.decode(TWO_CLASSES)[0][0]
    cov = toy2d.coverage(np.tile(centre, (500, 1)), TWO_CLASSES)
    assert cov.modes_covered == 1 and cov.high_quality == 1.0


def test_sampling_draws_from_the_given_generator_only():
    a = toy2d.sample(TWO_CLASSES, 50, torch.Generator().manual_seed(5))
    torch.manual_seed(123)  # the process-wide stream must not matter
    b = toy2d.sample(TWO_CLASSES, 50, torch.Generator().manual_seed(5))
    assert torch.equal(a, b)


# ---------------------------------------------------------------- the configs
def test_a_gan_config_takes_a_code_and_trains_on_its_points():
    config = gan.GanConfig(data=TWO_CLASSES, latent_dim=4, width=16, depth=1, batch_size=32, steps=5)
    assert config.is_toy and gan.data_shape(config.data) == (2,)
    real = gan.real_data(config.data)
    assert real.shape == (gan.TOY_POOL, 2) and toy2d.coverage(real[:2000], TWO_CLASSES).high_quality > 0.95
    trainer = gan.GanTrainer(config)
    snap = list(trainer.step(5, report_every=5, sample_every=5))[-1]
    assert snap.coverage.n_modes == 2 and snap.samples.shape == (gan.TOY_FIXED, 2)


@pytest.mark.parametrize("bad, words", [("d1.", "at least 3"), ("d1.#", "only letters"), ("blob", "must be one of")])
def test_a_gan_config_refuses_garbage(bad, words):
    with pytest.raises(ValueError, match=words):
        gan.GanConfig(data=bad)


def test_gen_vs_disc_takes_a_drawing_s_colours_as_its_classes():
    config = GvdConfig(data=TWO_CLASSES, n_train=40, n_test=200, steps=5, n_samples=10, resolution=10,
                       outlier_class=1)
    assert config.n_classes == 2
    points = gvd_sample(TWO_CLASSES, 400, torch.Generator().manual_seed(0))
    assert points.n_classes == 2 and sorted(points.y.unique().tolist()) == [0, 1]
    left = points.x[points.y == 0].mean(0)  # class 0 (the first colour) drawn on the lower left
    assert left[0] < -0.8 and left[1] < -0.7
    run = GvdRun(config)
    snap = [s for s in run.step(5) if s is not None][-1]
    assert snap.test_accuracy["lda"] > 0.95


def test_four_colours_give_four_classes():
    code = drawn.encode(_cloud(12, seed=2), [0, 1, 2, 3] * 3)
    config = GvdConfig(data=code, outlier_class=3)
    assert config.n_classes == 4


@pytest.mark.parametrize("bad, words", [
    (drawn.encode(_cloud(6), [2] * 6), "at least 2 colours"),
    ("d1.AAA", "at least 3 points"),
    ("d1.***", "only letters"),
])
def test_gen_vs_disc_refuses_one_colour_and_garbage(bad, words):
    with pytest.raises(ValueError, match=words):
        GvdConfig(data=bad)


def test_gen_vs_disc_outlier_class_is_checked_against_the_drawing():
    with pytest.raises(ValueError, match="2 classes: the outlier class must be from 0 to 1"):
        GvdConfig(data=TWO_CLASSES, outlier_class=2)


# ---------------------------------------------------------------- the canvas's wiring (tabs/harness/canvas.py)
def test_the_starters_are_valid_drawings_inside_the_plane():
    from tabs.harness import canvas

    colours = {"heart": [0], "smiley": [0, 1, 2], "letters": [0, 1]}
    for name in canvas.STARTERS:
        points, labels = drawn.decode(canvas.starter(name))
        assert np.abs(points).max() <= toy2d.EXTENT and sorted(set(labels.tolist())) == colours[name]


def test_the_data_setting_drives_the_picker_and_the_canvas():
    """``DrawnData.follow``: a link's or a preset's value shows in the picker and on the canvas; garbage is refused."""
    import gradio as gr
    from types import SimpleNamespace

    from tabs.harness import canvas

    widget = SimpleNamespace(_choices=["ring8", "moons", canvas.DRAWN])
    follow = lambda *a: canvas.DrawnData.follow(widget, *a)  # noqa: E731
    skip = gr.skip()
    data, picker, shown, box = follow(TWO_CLASSES, "ring8", "")  # a link with a drawing
    assert (data, picker, shown, box["visible"]) == (skip, canvas.DRAWN, TWO_CLASSES, True)
    data, picker, shown, box = follow("moons", canvas.DRAWN, TWO_CLASSES)  # a preset's data set
    assert (data, picker, shown, box["visible"]) == (skip, "moons", skip, False)
    assert follow("d1.", canvas.DRAWN, "")[2] == "d1."  # an empty drawing is a drawing in progress
    assert follow("d1.#", "moons", "")[0] == "moons"  # a damaged code: back to the picker's choice
    assert follow("nonsense", canvas.DRAWN, TWO_CLASSES)[0] == TWO_CLASSES  # ... or to the canvas's drawing


@pytest.mark.parametrize("code, lang, words", [
    ("drawn", "en", "Draw at least 3 points"), ("d1.AAA", "vi", "Hãy vẽ ít nhất 3 điểm"),
    ("d1.%%", "en", "cannot be read"), (TWO_CLASSES, "en", None),
])
def test_a_drawing_is_checked_in_the_users_language(code, lang, words):
    import gradio as gr

    from tabs.harness import canvas

    if words is None:
        canvas.check(code, lang)
        return
    with pytest.raises(gr.Error, match=words):
        canvas.check(code, lang)


def test_a_gan_run_on_a_drawing_exports_its_slides_and_files_named_drawn(tmp_path):
    """The slides' title and the files name a drawing by its size ("drawn data (6 points)"), never by its code."""
    from tabs.gan import session, slides
    from tabs.harness.i18n import t

    config = gan.GanConfig(data=TWO_CLASSES, latent_dim=4, width=16, depth=1, batch_size=32, steps=3)
    s = session.GanSession()
    for _ in session.make_run(s, config):
        pass
    assert len(s.film) > 0
    out = slides.export(s.film, s.trainer, s.trainer.history_columns(), "vi")
    names = [str(f).rsplit("/", 1)[-1] for f in out.files]
    assert names and all(n.startswith("gan-drawn-step3") for n in names), names
    assert t("gan.data.drawn_named", "vi", n=6) == "dữ liệu tự vẽ (6 điểm)"
    paths = [s.trainer.save_generator(tmp_path / "g.safetensors")]
    assert gan.load_generator(paths[0])[1].data == TWO_CLASSES  # the code is the saved config's data
