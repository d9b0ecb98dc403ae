"""Vision Transfer: what a pretrained CNN knows, and transfer learning on small image sets (transfer learning).

- ``layout``: ``VisionTab``, the tab built for one page (the image and its analysis, the race, the size sweep);
- ``session``: the analysis of an image, and what a browser session owns for the race and the sweep (their runs);
- ``figures``: top-5 bars, Grad-CAM overlay, feature-map mosaic, race curves, results table, the sweep's chart;
- ``strings``: its texts.
"""

from tabs.harness.registry import TabSpec, register
from tabs.vision.layout import VisionTab
from tabs.vision.strings import STRINGS

register(TabSpec(id="vision", title="tab.vision", order=70, build=VisionTab, strings=STRINGS))
