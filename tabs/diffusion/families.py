"""The three families on one table: GAN, VAE and diffusion trained on the same 2-D set with the same seeds (and the
shipped digit models), as measured by ``benchmarks/three_families.py`` into ``assets/three_families.json``.

The table is read once when the app is built (a small JSON file, no model) and shown in both languages; each cell is
the range over the seeds measured. The lesson under it was written from those figures."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

RESULTS = Path(__file__).resolve().parents[2] / "assets" / "three_families.json"
FAMILIES = ("gan", "vae", "diffusion", "flow")


def _span(values, fmt: str) -> str:
    """``a`` or ``a–b`` (the range over the seeds)."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "—"
    lo, hi = min(vals), max(vals)
    a, b = format(lo, fmt), format(hi, fmt)
    return a if a == b else f"{a}–{b}"


def load(path: Path = RESULTS) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def table(results: dict | None, lang: str) -> str:
    """The measured table as Markdown in ``lang`` (the strings come from ``tabs.diffusion.strings``)."""
    from tabs.diffusion.strings import STRINGS

    def s(key: str) -> str:
        return STRINGS[key][lang]

    if not results:
        return s("diff.fam.missing")
    head = s("diff.fam.intro").format(machine=results.get("machine", "?"), date=results.get("date", "?"))
    seeds = ", ".join(str(x) for x in results.get("seeds", []))
    cols = [s("diff.fam.model"), s("diff.fam.modes"), s("diff.fam.hq"), s("diff.fam.nfe"), s("diff.fam.ms"),
            s("diff.fam.train"), s("diff.fam.to_quality")]
    lines = [head, "", f"**{results.get('data_label', {}).get(lang, results.get('data', ''))}** · seeds {seeds}", "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in results.get("rows", []):
        reached = [v for v in row["to_quality_s"] if v is not None]
        never = len(reached) < len(row["to_quality_s"])
        to_q = _span(reached, ".0f") + " s" if reached else s("diff.fam.never")
        if reached and never:
            to_q += f" ({len(reached)}/{len(row['to_quality_s'])})"
        lines.append("| " + " | ".join([
            row["label"][lang], _span(row["modes"], "d") + f" / {row['of']}", _span(row["high_quality"], ".0%"),
            _span(row["nfe"], ",d"), _span(row["ms_per_sample"], ".3f"), _span(row["train_s"], ".0f") + " s",
            to_q]) + " |")
    digits = results.get("digits")
    if digits:
        dcols = [s("diff.fam.model"), s("diff.fam.classes"), s("diff.fam.conf"), s("diff.fam.nfe"), s("diff.fam.ms")]
        lines += ["", f"**{s('diff.fam.digits')}**", "", "| " + " | ".join(dcols) + " |", "|" + "---|" * len(dcols)]
        for row in digits:
            lines.append("| " + " | ".join([row["label"][lang], _span(row["classes"], "d") + f" / {row['of']}",
                                            _span(row["confident"], ".0%"), _span(row["nfe"], ",d"),
                                            _span(row["ms_per_sample"], ".2f")]) + " |")
    return "\n".join(lines)


def strings() -> dict:
    """The table's two languages, as strings of the tab (read at import: a few kB of JSON)."""
    results = load()
    return {"diff.fam.table": {lang: table(results, lang) for lang in ("en", "vi")}}


def families_panel(page) -> None:
    tr = page.tr
    with tr(gr.Accordion, label="diff.part.families", open=False, elem_id="diffusion-families"):
        tr(gr.Markdown, value="diff.fam.table", elem_id="diffusion-families-table")
        tr(gr.Markdown, value="diff.fam.lesson", elem_id="diffusion-families-lesson",
           latex_delimiters=[{"left": "$", "right": "$", "display": False}])
