"""The app's tabs. Each tab is a package (``tabs/<tab>/``: ``__init__`` registers it, ``layout``, ``session``,
``figures``, ``slides``, ``replay``, ``strings``); the pieces every tab shares live in ``tabs/harness/`` and name
no tab. Tabs are thin wiring: read widgets, build a config, call ``playground``, draw the snapshots.
"""

from tabs.harness.registry import discover, tabs  # noqa: F401
