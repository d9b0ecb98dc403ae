"""GAN Lab: a generator and a discriminator trained live (generative models).

- ``layout``: ``GanTab``, the tab built for one page (widgets, the live run, presets, downloads, film);
- ``session``: what a browser session owns, and its run (config, trainer, more steps, where it is);
- ``figures``: losses, D's outputs, the plane, the fixed-noise grid, the coverage;
- ``slides``: the film for slides; ``replay``: replays of the recordings; ``strings``: its texts.
"""

from tabs.gan.layout import GanTab
from tabs.gan.strings import STRINGS
from tabs.harness.registry import TabSpec, register

register(TabSpec(id="gan", title="tab.gan", order=30, build=GanTab, strings=STRINGS))
