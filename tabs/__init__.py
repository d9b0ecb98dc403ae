"""The app's tabs: one module per tab, each with ``build(tr)`` called inside its ``gr.Tab``.

Tabs are thin wiring: read widgets, build a config, call ``playground``, draw figures.
"""
