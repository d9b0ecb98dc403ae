"""Small shared helpers: device choice, cache folder, memory, threads, clocks (``BusyClock``: a generator's
work without its suspended time; ``Stopwatch``)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import inspect
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import torch


def pick_device(name: str = "auto") -> torch.device:
    """'auto' -> cuda when available, else cpu. Asking for cuda without one is an error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("CUDA was requested but no GPU is available; use device='cpu' or 'auto'")
    if name not in ("cpu",) and not name.startswith("cuda"):
        raise ValueError(f"unknown device {name!r}; use 'auto', 'cpu' or 'cuda'")
    return torch.device(name)


def cache_dir() -> Path:
    """A per-user folder for converted weights and other derived files.

    ``DL_PLAYGROUND_CACHE`` overrides it; otherwise ``$XDG_CACHE_HOME`` or ``~/.cache``.
    """
    root = os.environ.get("DL_PLAYGROUND_CACHE")
    if root:
        path = Path(root)
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dl-playground"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def written_whole(target: Path, folder: bool = False) -> Iterator[Path]:
    """A temporary path beside ``target`` (a file, or a folder with ``folder=True``) that becomes ``target`` when
    the block ends without an error, so no reader, in this process or another (two test workers, two app
    processes), ever sees a half-written cache entry. A folder that another writer renamed into place first is
    kept, and this copy dropped; a file is replaced (both writers wrote the same thing)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if folder:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError:
            if not (folder and target.is_dir()):
                raise
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp.exists():
            tmp.unlink()


def built_apart(fn):
    """For a function that builds something shared and cached (a trained classifier, converted weights): it
    runs with gradients on and outside inference mode whatever its caller does, so the cached result is the
    same whichever code path asks first (a caller inside ``torch.no_grad()`` made the first training fail with
    "element 0 of tensors does not require grad")."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with torch.inference_mode(False), torch.enable_grad():
            return fn(*args, **kwargs)

    return wrapper


def rss_bytes(pid: int | str = "self") -> int:
    """Resident memory of a process right now, read from /proc (Linux), in bytes."""
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def rss_mb(pid: int | str = "self") -> float:
    return rss_bytes(pid) / 2**20


# glibc's malloc hands a block above its mmap threshold (128 KiB at first, raised as blocks are freed) to the
# kernel, and gives the heap's free top back above its trim threshold: a training step's activations and
# gradients, allocated and freed every step, were then zeroed page by page by the kernel on every step. A
# vision step spent 46 of its 241 ms in the kernel (1 thread, EfficientNet-Lite0 at 48 px, batch 32); with the
# thresholds below, 0 of 174 ms. Blocks of up to 32 MiB come from the heap, and up to 256 MiB of freed heap is
# kept for the next step; a finished run gives it back (``return_free_memory``).
MMAP_THRESHOLD = 32 * 2**20  # glibc's largest (HEAP_MAX_SIZE / 2 on 64 bits)
TRIM_THRESHOLD = 256 * 2**20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)


@functools.lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Let glibc's malloc reuse freed memory for the next training step instead of returning it to the kernel
    (see above). A process-wide allocator policy, set once when the app or the CLI starts: it changes no
    result, only how often the kernel is asked for pages. False where there is no glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
            libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False


def return_free_memory() -> bool:
    """Give the memory a finished run freed back to the system (glibc keeps freed blocks in its arenas, so a
    server's resident size would stay at its peak). Changes no setting; False where there is no glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def held_bytes(obj, depth: int = 6) -> int:
    """Bytes of the tensors and arrays reachable from ``obj``, each storage counted once: a module's parameters,
    buffers and gradients, an optimizer's state, tensors and numpy arrays inside containers, dataclasses and plain
    objects (``depth`` levels down). What a kept run (its session of models, histories and film) holds; locks,
    threads, functions and classes are not followed."""
    import numpy as np

    seen: set[int] = set()
    storages: dict[tuple, int] = {}

    def tensor(x: torch.Tensor) -> None:
        store = x.untyped_storage()
        storages[(str(x.device), store.data_ptr())] = store.nbytes()
        if x.grad is not None:
            tensor(x.grad)

    def walk(x, d: int) -> None:
        if x is None or isinstance(x, (str, bytes, int, float, bool, complex, type)) or callable(x) and not \
                isinstance(x, torch.nn.Module) or id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, torch.Tensor):
            tensor(x)
        elif isinstance(x, np.ndarray):
            base = x
            while isinstance(base.base, np.ndarray):
                base = base.base
            storages[("numpy", id(base))] = base.nbytes
        elif isinstance(x, torch.nn.Module):
            for t in [*x.parameters(), *x.buffers()]:
                tensor(t)
        elif isinstance(x, torch.optim.Optimizer):
            walk(x.state, 3)
        elif d <= 0 or type(x).__module__.startswith(("threading", "_thread", "gradio", "logging")):
            return
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k, d - 1)
                walk(v, d - 1)
        elif isinstance(x, (list, tuple, set, frozenset)) or type(x).__name__ == "deque":
            for v in x:
                walk(v, d - 1)
        elif hasattr(x, "__dict__"):
            for v in vars(x).values():
                walk(v, d - 1)
        elif hasattr(x, "__slots__"):
            for name in x.__slots__:
                walk(getattr(x, name, None), d - 1)

    walk(obj, depth)
    return sum(storages.values())


class BusyClock:
    """Seconds of work of a generator: ``stop()`` before each ``yield``, ``start()`` after it, so time the
    consumer spends (drawing, pausing) is not counted. On a GPU ``stop`` waits for queued work first."""

    def __init__(self, device: torch.device | None = None) -> None:
        self.device = device
        self.seconds = 0.0
        self._t0: float | None = None

    def start(self) -> None:
        self._t0 = time.perf_counter()

    def stop(self) -> float:
        if self._t0 is not None:
            if self.device is not None and self.device.type == "cuda":
                torch.cuda.synchronize(self.device)
            self.seconds += time.perf_counter() - self._t0
            self._t0 = None
        return self.seconds


class Stopwatch:
    """Wall-clock timer: ``with Stopwatch() as sw: ...; sw.ms``."""

    def __enter__(self) -> "Stopwatch":
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start

    @property
    def ms(self) -> float:
        return self.seconds * 1000.0


@functools.lru_cache(maxsize=1)
def _openmp():
    """torch's own OpenMP runtime (libgomp), or None where torch was built without it."""

    path = Path(torch.__file__).parent / "lib" / "libgomp.so.1"
    try:
        return ctypes.CDLL(str(path)) if path.exists() else None
    except OSError:
        return None


def limit_this_thread(n: int) -> bool:
    """Use at most ``n`` CPU threads for torch's work in the calling thread only.

    ``torch.set_num_threads`` also changes the default of every thread started later in the process (so one
    session's setting leaked into another's); OpenMP's own ``omp_set_num_threads`` is per thread. Small nets
    train faster on one thread than on two that wait for each other. Returns False where not supported."""
    omp = _openmp()
    if omp is None:
        return False
    torch.zeros(1).add_(1)  # torch sets up this thread's pool on first use: do that first, then override it
    omp.omp_set_num_threads(int(n))
    return True


def lower_this_thread(nice: int) -> bool:
    """Lower the CPU priority of the calling thread alone (Linux: a thread's nice value is its own, and threads it
    starts later inherit it); other threads keep theirs. False where the system does not allow it."""
    try:
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), max(current, int(nice)))
        return True
    except (AttributeError, OSError):
        return False


def this_thread_count() -> int:
    """The intra-op threads torch's work in the calling thread uses now."""
    omp = _openmp()
    return int(omp.omp_get_max_threads()) if omp is not None else torch.get_num_threads()


def fixed_threads(n: int):
    """Decorator: the function (or each step of the generator) it wraps computes with exactly ``n`` intra-op threads
    in the calling thread, whatever the machine's core count or the caller's own setting, which is restored after.

    A float reduction split over 2 threads adds in another order than over 1: the same seed gave other figures on
    another machine (pre-LN's loss 2.7749 with 1 thread, 2.7784 with 2). Fixing the count makes a seed reproduce
    a run bit for bit wherever it runs on the same kind of CPU (another instruction set, e.g. AVX-512 against
    AVX2, may still round differently). Per thread: other sessions keep theirs."""
    def decorate(fn):
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def generator(*args, **kwargs):
                return _stepped(fn(*args, **kwargs), n)
            return generator

        @functools.wraps(fn)
        def plain(*args, **kwargs):
            before = _set_threads(n)
            try:
                return fn(*args, **kwargs)
            finally:
                _set_threads(before)
        return plain
    return decorate


def _set_threads(n: int) -> int:
    before = this_thread_count()
    if before != n:
        limit_this_thread(n)
    return before


def _stepped(gen, n: int):
    """``gen``'s items, each computed with ``n`` threads (``yield from`` semantics for the return value)."""
    try:
        while True:
            before = _set_threads(n)
            try:
                item = next(gen)
            except StopIteration as stop:
                return stop.value
            finally:
                _set_threads(before)
            yield item
    finally:
        before = _set_threads(n)
        try:
            gen.close()
        finally:
            _set_threads(before)


def best_ms(fn, repeats: int = 3) -> float:
    """The fastest of ``repeats`` calls of ``fn`` in milliseconds, after one warm-up call (allocations, kernel
    choice): the least disturbed measurement on a machine that other work shares."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best
