"""Parameter initialisation drawn from a run's own ``torch.Generator``.

The app serves many sessions from threads of one process, so a run must not touch the global RNG.
``init_(module, g)`` re-draws every Linear / Conv / ConvTranspose layer the way PyTorch's own
``reset_parameters`` does (Kaiming-uniform weights with a = sqrt(5), biases uniform in +-1/sqrt(fan_in)),
but from ``g``: the same seed gives the same network, whatever other sessions do meanwhile.
"""

from __future__ import annotations

import math

import torch
from torch import nn

_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d)


@torch.no_grad()
def init_(module: nn.Module, generator: torch.Generator) -> nn.Module:
    """Initialise ``module``'s layers in place from ``generator``; returns the module.

    Normalisation layers keep their constant start (weight 1, bias 0); they draw nothing."""
    for layer in module.modules():
        if isinstance(layer, _LAYERS):
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
            if layer.bias is not None:
                fan_in, _ = nn.init._calculate_fan_in_and_fan_out(layer.weight)
                if isinstance(layer, nn.ConvTranspose2d):  # its weight is (in, out, k, k): fan_in is dim 1
                    fan_in = layer.weight.shape[1] * layer.weight[0, 0].numel()
                bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return module
