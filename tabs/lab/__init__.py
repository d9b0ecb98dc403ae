"""Transformer Lab: small transformers trained live, four experiments (transformers).

- ``layout``: ``LabTab``, the tab built for one page (the four experiments' widgets, live runs and panels);
- ``session``: what a browser session owns, the four experiments' runs (config, lab, where it is), and the
  handlers beside them (ask, fill a blank, timing, downloads);
- ``figures``: curves, attention maps, masks, and the Markdown beside them;
- ``replay``: replays of the recordings; ``strings``: its texts.
"""

from tabs.harness.registry import TabSpec, register
from tabs.lab.layout import LabTab
from tabs.lab.strings import STRINGS

register(TabSpec(id="lab", title="tab.lab", order=20, build=LabTab, strings=STRINGS))
