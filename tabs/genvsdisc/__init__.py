"""Generative vs Discriminative: Gaussian class models beside logistic regression and an MLP, the size sweep, and
synthetic digits as training data (generative models).

- ``layout``: ``GenVsDiscTab``, the tab built for one page (widgets, the three live runs, their frames);
- ``session``: what a browser session owns, and the three runs (config, run, where it is);
- ``figures``: the planes, the density, the curves, the sweep, the synthetic-data results, and their Markdown;
- ``replay``: replays of the comparison's recording; ``strings``: its texts.
"""

from tabs.genvsdisc.layout import GenVsDiscTab
from tabs.genvsdisc.strings import STRINGS
from tabs.harness.registry import TabSpec, register

register(TabSpec(id="genvsdisc", title="tab.genvsdisc", order=50, build=GenVsDiscTab, strings=STRINGS))
