"""Films for slides (tabs/film.py): bounded and evenly thinned, GIFs that decode, files in the export folder,
and the GAN Lab's download through the running app."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tabs.harness import common
from tabs.harness import film


def test_a_film_is_bounded_and_thinned_evenly():
    f = film.Film(cap=10)
    captured = []
    for i in range(1, 1001):
        f.offer(lambda i=i: captured.append(i) or i)
    ticks = [fr.tick for fr in f.frames]
    assert 5 <= len(ticks) <= 10
    gaps = set(np.diff(ticks))
    assert gaps == {f.stride} and ticks[0] == f.stride  # evenly spaced from the start
    assert [fr.payload for fr in f.frames] == ticks
    assert len(captured) < 60  # only due frames are drawn: about cap * log2(n / cap) captures, not n


def test_filmed_keeps_the_last_frame_of_a_stopped_run_and_a_new_run_starts_empty():
    f = film.Film(cap=8)
    gen = film.filmed(iter(range(1, 100)), f, lambda snap: snap)
    for item in gen:
        if item == 37:
            break
    gen.close()  # what Stop does
    assert f.all()[-1].payload == 37 and f.all()[-1].tick == 37
    assert len(f) <= 9
    list(film.filmed(iter([None, 1, None, 2]), f, lambda snap: snap * 10))  # heartbeats are not frames
    assert [fr.payload for fr in f.all()] == [10, 20]
    more = film.filmed(iter([3]), f, lambda snap: snap * 10, fresh=False)
    list(more)
    assert [fr.payload for fr in f.all()] == [10, 20, 30]


def test_a_snapshot_the_run_dropped_is_not_filmed():
    """Stop came while the update that made snapshot 37 ran: the run ends without it (``runner.Dropped``), and so
    does the film; a run stopped after it took 37 keeps it (above)."""
    from tabs.harness.runner import Dropped

    f = film.Film(cap=8)
    gen = film.filmed(iter(range(1, 100)), f, lambda snap: snap)
    for item in gen:
        if item == 37:
            break
    with pytest.raises(GeneratorExit):
        gen.throw(Dropped())
    assert f.all()[-1].payload == 36 and f.all()[-1].tick == 36


def test_a_session_copy_starts_with_an_empty_film():
    import copy

    f = film.Film(cap=8)
    f.offer(lambda: 1)
    assert len(copy.deepcopy(f)) == 0


def test_gif_has_one_frame_per_film_frame_and_decodes(tmp_path):
    frames = []
    for i in range(6):  # a square that moves (identical frames would be merged into one, longer frame)
        arr = np.full((film.SLIDE[1], film.SLIDE[0], 3), 255, np.uint8)
        arr[100:200, 100 * i:100 * i + 100] = (249, 115, 22)
        frames.append(Image.fromarray(arr))
    path, n = film.write_gif(frames, tmp_path / "x.gif")
    gif = Image.open(path)
    assert n == 6 and gif.n_frames == 6 and gif.size == film.SLIDE and gif.info.get("loop") == 0
    gif.seek(5)
    gif.convert("RGB")


def test_grid_slides_scale_cells_by_a_whole_factor():
    cells = (np.random.default_rng(0).random((30, 30)) * 255).astype(np.uint8)
    slide = film.grid_slide(Image.fromarray(cells).convert("RGB"), "title", "step 3")
    assert slide.size == film.SLIDE
    arr = np.asarray(slide)
    assert (arr == 255).all(axis=2).mean() > 0.5  # white around the picture


def test_export_lands_in_the_cleaned_export_folder():
    f = film.Film()
    for i in range(3):
        f.offer(lambda i=i: i)
    out = film.export(f, "test-film", lambda frames: (Image.new("RGB", (64, 36), (i * 50, 0, 0)) for i, _ in
                                                       enumerate(frames)))
    assert out.frames == 3 and out.gif_bytes > 0
    assert Path(out.files[0]).parent.parent == common._EXPORTS and out.files[0].endswith("test-film.gif")
    with pytest.raises(ValueError):
        film.export(film.Film(), "empty", lambda frames: iter(()))


# ---------------------------------------------------------------- through the app


def test_finetune_slides_grow_the_curves(tmp_path):
    from tabs.finetune.slides import FinetuneSlides

    history = {"lora": [dict(step=i, loss=1 / i, acc=0.5 + i / 40 if i % 5 == 0 else None) for i in range(1, 21)],
               "bitfit": [dict(step=i, loss=1.2 / i, acc=0.4 + i / 50 if i % 5 == 0 else None) for i in range(1, 21)]}
    f = film.Film(cap=8)
    for n in range(1, 41):  # lora trains first, then bitfit
        counts = {"lora": min(n, 20), "bitfit": max(0, n - 20)}
        f.offer(lambda counts=counts, n=n: {"counts": counts, "strategy": "lora" if n <= 20 else "bitfit",
                                            "step": (n - 1) % 20 + 1})
    texts = dict(step_axis="step", loss="Training loss", acc="Test accuracy",
                 title="Fine-tuning · {name} · step {step}")
    slides = FinetuneSlides(history, {"lora": "#2563eb", "bitfit": "#16a34a"}, {"lora": "LoRA", "bitfit": "BitFit"},
                            texts, chance=0.25)
    frames = list(slides.slides(f.all()))
    assert len(frames) == len(f) and frames[0].size == film.SLIDE
    assert not np.array_equal(np.asarray(frames[0]), np.asarray(frames[-1]))  # the curves grew
    paths = slides.stills(f.all()[-1], tmp_path / "still")
    assert Image.open(paths[0]).size == film.STILL and paths[1].read_text().lstrip().startswith("<?xml")


@pytest.mark.slow
def test_gif_frames_decode_to_the_pictures_drawn(tmp_path):
    """Each frame stores only its changed pixels: decoding must still give every picture whole."""
    base = np.full((72, 128, 3), 255, np.uint8)
    frames = []
    for i in range(5):
        arr = base.copy()
        arr[10:30, 10 + 20 * i:30 + 20 * i] = (37, 99, 235)
        arr[50:60, :] = (249, 115, 22) if i % 2 else (82, 82, 91)
        frames.append(Image.fromarray(arr))
    path, _ = film.write_gif(frames, tmp_path / "d.gif")
    gif = Image.open(path)
    for i, want in enumerate(frames):
        gif.seek(i)
        assert np.array_equal(np.asarray(gif.convert("RGB")), np.asarray(want)), f"frame {i}"


def test_packed_pictures_come_back_whole():
    picture = (np.random.default_rng(2).random((58, 233)) * 255).astype(np.uint8)
    packed = film.pack_image(picture)
    assert np.array_equal(np.asarray(packed.image())[..., 0], picture) and packed.image().mode == "RGB"
