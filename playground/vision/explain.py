"""What the pretrained CNN already knows: top-5 ImageNet classes, feature maps, Grad-CAM.

Images come as a numpy array ((H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA; uint8 0-255 or float 0-1),
a PIL image or a file path. Sample photos ship offline in scikit-image and scikit-learn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from playground.vision.net import IMAGE_SIZE, MEAN, STAGE_END, STD, N_UNITS, imagenet_classes, load_pretrained

MAX_SIDE = 4096  # larger inputs are refused (a decoded 4096 x 4096 RGB image is 48 MB)
# name -> (module, loader): photos that ship inside packages, nothing downloads
SAMPLES = {
    "cat": ("skimage", "chelsea"), "coffee": ("skimage", "coffee"), "astronaut": ("skimage", "astronaut"),
    "rocket": ("skimage", "rocket"), "flower": ("sklearn", "flower.jpg"), "china": ("sklearn", "china.jpg"),
}
CAT_CLASSES = range(281, 286)  # tabby, tiger cat, Persian, Siamese, Egyptian cat


@functools.lru_cache(maxsize=None)
def sample_photo(name: str) -> np.ndarray:
    """A shipped photo as (H, W, 3) uint8 (cached; callers must not modify it)."""
    if name not in SAMPLES:
        raise ValueError(f"unknown sample photo {name!r}; choose one of {', '.join(SAMPLES)}")
    package, what = SAMPLES[name]
    if package == "skimage":
        import skimage.data

        img = getattr(skimage.data, what)()
    else:
        from sklearn.datasets import load_sample_image

        img = load_sample_image(what)
    img = np.ascontiguousarray(img)
    img.setflags(write=False)
    return img


def to_rgb(image) -> np.ndarray:
    """Any accepted image as (H, W, 3) float32 in [0, 1]."""
    if isinstance(image, (str, Path)):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(image) as im:
                image = np.asarray(im.convert("RGB"))
        except (OSError, UnidentifiedImageError) as e:
            raise ValueError(f"could not read an image from {str(image)[:200]!r}: {e}") from e
    elif hasattr(image, "convert") and hasattr(image, "size"):  # a PIL image
        image = np.asarray(image.convert("RGB"))
    a = np.asarray(image)
    if a.ndim == 2:
        a = a[..., None].repeat(3, axis=2)
    if a.ndim != 3 or a.shape[2] not in (3, 4) or min(a.shape[:2]) < 1:
        raise ValueError(f"an image must be (H, W), (H, W, 3) or (H, W, 4); got shape {a.shape}")
    if max(a.shape[:2]) > MAX_SIDE:
        raise ValueError(f"the image is {a.shape[1]}x{a.shape[0]} pixels; at most {MAX_SIDE} per side")
    if a.dtype == np.uint8:
        a = a.astype(np.float32) / 255.0
    else:
        a = a.astype(np.float32)
        if not np.isfinite(a).all():
            raise ValueError("the image holds NaN or infinite values")
        a = a / 255.0 if a.max() > 1.0 else a
    if a.shape[2] == 4:  # RGBA: composite over white, as a browser shows it
        rgb, alpha = a[..., :3], a[..., 3:]
        a = rgb * alpha + (1.0 - alpha)
    return np.clip(a, 0.0, 1.0)


def preprocess(image, size: int = IMAGE_SIZE) -> tuple[torch.Tensor, np.ndarray]:
    """(normalised input (1, 3, size, size), the RGB crop the network sees (size, size, 3) in [0, 1]).

    The ImageNet evaluation recipe: shorter side resized to ``size``, centre crop, channel normalisation."""
    x = torch.from_numpy(to_rgb(image)).permute(2, 0, 1)[None]  # (1, 3, H, W)
    h, w = x.shape[-2:]
    scale = size / min(h, w)
    nh, nw = max(size, round(h * scale)), max(size, round(w * scale))
    x = F.interpolate(x, size=(nh, nw), mode="bilinear", antialias=True, align_corners=False)
    top, left = (nh - size) // 2, (nw - size) // 2
    x = x[..., top:top + size, left:left + size].clamp(0, 1)  # (1, 3, size, size)
    shown = x[0].permute(1, 2, 0).numpy().copy()
    mean, std = torch.tensor(MEAN).view(1, 3, 1, 1), torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std, shown


@dataclass(frozen=True)
class Prediction:
    index: int
    name: str
    prob: float


def predict(image, k: int = 5) -> list[Prediction]:
    """The top-``k`` ImageNet classes with their names and softmax probabilities."""
    if not 1 <= k <= 1000:
        raise ValueError(f"k must be from 1 to 1000, got {k}")
    model = load_pretrained().model
    x, _ = preprocess(image)
    with torch.inference_mode():
        probs = model(x).softmax(-1)[0]  # (1000,)
    top = probs.topk(k)
    names = imagenet_classes()
    return [Prediction(int(i), names[int(i)], float(p)) for p, i in zip(top.values, top.indices)]


def _check_stage(stage: str) -> int:
    if stage not in STAGE_END:
        raise ValueError(f"unknown stage {stage!r}; choose one of {', '.join(STAGE_END)}")
    return STAGE_END[stage]


def feature_maps(image, stage: str = "stage3", n: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """(the ``n`` most active channels of a stage, (n, h, w) each scaled to [0, 1]; their channel indices).

    Early stages respond to edges and colours at high resolution; late ones to parts of objects, coarsely."""
    end = _check_stage(stage)
    if not 1 <= n <= 1280:
        raise ValueError(f"n must be from 1 to 1280, got {n}")
    model = load_pretrained().model
    x, _ = preprocess(image)
    with torch.inference_mode():
        a = model.forward_units(x, 0, end + 1)[0]  # (C, h, w)
    order = a.flatten(1).mean(1).argsort(descending=True)[:n]  # strongest mean activation first
    maps = a[order]
    lo = maps.flatten(1).min(1).values.view(-1, 1, 1)
    hi = maps.flatten(1).max(1).values.view(-1, 1, 1)
    return ((maps - lo) / (hi - lo).clamp_min(1e-8)).numpy(), order.numpy()


@dataclass(frozen=True)
class GradCam:
    heatmap: np.ndarray  # (size, size) in [0, 1], upsampled from the stage's grid
    grid: tuple[int, int]  # the stage's own (h, w): the heatmap's true resolution
    image: np.ndarray  # the crop the network saw (size, size, 3) in [0, 1]
    target: int
    name: str
    prob: float


def grad_cam(image, stage: str = "head", target: int | None = None) -> GradCam:
    """Grad-CAM (Selvaraju et al., 2017) for class ``target`` (default: the top class) at a stage.

    Weights alpha_c = mean over positions of d logit_target / d A_c; map = ReLU(sum_c alpha_c A_c).
    Only the activations need gradients, so the shared model's weights stay untouched (requires_grad False).
    At ``head`` (last conv, then global pooling and a linear layer) this equals CAM (Zhou et al., 2016)."""
    end = _check_stage(stage)
    if target is not None and not 0 <= target < 1000:
        raise ValueError(f"target must be an ImageNet class index from 0 to 999, got {target}")
    model = load_pretrained().model
    x, shown = preprocess(image)
    with torch.no_grad():
        a = model.forward_units(x, 0, end + 1)  # (1, C, h, w)
    a = a.detach().requires_grad_(True)
    with torch.enable_grad():
        logits = model.forward_units(a, end + 1, N_UNITS)[0]  # (1000,)
        target = int(logits.argmax()) if target is None else target
        (grad,) = torch.autograd.grad(logits[target], a)
    weights = grad.mean((2, 3), keepdim=True)  # (1, C, 1, 1)
    cam = F.relu((weights * a.detach()).sum(1, keepdim=True))  # (1, 1, h, w)
    h, w = cam.shape[-2:]
    cam = F.interpolate(cam, size=shown.shape[:2], mode="bilinear", align_corners=False)[0, 0]
    cam = cam / cam.max().clamp_min(1e-12)
    prob = float(logits.detach().softmax(-1)[target])
    return GradCam(cam.numpy(), (int(h), int(w)), shown, target, imagenet_classes()[target], prob)
