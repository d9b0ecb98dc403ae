"""VAE Explorer: train a VAE (or start from the shipped one), walk its latent space, detect anomalies (generative
models).

- ``layout``: ``VaeTab``, the tab built for one page (widgets, the three live runs, reset, the film, language);
- ``tools``: the latent tools' handlers (the map, a cell, z = μ + σ·ε, interpolation, the threshold, ``refresh``);
- ``session``: what a browser session owns (the shipped model first), and its runs (training, the autoencoder,
  anomaly detection: config, run, frames, where it is);
- ``figures``: latent grids, curves, scatter, q(z|x), histogram and ROC;
- ``slides``: the film of the grid for slides; ``strings``: its texts.
"""

from tabs.harness.registry import TabSpec, register
from tabs.vae.layout import VaeTab
from tabs.vae.strings import STRINGS

register(TabSpec(id="vae", title="tab.vae", order=40, build=VaeTab, strings=STRINGS))
