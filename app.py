"""Deep Learning Playground: assembles the registered tabs into one Gradio app.

Importing this module loads no model and touches no network; models load on first use. Each tab is a package
under ``tabs/`` that registers itself (``tabs.harness.registry``); ``build_demo()`` builds every one of them for a
new page, so two builds in one process are two independent apps. Run ``python app.py``
(``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT`` pick the address).
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Several sessions may run torch at once on few cores: idle OpenMP threads should sleep, not spin
# (spinning made a LoRA step ~10x slower on an oversubscribed 2-core machine). Must precede importing torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr  # noqa: E402

import tabs  # noqa: E402
from tabs.harness import pacing, patches  # noqa: E402
from tabs.harness.i18n import DEFAULT_LANG, LANGS, Translator  # noqa: E402
from tabs.harness.lecture import LectureBar  # noqa: E402
from tabs.harness.page import PRESENT_JS, SHOW_PAGE, Page, head  # noqa: E402

ASSETS = Path(__file__).parent / "assets"
LANGUAGES = [("English", "en"), ("Tiếng Việt", "vi")]
STATE_SESSIONS = 500  # browser and API sessions whose state the server keeps at most


def _lang_from(request: gr.Request | None) -> str:
    """``?lang=vi`` in the address opens the app in Vietnamese (handy for a lecture link)."""
    lang = (request.query_params.get("lang") if request else None) or DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def _restore(page: Page, tab_ids: set[str]):
    def from_address(request: gr.Request) -> list:
        """A link restores the language, the presenter mode, the open tab and every shared setting; a lecture's
        moment (``?lecture=default&moment=3``) is its link, with the lecture bar."""
        params, bar = page.lecture.from_address(request.query_params if request else {})
        tab = params.get("tab")
        selected = gr.Tabs(selected=tab) if tab in tab_ids else gr.skip()
        opened = tab if tab in tab_ids else gr.skip()  # the language switch relabels the open tab first
        present = params.get("present") in ("1", "true", "yes")
        drawn = page.open_values(tab if tab in tab_ids else None)  # that tab's openers draw the link's figure
        # the triggers last: their change events read the settings, which must be on the page by then
        return [_lang_from(request), present, selected, opened, *bar, *page.links.restore(params), *drawn]
    return from_address


def build_demo() -> gr.Blocks:
    patches.apply()
    tr = Translator()
    # exports and uploads that Gradio keeps in its cache are removed after an hour
    with gr.Blocks(title="Deep Learning Playground", delete_cache=(900, 3600)) as demo:
        with gr.Row(equal_height=True, elem_id="header"):
            tr(gr.Markdown, value="app.title", elem_id="app-title")
            present = tr(gr.Checkbox, label="app.present", info="app.present_info", value=False,
                         elem_id="present", scale=0, min_width=200)
            lang = tr(gr.Radio, choices=LANGUAGES, value=DEFAULT_LANG, label="app.language",
                      elem_id="lang", scale=0, min_width=220)
            page = Page(tr, lang)
        bar = LectureBar(page)  # shown while a lecture is open (?lecture=)
        with gr.Tabs(elem_id="tabs") as tab_set:
            for spec in tabs.tabs():
                with tr(gr.Tab, label=spec.title, id=spec.id, elem_id=f"tab-{spec.id}") as block:
                    page.build(spec, block)
        # one event relabels every widget and redraws every tab's figures in the new language
        page.wire(shown_js=SHOW_PAGE)  # the page shows once the open tab speaks the address's language
        present.change(None, present, present, js=PRESENT_JS, api_name=False, queue=False)
        shared = [w for _, w in page.links.widgets()]
        page.wire_openers()
        bar.wire(tab_set)
        loaded = demo.load(_restore(page, set(page.tabs)), None,
                           [lang, present, tab_set, page.language.open, *bar.outputs_load, *shared,
                            *page.open_triggers.values()],
                           api_visibility="private", queue=False)
        loaded.then(None, js=SHOW_PAGE, api_name=False, queue=False)
        # a link draws its figure: the recording of its settings, or the tab's instant view
        bar.landed(loaded)
        demo.unload(page.sessions.release)  # a closed tab stops its runs and frees their models and its state
        page.sessions.states = lambda: getattr(demo, "state_holder", None)  # Gradio's, set at launch
    demo.page = page  # the build's page: its tabs, links and sessions (tests and the load test read them)
    return demo


def launch_kwargs() -> dict:
    # uploads (the vision tab's images) are refused beyond a small size
    return dict(theme=gr.themes.Soft(), css=(ASSETS / "style.css").read_text(), max_file_size="10mb", head=head(),
                app_kwargs={"routes": list(pacing.ROUTES)},  # where the page acknowledges frames
                # streaming handlers wait for frames on worker threads: room for a class of sessions at once
                max_threads=128,
                # sessions whose state Gradio keeps (least recently used first out): an empty one is 1.4 MB here,
                # and Gradio's 10,000 would let API calls, each with a new session hash, fill 14 GB
                state_session_capacity=STATE_SESSIONS)


if __name__ == "__main__":
    import logging

    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("playground").setLevel(logging.INFO)  # one line per user error, tracebacks for bugs
    from playground.kit.runtime import keep_freed_memory

    keep_freed_memory()  # training steps reuse freed memory instead of asking the kernel for it every step
    build_demo().queue(default_concurrency_limit=2).launch(**launch_kwargs())
