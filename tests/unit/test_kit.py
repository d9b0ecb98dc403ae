"""The one training kit (``playground.kit.training``): the schedules every experiment uses, and its batches."""

from __future__ import annotations

import math

import pytest
import torch

from playground.kit import training


def test_schedules_warm_up_then_decay():
    n = 100
    lin = training.lr_schedule("linear", n, training.warmup_steps(0.1, n))
    assert lin(0) < lin(5) < lin(9) <= 1.0 and lin(10) == 1.0 and lin(99) < 0.02
    cos = training.lr_schedule("cosine", n)
    assert cos(0) == 1.0 and math.isclose(cos(50), 0.5) and cos(99) < 0.001
    step = training.lr_schedule("step", n, step_every=0.25, step_gamma=0.5)
    assert [step(s) for s in (0, 24, 25, 50, 99)] == [1.0, 1.0, 0.5, 0.25, 0.125]
    assert training.lr_schedule("constant", n)(77) == 1.0
    warm = training.lr_schedule("cosine", 100, 10)  # the vision race's warm-up (10% of the steps)
    assert warm(0) < warm(5) < warm(10) == pytest.approx(1.0) and warm(99) < 0.01
    with pytest.raises(ValueError, match="schedule"):
        training.lr_schedule("exp", n)
    with pytest.raises(ValueError, match="warmup must be a fraction"):
        training.warmup_steps(1.0, n)


def test_the_labs_cosine_ends_at_a_tenth_of_the_peak():
    lab = training.lr_schedule("cosine", 1000, 100, floor=0.1)
    assert lab(0) == pytest.approx(1 / 101) and lab(99) == pytest.approx(100 / 101) and lab(100) == 1.0
    assert lab(999) == pytest.approx(0.1, abs=1e-4) and lab(550) == pytest.approx(0.55)
    assert training.lr_schedule("constant", 200, 50)(60) == 1.0  # pre/post-LN: warm-up, then constant


@pytest.mark.parametrize("n, batch, drop, expected", [(65, 16, False, 5), (65, 16, True, 4), (1, 16, True, 1),
                                                      (64, 16, True, 4), (66, 16, True, 5)])
def test_batches_cover_the_set_and_a_last_batch_of_one_is_dropped_for_batchnorm(n, batch, drop, expected):
    batches = training.shuffled_batches(n, batch, torch.Generator().manual_seed(0), drop_single=drop)
    assert len(batches) == training.n_batches(n, batch, drop) == expected
    seen = torch.cat(batches)
    assert len(set(seen.tolist())) == len(seen) and (len(seen) == n or (drop and len(seen) == n - 1))


def test_a_cache_entry_appears_whole_or_not_at_all(tmp_path):
    from playground.kit.runtime import written_whole

    target = tmp_path / "sub" / "weights.bin"
    with pytest.raises(RuntimeError):
        with written_whole(target) as tmp:
            tmp.write_bytes(b"half")
            assert not target.exists()  # a reader sees nothing until the block ends
            raise RuntimeError("the writer died")
    assert not target.exists() and list(target.parent.iterdir()) == []  # and no temporary file is left
    with written_whole(target) as tmp:
        tmp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and len(list(target.parent.iterdir())) == 1


def test_a_cache_folder_built_twice_keeps_the_first_copy(tmp_path):
    from playground.kit.runtime import written_whole

    target = tmp_path / "model"
    with written_whole(target, folder=True) as first:
        (first / "config.json").write_text("first")
        with written_whole(target, folder=True) as second:  # another worker builds it at the same time
            (second / "config.json").write_text("second")
    # the second renamed into place first; the first writer's copy is dropped, not an error, and nothing leaks
    assert (target / "config.json").read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_the_allocator_keeps_freed_memory_for_the_next_step():
    """``keep_freed_memory`` sets glibc's mmap and trim thresholds (the app, the CLI and these tests call it): a
    step's freed activations are then reused, not returned to the kernel and faulted in again."""
    import ctypes

    from playground.kit import runtime

    try:
        ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        pytest.skip("no glibc")
    assert runtime.keep_freed_memory() is True
    assert runtime.return_free_memory() in (True, False)  # trimming after a run still works


# ---------------------------------------------------------------- shared loaders
def test_a_shared_loader_computes_once_while_many_ask_and_keeps_no_failure():
    """Five sessions that ask for the same data at once get one load between them (``lru_cache`` computed it once
    per caller that came before the first result); a failed load is not kept; the bound evicts the oldest."""
    import threading

    from playground.kit.pretrained import loaded_once

    calls, gate = [], threading.Event()

    @loaded_once(maxsize=2)
    def load(name: str, fail: bool = False):
        calls.append(name)
        gate.wait(10)
        if fail:
            raise OSError("the file is missing")
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(load("mnist"))) for _ in range(5)]
    for th in threads:
        th.start()
    gate.set()
    for th in threads:
        th.join(10)
    assert calls == ["mnist"] and len(got) == 5 and all(g is got[0] for g in got)
    with pytest.raises(OSError):
        load("fashion", fail=True)
    with pytest.raises(OSError):
        load("fashion", fail=True)  # tried again: nothing was kept
    assert calls == ["mnist", "fashion", "fashion"] and load.cache_len() == 1
    load("digits"), load("text")  # the bound: mnist, the least recently used, goes
    assert load.cache_len() == 2 and load("mnist") is not got[0]


def test_a_kept_result_never_waits_behind_another_load():
    """A loaded data set is returned at once while its loader loads another one, and a data load waits neither for
    another loader nor for a model load (a student's VAE grid while SmolLM2 loads for someone else)."""
    import threading

    from playground.kit.pretrained import load_lock, loaded_once

    inside, release = threading.Event(), threading.Event()

    @loaded_once()
    def load(name: str):
        if name == "slow":
            inside.set()
            release.wait(10)
        return name.upper()

    @loaded_once()
    def other(name: str):
        return name.upper()

    assert load("mnist") == "MNIST"
    answers = []
    slow = threading.Thread(target=lambda: answers.append(load("slow")))
    slow.start()
    assert inside.wait(10)

    def model_load():
        with load_lock:
            release.wait(10)

    model = threading.Thread(target=model_load)
    model.start()
    readers = [threading.Thread(target=lambda: answers.append(load("mnist"))),  # kept
               threading.Thread(target=lambda: answers.append(other("digits")))]  # another loader's first load
    for r in readers:
        r.start()
        r.join(5)  # a canary: each would wait until ``release``
    before_release = sorted(answers)
    release.set()
    slow.join(10), model.join(10)
    assert before_release == ["DIGITS", "MNIST"] and sorted(answers) == ["DIGITS", "MNIST", "SLOW"]
