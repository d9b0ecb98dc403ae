"""Diffusion Lab: the third family of generative models, trained live and measured beside the GAN and the VAE.

- ``layout``: ``DiffusionTab``, the tab built for one page (the 2-D run, the time slider, quality against steps,
  downloads, the reverse process for slides);
- ``session``: what a browser session owns, and its run; ``figures``: the planes, curves and digit grids;
- ``digits``: the class-conditional digit model with classifier-free guidance (shipped, or trained here);
- ``families``: GAN, VAE and diffusion on one measured table; ``slides``: GIF + PNG of the reverse process;
- ``replay``: replays of the recordings; ``strings``: its texts.
"""

from tabs.diffusion.families import strings as family_strings
from tabs.diffusion.layout import DiffusionTab
from tabs.diffusion.strings import STRINGS
from tabs.harness.registry import TabSpec, register

register(TabSpec(id="diffusion", title="tab.diffusion", order=45, build=DiffusionTab,
                 strings={**STRINGS, **family_strings()}))
