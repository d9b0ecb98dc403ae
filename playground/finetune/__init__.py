"""Fine-tuning strategies raced on one pretrained encoder, one data set and one seed (text).

The package, by job:

- ``config``: ``FinetuneConfig`` (every knob, limits declared once), ``Snapshot``, ``StrategyResult``;
- ``model``: the pretrained MiniLM classifier, loaded once (through the models' loading lock) and
  copied per run, dropout off (see its docstring); ``fresh_model(..., pretrained=False)`` for from_scratch;
- ``strategies``: the registry, one ``Strategy`` per name (learning rate, how it prepares the model,
  frozen layers, colour key...);
- ``data``: tokenized subsets on the device, epoch batches, length buckets;
- ``loop``: ``train_strategy`` (one strategy), ``race`` (several on the same batches), ``run``;
- ``fast``: the static-shape step (length buckets, CUDA graphs on a GPU);
- ``sweep``: accuracy against training-set size for a pair of strategies;
- ``cli``: ``python -m playground finetune``.

Generic training pieces (schedules, optimizers, counts, peak memory, the GPU lock) live in
``playground.training`` and are shared with the vision lab.

Strategies (what receives gradients): ``feature_extraction`` (only the head, on encoder features
computed once), ``freeze_bottom`` / ``freeze_top`` / ``freeze_interval`` (layer freezing), ``full``,
``bitfit`` (only biases + head), ``lora``, ``ia3``, ``prompt_tuning`` (peft), ``from_scratch`` (the same
architecture with random weights: what pretraining is worth).
"""

from playground.finetune.cli import add_arguments, config_from_args, report, run_cli
from playground.finetune.config import (CPU_DEFAULTS, GPU_DEFAULTS, LORA_TARGETS, STEP_MODES, THREADS, FinetuneConfig,
                                        Snapshot, StrategyResult)
from playground.finetune.data import (RaceData, bucket_for, epoch_batches, length_buckets, majority_baseline,
                                      prepare, test_labels)
from playground.finetune.loop import (accuracy_in_batches, evaluate, features_in_batches, pooled_features,
                                      probe_representations, race, run, train_strategy)
from playground.finetune.model import NO_DROPOUT, _template, fresh_model, tokenizer  # noqa: F401 - _template: tests
from playground.finetune.strategies import (DEFAULT_LR, DEFAULT_RACE, PEFT_STRATEGIES, REGISTRY, STRATEGIES,
                                            Strategy, apply_strategy, check_strategies, frozen_layers, get,
                                            register)
from playground.finetune.sweep import (MAX_REPEATS, SWEEP_PAIR, SWEEP_REPEATS, SWEEP_SIZES, SweepPoint, check_repeats,
                                       check_sizes, sweep)
from playground.kit.training import GPU_RACE, OPTIMIZERS, SCHEDULES, PeakMemory, count_params

from playground.kit import registry as _registry

# (``register`` here is the strategies' own registry, as before: the experiment registers through the module)
_registry.register(_registry.Experiment(
    "finetune", "race fine-tuning strategies (head only, freezing, full, LoRA, IA3) on MiniLM",
    cli="playground.finetune.cli", order=60, recorders={"ft": "playground.finetune.recorder:recorder",
                                                      "ft_sweep": "playground.finetune.recorder:sweep_recorder"}))

__all__ = [
    "add_arguments", "config_from_args", "report", "run_cli", "CPU_DEFAULTS", "GPU_DEFAULTS", "LORA_TARGETS",
    "STEP_MODES", "THREADS", "FinetuneConfig", "Snapshot", "StrategyResult", "RaceData", "bucket_for", "epoch_batches",
    "length_buckets", "majority_baseline", "prepare", "test_labels", "evaluate", "features_in_batches", "pooled_features",
    "probe_representations", "race", "run", "train_strategy", "accuracy_in_batches", "NO_DROPOUT", "fresh_model",
    "tokenizer",
    "DEFAULT_LR", "DEFAULT_RACE", "PEFT_STRATEGIES", "REGISTRY", "STRATEGIES", "Strategy", "apply_strategy",
    "check_strategies", "frozen_layers", "get", "register", "SWEEP_PAIR", "SWEEP_SIZES", "SweepPoint",
    "check_sizes", "SWEEP_REPEATS", "MAX_REPEATS", "check_repeats", "sweep", "GPU_RACE", "OPTIMIZERS", "SCHEDULES", "PeakMemory", "count_params",
]
