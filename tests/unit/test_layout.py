"""Project rules that keep the code base honest: a UI-free core, complete translations, a lazy app."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_no_ui_or_plotting_library():
    offenders = []
    for path in (ROOT / "playground").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("gradio", "plotly")]
    assert offenders == []


def _strings() -> dict:
    """The app's whole table: the harness's strings and every registered tab's."""
    import tabs
    from tabs.harness.i18n import STRINGS

    tabs.discover()
    return STRINGS


def test_every_string_has_english_and_vietnamese():
    import tabs

    STRINGS = _strings()
    prefixes = {key.split(".")[0] for key in STRINGS}
    for spec in tabs.tabs():  # every tab brought its table, its title among it
        assert spec.title in STRINGS and set(spec.strings) <= set(STRINGS), spec.id
    assert {"app", "live", "film", "attn", "gen", "lab", "gan", "vae", "gvd", "aug", "ft", "vis"} <= prefixes, prefixes
    for key, entry in STRINGS.items():
        assert set(entry) == {"en", "vi"}, key
        assert entry["en"].strip() and entry["vi"].strip(), key
        # placeholders must agree, or one language would crash on .format()
        assert set(re.findall(r"{(\w+)", entry["en"])) == set(re.findall(r"{(\w+)", entry["vi"])), key


def test_vietnamese_is_really_translated():
    STRINGS = _strings()
    diacritics = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
    long_texts = [e["vi"] for e in STRINGS.values() if len(e["en"]) > 30]
    assert sum(bool(diacritics.search(v)) for v in long_texts) / len(long_texts) > 0.9


def test_importing_the_app_loads_no_model():
    code = ("import sys, app; app.build_demo(); from playground.kit import pretrained as models; "
            "assert models.loaded_names() == [], models.loaded_names(); "
            "assert 'transformers.models.bert.modeling_bert' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]


def test_every_event_has_an_api_name_or_is_private(demo):
    config = demo.get_config_file()
    public = [d for d in config["dependencies"] if d.get("api_visibility", "public") == "public"]
    missing = [(d.get("id"), d.get("targets")) for d in public if not d.get("api_name")]
    assert missing == [], f"public events without an api_name: {missing}"
    named = [d["api_name"] for d in public]
    assert len(named) == len(set(named)), "two events share an api_name"
    for prefix in ("attention", "gan_", "vae_", "ft_"):
        assert any(n.startswith(prefix) for n in named), prefix
    for name in ("gan", "vae", "ft"):
        assert {f"{name}_start", f"{name}_stop", f"{name}_step", f"{name}_pause_resume"} <= set(named), name


def test_every_listed_endpoint_has_a_backend_function(demo):
    """/ft_stop was listed but had no function (it failed through the API): every public endpoint must work."""
    info = demo.get_api_info()["named_endpoints"]
    fns = {f"/{fn.api_name}": fn for fn in demo.fns.values() if fn.api_name}
    assert set(info) <= set(fns)
    assert [name for name in info if fns[name].fn is None] == []
