"""What every tab uses and no tab owns (it names no tab).

- ``registry``: ``TabSpec`` and ``register`` (each tab package registers itself); ``page``: ``Page``, what one
  build of the app shares between its tabs (translator, language, page clock, links, language switch, sessions);
- ``live`` (+ ``runner``, ``pacing``, ``sessions``, ``replay``): the live-run harness: ``Live``, ``LiveSession``,
  ``ControlSet`` (Start / Pause / Step / Stop / Replay), the run thread, frames at the page's pace, replays;
- ``widgets``: widgets and checks from a config's declared limits, named inputs; ``patches``: the app's only
  process-wide changes to Gradio (hardened inputs, slide-ready plot toolbars);
- ``i18n`` (+ ``strings``): texts in English and Vietnamese; ``links``: settings in the address; ``language``:
  the one-event language switch;
- ``plots``, ``film``, ``slides``: figure helpers, films for slides; ``common``: lessons, downloads, device;
- ``scripts`` (+ ``js/``): the page's JavaScript, in ``.js`` files.
"""
