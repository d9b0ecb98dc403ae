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
    machine = results.get("machine_label", {}).get(lang) or results.get("machine", "?")
    head = s("diff.fam.intro").format(machine=machine, date=results.get("date", "?"))
    seeds = ", ".join(str(x) for x in results.get("seeds", []))
    cols = [s("diff.fam.model"), s("diff.fam.modes"), s("diff.fam.hq"), s("diff.fam.nfe"), s("diff.fam.ms"),
            s("diff.fam.train"), s("diff.fam.to_quality")]
    lines = [head, "", f"**{results.get('data_label', {}).get(lang, results.get('data', ''))}** · {s('diff.fam.seeds')} {seeds}", "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in results.get("rows", []):
        reached = [v for v in row["to_quality_s"] if v is not None]
        never = len(reached) < len(row["to_quality_s"])
        to_q = _span(reached, ".0f") + " s" if reached else s("diff.fam.never")
        if reached and never:
            to_q += f" ({len(reached)}/{len(row['to_quality_s'])})"
        lines.append("| " + " | ".join([
            row["label"][lang], _span(row["modes"], "d") + f" / {row['of']}", _span(row["high_quality"], ".0%"),
            _span(row["nfe"], ",d"), _span(row["ms_per_sample"], ".2g"), _span(row["train_s"], ".0f") + " s",
            to_q]) + " |")
    digits = results.get("digits")
    if digits:
        dcols = [s("diff.fam.model"), s("diff.fam.classes"), s("diff.fam.conf"), s("diff.fam.nfe"), s("diff.fam.ms")]
        lines += ["", f"**{s('diff.fam.digits')}**", "", "| " + " | ".join(dcols) + " |", "|" + "---|" * len(dcols)]
        for row in digits:
            lines.append("| " + " | ".join([row["label"][lang], _span(row["classes"], "d") + f" / {row['of']}",
                                            _span(row["confident"], ".0%"), _span(row["nfe"], ",d"),
                                            _span(row["ms_per_sample"], ".2g")]) + " |")
    return "\n".join(lines)


def _row(results: dict, family: str) -> dict | None:
    return next((r for r in results.get("rows", []) if r["family"] == family), None)


def lesson_figures(results: dict | None) -> dict | None:
    """The figures the lesson under the table quotes, taken from the same results (None when a family is missing):
    each a range over the seeds, and whether the GAN covered every mode on every seed (where the measured run and
    the usual story part ways)."""
    if not results:
        return None
    gan, vae, ddpm, flow = (_row(results, f) for f in ("gan", "vae", "diffusion", "flow"))
    if None in (gan, vae, ddpm, flow):
        return None
    gan_ms = max(min(gan["ms_per_sample"]), 1e-9)
    out = dict(gan_hq=_span(gan["high_quality"], ".0%"), vae_hq=_span(vae["high_quality"], ".0%"),
               ddpm_hq=_span(ddpm["high_quality"], ".0%"), flow_hq=_span(flow["high_quality"], ".0%"),
               ddpm_nfe=_span(ddpm["nfe"], "d"), flow_nfe=_span(flow["nfe"], "d"),
               ddpm_x=_span([m / gan_ms for m in ddpm["ms_per_sample"]], ",.0f"),
               flow_x=_span([m / gan_ms for m in flow["ms_per_sample"]], ",.0f"),
               gan_to=_span(gan["to_quality_s"], ".0f"), ddpm_to=_span(ddpm["to_quality_s"], ".0f"),
               gan_all=min(gan["modes"]) == gan["of"], vae_reached=any(v is not None for v in vae["to_quality_s"]))
    return out


LESSON = {
    "en": ("**What the table shows.** A GAN or a VAE makes a sample in one pass of its network; diffusion needs one "
           "pass per sampling step ({ddpm_nfe} for DDPM here, {flow_nfe} for flow matching), so a sample costs "
           "{ddpm_x}× (DDPM) and {flow_x}× (flow matching) a GAN sample. What diffusion buys with that is an easy "
           "training: a plain regression, with no opponent to keep in balance and no bound that trades sharpness "
           "for coverage. The usual story says GANs are fast and sharp but drop modes, VAEs cover everything but "
           "blur, and diffusion covers everything sharply but slowly.",
           "**Where the run agrees:** the VAE found every mode, yet only {vae_hq} of its samples are high quality: "
           "its prior has no gaps, so it leaves bridges of points between the modes. DDPM ({ddpm_hq}) and flow "
           "matching ({flow_hq}) cover all 8 modes with high-quality samples.",
           "**Where it does not:** ",
           "the GAN did not collapse. With the GAN Lab's default preset (an averaged generator and falling learning "
           "rates) it covered all 8 modes on every seed, with {gan_hq} high-quality samples, as good as diffusion. "
           "What it cost was training time: {gan_to} s to the stated quality, against {ddpm_to} s for DDPM. The "
           "Mode collapse preset in the GAN Lab shows that the story is still true of a plainer GAN.",
           "the GAN missed modes on some seeds ({gan_hq} high quality), as the usual story says."),
    "vi": ("**Bảng cho thấy gì.** GAN hay VAE tạo một mẫu chỉ với một lần chạy mạng; khuếch tán cần một lần cho mỗi "
           "bước lấy mẫu (ở đây {ddpm_nfe} với DDPM, {flow_nfe} với flow matching), nên một mẫu tốn gấp {ddpm_x} lần "
           "(DDPM) và {flow_x} lần (flow matching) một mẫu của GAN. Đổi lại, khuếch tán được huấn luyện dễ dàng: chỉ "
           "là hồi quy, không có đối thủ cần giữ thế cân bằng, cũng không có cận dưới buộc phải đánh đổi độ sắc nét "
           "lấy độ phủ. Câu chuyện quen thuộc là: GAN nhanh và sắc nét nhưng bỏ sót chế độ, VAE phủ hết nhưng mờ, "
           "còn khuếch tán phủ hết và sắc nét nhưng chậm.",
           "**Chỗ lần chạy khớp với câu chuyện:** VAE tìm thấy mọi chế độ nhưng chỉ {vae_hq} mẫu của nó đạt chất "
           "lượng cao: phân phối tiên nghiệm không có khoảng trống, nên nó để lại những cây cầu điểm nối giữa các "
           "cụm. DDPM ({ddpm_hq}) và flow matching ({flow_hq}) phủ đủ 8 chế độ với mẫu chất lượng cao.",
           "**Chỗ không khớp:** ",
           "GAN không bị sụp đổ chế độ. Với cấu hình mặc định của phòng GAN (bộ sinh trung bình và tốc độ học giảm "
           "dần), nó phủ đủ 8 chế độ ở mọi seed, với {gan_hq} mẫu chất lượng cao, ngang với khuếch tán. Cái giá là "
           "thời gian huấn luyện: {gan_to} giây mới đạt chất lượng đã nêu, so với {ddpm_to} giây của DDPM. Cấu hình "
           "Sụp đổ chế độ trong phòng GAN cho thấy câu chuyện vẫn đúng với một GAN đơn giản hơn.",
           "GAN bỏ sót chế độ ở một số seed ({gan_hq} mẫu chất lượng cao), đúng như câu chuyện quen thuộc."),
}


def lesson(results: dict | None, lang: str) -> str:
    """The paragraphs under the table, with the figures of the same results (without them, what to run)."""
    from tabs.diffusion.strings import STRINGS

    f = lesson_figures(results)
    if f is None:
        return STRINGS["diff.fam.missing"][lang]
    what, agrees, but, gan_fine, gan_collapsed = LESSON[lang]
    return "\n\n".join([what.format(**f), agrees.format(**f), but + (gan_fine if f["gan_all"] else gan_collapsed).format(**f)])


def strings() -> dict:
    """The table and its lesson in both languages, as strings of the tab (read at import: a few kB of JSON)."""
    results = load()
    return {"diff.fam.table": {lang: table(results, lang) for lang in ("en", "vi")},
            "diff.fam.lesson": {lang: lesson(results, lang) for lang in ("en", "vi")}}


def families_panel(page) -> None:
    tr = page.tr
    with tr(gr.Accordion, label="diff.part.families", open=False, elem_id="diffusion-families"):
        tr(gr.Markdown, value="diff.fam.table", elem_id="diffusion-families-table")
        tr(gr.Markdown, value="diff.fam.lesson", elem_id="diffusion-families-lesson",
           latex_delimiters=[{"left": "$", "right": "$", "display": False}])
