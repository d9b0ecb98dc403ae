"""The Diffusion Lab's figures, table and slides, without a server."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tabs.diffusion import families, figures
from tabs.diffusion.session import View


def _view(k: int = 5, n: int = 60) -> View:
    times = np.linspace(1.0, 0.0, k)
    rng = np.random.default_rng(0)
    paths = rng.normal(size=(k, n, 2)).astype(np.float32)
    return View(step=7, samples=paths[-1], paths=paths, times=times, coverage=None, sampler="ddim", sample_steps=20)


def test_nearest_kept_state_to_a_time():
    times = np.linspace(1.0, 0.0, 21)
    assert figures.nearest_index(times, 1.0) == 0
    assert figures.nearest_index(times, 0.0) == 20
    assert figures.nearest_index(times, 0.51) == 10


def test_arrows_point_along_the_field_and_one_huge_value_is_clipped_not_shrinking_the_rest():
    grid = np.array([-1.0, 0.0, 1.0])
    vectors = np.zeros((3, 3, 2))
    vectors[..., 0] = 1.0  # everywhere to the right

    def shafts(v):
        xs, ys = figures.arrows(grid, v, scale=0.5)
        return [(xs[i], ys[i], xs[i + 1], ys[i + 1]) for i in range(0, len(xs), 7)]  # base -> tip of each arrow

    even = shafts(vectors)
    assert len(even) == 9
    for x0, y0, x1, y1 in even:
        assert x1 - x0 == pytest.approx(0.25, abs=1e-3) and y1 == pytest.approx(y0)  # half: the median's length
    vectors[1, 1] = [0.0, 100.0]  # one huge arrow up, at the centre
    lengths = [np.hypot(x1 - x0, y1 - y0) for x0, y0, x1, y1 in shafts(vectors)]
    assert lengths[4] == pytest.approx(0.5, abs=1e-3)  # clipped at the longest shown
    assert lengths[0] == pytest.approx(0.25, abs=1e-3)  # the others keep their length
    assert figures.arrows(grid, np.zeros((3, 3, 2)), 0.5) == ([], [])  # no field, no arrows (not NaN)


def test_reverse_figure_draws_the_state_at_the_chosen_time_and_paths_up_to_it():
    view = _view()
    fig = json.loads(figures.reverse_figure("ring8", view, 0.5, None, "ddpm", "en").plot)
    names = [tr.get("name") for tr in fig["data"]]
    assert names == ["real", "paths", "samples"]  # no field without a network (a replay)
    samples = fig["data"][2]
    k = figures.nearest_index(view.times, 0.5)
    assert samples["x"] == np.clip(view.paths[k, :, 0], -figures.SHOWN_EXTENT, figures.SHOWN_EXTENT).round(3).tolist()
    first_path = fig["data"][1]["x"][: k + 2]
    assert first_path[-1] is None and len([v for v in first_path if v is not None]) == k + 1
    assert "t = 0.50" in fig["layout"]["title"]["text"] and "step 7" in fig["layout"]["title"]["text"]
    vi = json.loads(figures.reverse_figure("ring8", view, 0.5, None, "ddpm", "vi").plot)
    assert "Quá trình ngược" in vi["layout"]["title"]["text"]


def test_flow_arrows_are_drawn_reversed_so_they_point_towards_the_data():
    view = _view()
    grid = np.array([-1.0, 0.0, 1.0])
    v = np.zeros((3, 3, 2))
    v[..., 0] = 1.0  # the velocity dx/dt points right: the reverse process goes left
    fig = json.loads(figures.reverse_figure("ring8", view, 0.5, (grid, v), "flow", "en").plot)
    field = next(tr for tr in fig["data"] if tr.get("name") == "field")
    assert field["x"][1] < field["x"][0]


def test_quality_figure_puts_steps_on_a_log_axis_and_shares_in_percent():
    rows = [dict(steps=s, nfe=s, modes=m, of=8, high_quality=h, ms_per_sample=0.1) for s, m, h in
            [(1, 2, 0.1), (10, 8, 0.7), (100, 8, 0.95)]]
    fig = json.loads(figures.quality_figure(rows, "ddim", "en").plot)
    assert fig["layout"]["xaxis"]["type"] == "log"
    assert fig["data"][0]["y"] == [0.1, 0.7, 0.95] and fig["data"][1]["y"] == [0.25, 1.0, 1.0]


RESULTS = {"machine": "2-core CPU", "date": "2026-12-02", "data": "ring8",
           "data_label": {"en": "Ring of 8 Gaussians", "vi": "Vòng 8 cụm Gauss"}, "seeds": [0, 1, 2],
           "rows": [{"family": "gan", "label": {"en": "GAN", "vi": "GAN"}, "modes": [8, 7, 8], "of": 8,
                     "high_quality": [0.91, 0.6, 0.88], "nfe": [1, 1, 1], "ms_per_sample": [0.002, 0.002, 0.003],
                     "train_s": [20.1, 21.0, 19.5], "to_quality_s": [12.0, None, 15.0]},
                    {"family": "vae", "label": {"en": "VAE", "vi": "VAE"}, "modes": [8, 8, 8], "of": 8,
                     "high_quality": [0.2, 0.25, 0.22], "nfe": [1, 1, 1], "ms_per_sample": [0.001] * 3,
                     "train_s": [5.0, 5.2, 5.1], "to_quality_s": [None, None, None]}],
           "digits": [{"family": "diffusion", "label": {"en": "Diffusion, w = 3", "vi": "Khuếch tán, w = 3"},
                       "classes": [10, 10, 10], "of": 10, "confident": [0.9, 0.92, 0.91], "nfe": [100] * 3,
                       "ms_per_sample": [2.5, 2.6, 2.4]}]}


def test_family_table_gives_ranges_over_seeds_in_both_languages():
    en = families.table(RESULTS, "en")
    assert "| GAN | 7–8 / 8 | 60%–91% | 1 |" in en
    assert "12–15 s (2/3)" in en  # reached on two of three seeds
    assert "| VAE | 8 / 8 | 20%–25% |" in en and "not reached" in en
    assert "| Diffusion, w = 3 | 10 / 10 | 90%–92% | 100 |" in en
    vi = families.table(RESULTS, "vi")
    assert "không đạt" in vi and "Vòng 8 cụm Gauss" in vi and "chế độ được phủ" in vi
    assert "python benchmarks/three_families.py" in families.table(None, "en")


def test_reverse_process_slides_are_a_gif_and_stills(tmp_path):
    from PIL import Image

    from playground.diffusion import toy as core
    from tabs.diffusion import slides

    out = slides.export(_view(k=6), core.DiffusionConfig(), "vi")
    gif, png = out.files[0], out.files[1]
    assert gif.endswith(".gif") and png.endswith(".png")
    with Image.open(gif) as im:
        assert im.n_frames == 6  # one a kept state, t = 1 ... 0
    with Image.open(png) as im:
        assert im.size[0] >= 1280


def test_the_lesson_under_the_table_quotes_the_same_results_and_follows_them():
    import copy

    full = copy.deepcopy(RESULTS)
    full["rows"][0].update(modes=[8, 8, 8], high_quality=[0.92, 0.94, 0.93], to_quality_s=[9.2, 11.6, 10.0])
    for family, ms, nfe in (("diffusion", [0.11, 0.12, 0.115], 50), ("flow", [0.03, 0.06, 0.04], 20)):
        full["rows"].append({"family": family, "label": {"en": family, "vi": family}, "modes": [8] * 3, "of": 8,
                             "high_quality": [0.89, 0.9, 0.94], "nfe": [nfe] * 3, "ms_per_sample": ms,
                             "train_s": [8.0] * 3, "to_quality_s": [4.1, 8.3, 5.0]})
    en = families.lesson(full, "en")
    assert "only 20%–25% of its samples" in en  # the VAE's high-quality share from the table
    assert "(50 for DDPM here, 20 for flow matching)" in en and "55–60×" in en  # 0.11 ... 0.12 over the fastest GAN sample, 0.002
    assert "the GAN did not collapse" in en and "92%–94%" in en and "9–12 s" in en
    collapsed = copy.deepcopy(full)
    collapsed["rows"][0]["modes"] = [8, 5, 8]
    assert "missed modes on some seeds" in families.lesson(collapsed, "en")
    assert "GAN bỏ sót chế độ" in families.lesson(collapsed, "vi")
    assert "three_families.py" in families.lesson(RESULTS, "en")  # a family missing: no claims, what to run
    assert "three_families.py" in families.lesson(None, "vi")
