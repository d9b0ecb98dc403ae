"""Deep Learning Playground: assembles the tabs into one Gradio app.

Importing this module loads no model and touches no network; models load on first use.
Run ``python app.py`` (``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT`` pick the address).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Several sessions may run torch at once on few cores: idle OpenMP threads should sleep, not spin
# (spinning made a LoRA step ~10x slower on an oversubscribed 2-core machine). Must precede importing torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import gradio as gr  # noqa: E402

from tabs.i18n import DEFAULT_LANG, Translator  # noqa: E402

ASSETS = Path(__file__).parent / "assets"

# (string key of the tab's title, module with build(tr, lang), element id)
TABS = [
    ("tab.attention", "tabs.attention", "attention"),
    ("tab.gan", "tabs.gan", "gan"),
    ("tab.vae", "tabs.vae", "vae"),
    ("tab.genvsdisc", "tabs.genvsdisc", "genvsdisc"),
    ("tab.finetune", "tabs.finetune", "finetune"),
]

LANGUAGES = [("English", "en"), ("Tiếng Việt", "vi")]


def _lang_from_request(request: gr.Request) -> str:
    """``?lang=vi`` in the address opens the app in Vietnamese (handy for a lecture link)."""
    lang = (request.query_params.get("lang") if request else None) or DEFAULT_LANG
    return lang if lang in dict((v, k) for k, v in LANGUAGES) else DEFAULT_LANG


def build_demo() -> gr.Blocks:
    tr = Translator()
    with gr.Blocks(title="Deep Learning Playground") as demo:
        with gr.Row(equal_height=True, elem_id="header"):
            tr(gr.Markdown, value="app.title", elem_id="app-title")
            lang = tr(gr.Radio, choices=LANGUAGES, value=DEFAULT_LANG, label="app.language",
                      elem_id="lang", scale=0, min_width=220)
        with gr.Tabs(elem_id="tabs"):
            for key, module, elem_id in TABS:
                with tr(gr.Tab, label=key, id=elem_id, elem_id=f"tab-{elem_id}"):
                    importlib.import_module(module).build(tr, lang)
        lang.change(tr.updates, lang, tr.components, api_name="set_language", queue=False)
        demo.load(_lang_from_request, None, lang, api_visibility="private", queue=False)
    return demo


def launch_kwargs() -> dict:
    return dict(theme=gr.themes.Soft(), css=(ASSETS / "style.css").read_text())


if __name__ == "__main__":
    build_demo().queue(default_concurrency_limit=2).launch(**launch_kwargs())
