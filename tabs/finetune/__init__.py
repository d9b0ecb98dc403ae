"""Fine-tuning Lab: strategies for fine-tuning a pretrained encoder raced side by side, and a training-set-size
sweep for a pair of them (transfer learning).

- ``layout``: ``FinetuneTab``, the tab built for one page (widgets, the race and the sweep, the film, the redraw);
- ``session``: what a browser session owns (the records of its race and its sweep) and the runs (config, run,
  where it is; ZeroGPU calls);
- ``figures``: curves, the parameters chart, the sweep, the results table;
- ``slides``: the film of the curves for slides; ``replay``: replays of the recording; ``strings``: its texts.
"""

from tabs.finetune.layout import FinetuneTab
from tabs.finetune.strings import STRINGS
from tabs.harness.registry import TabSpec, register

register(TabSpec(id="finetune", title="tab.finetune", order=60, build=FinetuneTab, strings=STRINGS))
