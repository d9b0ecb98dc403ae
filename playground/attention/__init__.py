"""Attention Explorer's core: the attention of pretrained transformers, and text generation step by step.

- ``maps``: every layer's and head's attention of an encoder (MiniLM) or a decoder (SmolLM2), rollout, head
  ablation (``python -m playground attention``);
- ``generate``: one token at a time with temperature, top-k and top-p, each choice shown
  (``python -m playground generate``).
"""

from playground.kit.registry import Experiment, register

register(Experiment("attention", "attention maps of a pretrained encoder or decoder", cli="playground.attention.maps",
                    order=10))
register(Experiment("generate", "step-by-step text generation (temperature, top-k, top-p) with SmolLM2",
                    cli="playground.attention.generate", order=11))
