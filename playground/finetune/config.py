"""The knobs of a fine-tuning race (limits declared once) and the records it yields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import torch
from torch import nn

from playground.kit import knobs
from playground.data import text as textdata
from playground.kit.knobs import knob
from playground.kit.runtime import pick_device
from playground.kit.training import OPTIMIZERS, SCHEDULES

LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")
STEP_MODES = ("auto", "eager", "static")
DEVICES = ("auto", "cpu", "cuda")

# Defaults that depend on the device: the CPU race must finish in about a minute on 2 cores,
# a GPU trains on the whole training set.
THREADS = 2  # intra-op threads of a race, fixed whatever the machine: a seed gives the same figures anywhere
CPU_DEFAULTS = dict(limit=800, test_limit=250, max_length=32, batch_size=16, evals=3)
GPU_DEFAULTS = dict(limit=None, test_limit=None, max_length=64, batch_size=64, evals=10)


@dataclass
class FinetuneConfig:
    """Every knob of a race. ``None`` (or 0 where the help says so) means "the default for the device"
    (see ``resolved``)."""

    data: str = knob("tweets", choices=textdata.TEXT_SETS, help="labelled text set")
    limit: int | None = knob(None, 8, 10_000_000, integer=True, optional=True, zero_auto=True,
                             help="training texts, a seeded stratified subset (default: all on a GPU, "
                                  f"{CPU_DEFAULTS['limit']} on the CPU)")
    test_limit: int | None = knob(None, 8, 10_000_000, integer=True, optional=True, zero_auto=True,
                                  help="test texts scored (default: all on a GPU, "
                                       f"{CPU_DEFAULTS['test_limit']} on the CPU)")
    max_length: int | None = knob(None, 8, 512, integer=True, optional=True, zero_auto=True,
                                  help="tokens per text, longer texts are cut (default: 64 GPU, 32 CPU)")
    batch_size: int | None = knob(None, 1, 4096, integer=True, optional=True, zero_auto=True,
                                  help="texts per step (default: 64 GPU, 16 CPU)")
    epochs: int = knob(1, 1, 100, integer=True, help="passes over the training texts")
    lr: float | None = knob(None, 0.0, 1.0, open_low=True, optional=True,
                            help="one peak learning rate for every strategy (default: each strategy's own)")
    optimizer: str = knob("adamw", choices=OPTIMIZERS, help="adamw (decoupled decay) or adam (L2)")
    weight_decay: float = knob(0.01, 0.0, 1.0, help="weight decay of the matrices")
    schedule: str = knob("linear", choices=SCHEDULES, help="learning-rate decay after the warmup")
    warmup: float = knob(0.1, 0.0, 0.9, help="share of the steps spent ramping the learning rate up from 0")
    step_every: float = knob(0.33, 0.0, 1.0, open_low=True,
                             help="--schedule step: decay after each such share of the steps")
    step_gamma: float = knob(0.5, 0.0, 1.0, open_low=True, help="--schedule step: the decay factor")
    max_grad_norm: float = knob(1.0, 0.0, 1000.0, help="gradient clipping by global norm (0: off)")
    group_by_length: bool = knob(False, choices=(False, True), help="batch texts of similar length: less padding, but skewed batches")
    freeze_k: int | None = knob(None, 0, 64, integer=True, optional=True,
                                help="layers frozen by freeze_bottom / freeze_top (default: half)")
    freeze_every: int = knob(2, 1, 64, integer=True, help="freeze_interval: freeze layers 0, n, 2n, ...")
    lora_r: int = knob(8, 1, 256, integer=True, help="LoRA rank")
    lora_alpha: int = knob(16, 1, 1024, integer=True, help="LoRA scale numerator (update x alpha / r)")
    lora_dropout: float = knob(0.0, 0.0, 0.9, help="dropout on the LoRA input, drawn from the run's generator")
    lora_targets: tuple[str, ...] = knob(("query", "value"), choices=LORA_TARGETS,
                                         help="projections LoRA adapts (comma-separated or several values)")
    prompt_tokens: int = knob(8, 1, 128, integer=True, help="prompt_tuning: virtual tokens")
    evals: int | None = knob(None, 1, 100, integer=True, optional=True,
                             help="test evaluations per strategy (default: 3 on the CPU, 10 on a GPU)")
    probe_size: int = knob(64, 0, 1024, integer=True, help="test texts of the forgetting probe (0: off)")
    step_mode: str = knob("auto", choices=STEP_MODES,
                          help="auto: CUDA graphs over length buckets on a GPU, the eager loop on the CPU; "
                               "eager: batches trimmed to their longest text; static: length buckets "
                               "(CUDA graphs on a GPU)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the run (head, adapters, batches, dropout)")
    device: str = knob("auto", choices=DEVICES, help="auto: cuda when there is a GPU, else cpu")

    def __post_init__(self) -> None:
        if isinstance(self.lora_targets, str):
            self.lora_targets = (self.lora_targets,)
        # "query,value" from a flag or a text box: one comma-separated string per value
        self.lora_targets = tuple(t.strip() for v in self.lora_targets for t in str(v).split(",") if t.strip())
        knobs.check(self)
        for name in ("limit", "test_limit", "max_length", "batch_size"):
            if getattr(self, name) == 0:  # 0 = "the device default", like None
                setattr(self, name, None)
        if not self.lora_targets:
            raise ValueError(f"lora_targets must be a non-empty choice of {', '.join(LORA_TARGETS)}; got none")
        if not isinstance(self.group_by_length, bool):
            raise ValueError(f"group_by_length must be True or False, got {self.group_by_length!r}")
        pick_device(self.device)  # raises ValueError for an unknown or missing device

    def resolved(self, device: torch.device | None = None) -> "FinetuneConfig":
        """A copy with every ``None`` replaced by the default of the device that will run it."""
        device = device or pick_device(self.device)
        defaults = GPU_DEFAULTS if device.type == "cuda" else CPU_DEFAULTS
        filled = {k: v for k, v in defaults.items() if getattr(self, k) is None}
        return replace(self, device=str(device), **filled)

    def lr_for(self, strategy: str) -> float:
        from playground.finetune.strategies import get

        return self.lr if self.lr is not None else get(strategy).lr

    def static_shapes(self) -> bool:
        """Whether the loop pads to length buckets and a fixed batch (and, on CUDA, replays CUDA graphs)."""
        if self.step_mode == "auto":
            return pick_device(self.device).type == "cuda"
        return self.step_mode == "static"


@dataclass(frozen=True)
class StrategyResult:
    """What one strategy cost and achieved, all measured during the run."""

    strategy: str
    trainable: int
    total: int
    pct: float  # trainable / total * 100
    train_s: float  # time in training steps (feature extraction: + computing the features); no evaluation
    wall_s: float  # everything: copying the model, training, evaluating
    samples_per_s: float  # training examples processed per second of train_s (epochs x examples)
    peak_mem_mb: float
    mem_kind: str  # how peak_mem_mb was measured (see training.PeakMemory)
    state_mem_mb: float  # weights + gradients + optimizer moments, computed from the parameter counts
    test_acc: float
    device: str
    lr: float
    steps: int
    epochs: int
    n_train: int
    n_test: int
    feature_s: float | None  # cached-feature strategies: seconds to compute the features
    drift: float | None  # 1 - mean cosine(before, after) of mean-pooled encoder outputs on the probe texts
    frozen_layers: tuple[int, ...]
    seed: int
    data: str
    max_length: int
    batch_size: int
    step_mode: str = "eager"  # how the steps ran: eager, static (buckets) or cuda_graphs
    setup_s: float = 0.0  # static path: bucket warm-up and graph capture, outside train_s
    gpu_wait_s: float = 0.0  # time spent waiting for another GPU race to finish

    def as_dict(self) -> dict:
        d = asdict(self)
        d["frozen_layers"] = list(self.frozen_layers)
        return d


@dataclass(frozen=True)
class Snapshot:
    """One report from a running race. ``result`` is set on the last snapshot of a strategy.

    ``phase``: "wait" (another GPU race runs; ``elapsed`` = seconds waited), "setup", "features",
    "train" or "done"."""

    strategy: str
    index: int  # position of the strategy in the race
    phase: str
    step: int
    total_steps: int
    epoch: float
    loss: float | None  # mean training loss since the previous snapshot
    test_acc: float | None  # set on evaluation steps
    elapsed: float  # seconds since the strategy started
    result: StrategyResult | None = None
    model: nn.Module | None = None  # the trained model, on the last snapshot when asked for (tests)
    checkpoint: "Checkpoint | None" = None  # phase "chunk": where the next call goes on from


@dataclass(frozen=True)
class Checkpoint:
    """A strategy stopped at an epoch boundary so that another call (another ZeroGPU allocation, another
    process) can go on from exactly there: everything is on the CPU. The frozen weights are not kept: the
    next call rebuilds them from the pretrained model, which is deterministic."""

    strategy: str
    epoch: int  # epochs done
    step: int
    elapsed: float  # seconds since the strategy started, over all calls so far
    train_s: float
    test_acc: float
    running: torch.Tensor  # the loss sum since the last report, and how many steps it holds
    n_running: int
    params: dict  # name -> trainable parameter
    optimizer: dict  # optimizer.state_dict(), tensors on the CPU
    batch_rng: torch.Tensor  # the batch-order generator's state
    dropout_rngs: tuple  # each seeded dropout generator's state, in module order
    peak_mem_mb: float
    setup_s: float
