"""Attention Explorer: every layer and head of a pretrained encoder or decoder (transformers).

- ``layout``: ``AttentionTab``, the tab built for one page (the sentence, the views, ablation, comparison, exports);
- ``session``: what a session keeps (its last run), the results cache shared by all sessions, the handlers;
- ``figures``: heatmaps, the token row, the side and ablation charts, the overview grid, the summary, PNG export;
- ``generate``: the panel that generates text step by step (SmolLM2); ``strings``: its texts.
"""

from tabs.attention.layout import AttentionTab
from tabs.attention.strings import STRINGS
from tabs.harness.registry import TabSpec, register

register(TabSpec(id="attention", title="tab.attention", order=10, build=AttentionTab, strings=STRINGS))
