"""What every live run shares: how a run reports that it diverged."""

from __future__ import annotations


class Diverged(ValueError):
    """A loss became NaN or infinite: the run stops and the last finite figures stay on screen."""

    def __init__(self, step: int, what: str = "loss") -> None:
        self.step, self.what = step, what
        super().__init__(f"training diverged at step {step}: the {what} became NaN or infinite")


def seeded_init(module, generator) -> None:
    """Initialise every parameter of ``module`` from ``generator``, with PyTorch's own default schemes.

    Building a model draws its initial weights from the process-wide RNG, which other sessions' threads use
    too; re-initialising from the run's own generator makes the run reproducible whatever runs beside it.
    Modules are visited in registration order, which for these models is the order they were built in, so
    a generator seeded with s gives the same weights as ``torch.manual_seed(s)`` before building."""
    import math

    import torch.nn as nn

    with __import__("torch").no_grad():
        for m in module.modules():
            own = list(m.parameters(recurse=False))
            if not own:
                continue
            if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.ConvTranspose1d, nn.ConvTranspose2d)):
                nn.init.kaiming_uniform_(m.weight, a=math.sqrt(5), generator=generator)
                if m.bias is not None:
                    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
                    bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
                    nn.init.uniform_(m.bias, -bound, bound, generator=generator)
            elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)):
                if getattr(m, "weight", None) is not None:
                    nn.init.ones_(m.weight)
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, generator=generator)
            else:
                raise TypeError(f"seeded_init does not know how to initialise {type(m).__name__}")
