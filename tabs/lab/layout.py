"""Transformer Lab: train small transformers live and watch the claims of the course come true (or not).

Four experiments, each a sub-tab driven by the live-run harness (``tabs/live.py``): a T5-style
encoder-decoder (with the attention maps of a typed input), pre-LN vs post-LN, transformer vs LSTM,
and BERT vs GPT objectives. The models and loops live in ``playground/lab``; this module reads the widgets,
starts the runs and draws their snapshots (``tabs/lab_plots.py``).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from playground.lab import common, ln, lstm, objectives, seq2seq, tasks
from tabs import lab_plots as plots
from tabs import replays, urlstate
from tabs.common import lesson, relabel_live
from tabs.i18n import error, t, user_error
from tabs.live import Live, LiveSession
from tabs.widgets import knob_widget, read_config

EXAMPLES = ["date: ngày 9 tháng 11 năm 1989", "date: July 20th, 1969", "date: 2 tháng 9, 1945",
            "reverse: transformer", "sort: 7 3 9 1 4"]


def _ints(text: Any, lang: str, key: str) -> list[int]:
    """'4, 16, 64' -> [4, 16, 64] (a list from an API client passes through)."""
    if isinstance(text, (list, tuple)):
        return list(text)
    try:
        return [int(x) for x in str(text).replace(";", ",").split(",") if x.strip()]
    except ValueError:
        raise error("lab.err.ints", lang, name=t(key, lang)) from None


def _held(session: LiveSession):
    """Exclusive access to the session's models between two training steps (or nothing to wait for)."""
    import contextlib

    return session.run.hold() if session.run is not None else contextlib.nullcontext()


def export(session: LiveSession, name: str, lang: str) -> list[str]:
    """The run's curves (CSV) and its trained weights (safetensors), for download."""
    if session.lab is None or not session.history:
        raise error("lab.err.train_first", lang)
    folder = Path(tempfile.mkdtemp(prefix=f"lab-{name}-"))
    lab = session.lab
    models = lab.models if hasattr(lab, "models") else {"model": lab.model}
    with _held(session):
        return [common.history_csv(session.history, folder / f"{name}-curves.csv"),
                common.save_models(models, folder / f"{name}-model.safetensors", lab.cfg)]


def _export_row(tr, live: Live, name: str, lang) -> None:
    with gr.Row():
        btn = tr(gr.Button, value="lab.export", size="sm", scale=0, min_width=220, elem_id=f"lab-{name}-export")
        files = gr.File(file_count="multiple", show_label=False, visible=False, elem_id=f"lab-{name}-files")
    btn.click(lambda session, lg: gr.update(value=export(session, name, lg), visible=True), [live.state, lang], files,
              api_name=f"lab_{name}_export")


# ---------------------------------------------------------------- experiment 1: seq2seq
@dataclass
class Seq2SeqSession(LiveSession):
    lab: Any = field(default=None, repr=False)
    history: list = field(default_factory=list)

    def free(self) -> None:
        super().free()
        self.lab = None


def _seq2seq_run(session: Seq2SeqSession, cfg: seq2seq.Seq2SeqConfig):
    session.lab, session.history = seq2seq.Seq2SeqLab(cfg), []
    for snap in session.lab.run():
        if snap is not None:
            session.history.append(snap)
        yield snap


def _samples_md(snap, lang: str) -> str:
    if not snap.samples:
        return ""
    rows = [f"| `{x}` | `{y}` | `{o}` | {'✓' if o == y else '✗'} |" for x, y, o in snap.samples]
    head = f"| {t('lab.s2s.input', lang)} | {t('lab.s2s.target', lang)} | {t('lab.s2s.output', lang)} | |\n|---|---|---|---|"
    return t("lab.s2s.samples", lang, step=snap.exact_step) + "\n\n" + head + "\n" + "\n".join(rows)


def _seq2seq_where(session, snap, lang: str) -> str:
    exact = ", ".join(f"{plots.task_label(k, lang)} {100 * v:.0f}%" for k, v in snap.exact.items())
    return t("lab.where", lang, step=snap.step, total=session.lab.cfg.steps, s=snap.elapsed,
             loss=snap.loss) + (f" · {exact}" if exact else "")


def _decoding_figures(d: seq2seq.Decoding | None, layer: int, head: int, upto: int, lang: str):
    if d is None:
        return None, None, None, ""
    L, H = d.cross.shape[:2]
    layer, head = min(int(layer), L - 1), min(int(head), H - 1)
    upto = min(int(upto), len(d.output_tokens) - 1)
    cross = plots.attention_map(d.cross[layer, head], d.output_tokens, d.input_tokens,
                                t("lab.fig.cross", lang, layer=layer, head=head), lang, show_rows=upto + 1)
    dec = plots.attention_map(d.decoder_self[layer, head], d.output_tokens, d.decoder_inputs,
                              t("lab.fig.dec_self", lang, layer=layer, head=head), lang, causal=True,
                              show_rows=upto + 1)
    enc = plots.attention_map(d.encoder_self[layer, head], d.input_tokens, d.input_tokens,
                              t("lab.fig.enc_self", lang, layer=layer, head=head), lang,
                              height=max(360, 16 * len(d.input_tokens) + 90))
    written = "".join(tok for tok in d.output_tokens[:upto + 1] if tok != "<eos>").replace("␣", " ")
    chips = " ".join(f"`{tok}` {100 * p:.0f}%" for tok, p in zip(d.output_tokens[:upto + 1], d.probs))
    return cross, dec, enc, t("lab.s2s.answer", lang, text=written, step=upto + 1, n=len(d.output_tokens), chips=chips)


def ask(session: Seq2SeqSession, text: str, layer: int, head: int, lang: str):
    if session.lab is None:
        raise error("lab.err.train_first", lang)
    try:
        with _held(session):
            d = session.lab.answer(text)
    except gr.Error:  # already a message for the user (gr.Error is a ValueError)
        raise
    except ValueError as e:
        raise user_error(str(e)) from None
    ref = tasks.reference(text)
    note = "" if ref is None else t("lab.s2s.reference", lang, ref=ref, ok="✓" if ref == d.text else "✗")
    steps = len(d.output_tokens) - 1
    figs = _decoding_figures(d, layer, head, steps, lang)
    return (d, gr.update(maximum=max(1, steps), value=steps), *figs[:3], figs[3] + note)


def _build_seq2seq(tr, lang) -> None:
    C = seq2seq.Seq2SeqConfig
    tr(gr.Markdown, value="lab.s2s.intro")
    with gr.Row():
        task_box = tr(gr.CheckboxGroup, label="lab.s2s.tasks", value=list(tasks.TASKS),
                      choices=[(f"lab.task.{k}", k) for k in tasks.TASKS], scale=3)
        steps = knob_widget(tr, C, "steps", "lab.steps", scale=1, elem_id="lab-s2s-steps")
        d_model = knob_widget(tr, C, "d_model", "lab.d_model", scale=1)
        n_layers = knob_widget(tr, C, "n_layers", "lab.n_layers", scale=1)
        lr = knob_widget(tr, C, "lr", "lab.lr", scale=1)
        seed = knob_widget(tr, C, "seed", "lab.seed", scale=1)
    status, buttons = _controls(tr, "s2s")
    curves = gr.Plot(show_label=False, elem_id="lab-s2s-curves")
    samples = gr.Markdown(elem_id="lab-s2s-samples")
    labels = {"tasks": "lab.s2s.tasks", "steps": "lab.steps", "d_model": "lab.d_model", "n_layers": "lab.n_layers",
              "lr": "lab.lr", "seed": "lab.seed"}
    live = Live("lab_seq2seq", Seq2SeqSession, make_run=_seq2seq_run,
                render=lambda s, snap, lg: {curves: plots.seq2seq_curves(s.history, lg), samples: _samples_md(snap, lg)},
                where=_seq2seq_where, config=lambda v, lg: read_config(C, v, labels, lg))
    inputs = {"tasks": task_box, "steps": steps, "d_model": d_model, "n_layers": n_layers, "lr": lr, "seed": seed}
    _share("s2s", inputs)
    live.wire(lang, inputs=inputs, outputs=[curves, samples], status=status, **buttons)
    relabel_live(lang, live, status, [curves, samples])
    _export_row(tr, live, "seq2seq", lang)
    tr(gr.Markdown, value="lab.s2s.ask_intro")
    decoding = gr.State(None)
    with gr.Row():
        question = tr(gr.Textbox, label="lab.s2s.ask", value=EXAMPLES[0], max_length=seq2seq.MAX_IN, scale=3,
                      elem_id="lab-s2s-question")
        ask_btn = tr(gr.Button, value="lab.s2s.ask_btn", variant="primary", scale=1, elem_id="lab-s2s-ask")
    tr(gr.Examples, examples=[[e] for e in EXAMPLES], inputs=[question], label="lab.examples")
    answer = gr.Markdown(elem_id="lab-s2s-answer")
    with gr.Row():
        upto = tr(gr.Slider, label="lab.s2s.upto", minimum=0, maximum=10, step=1, value=10, elem_id="lab-s2s-upto")
        layer = tr(gr.Slider, label="lab.layer", minimum=0, maximum=5, step=1, value=1)
        head = tr(gr.Slider, label="lab.head", minimum=0, maximum=15, step=1, value=0)
    with gr.Row():
        cross = gr.Plot(show_label=False, elem_id="lab-s2s-cross")
        dec = gr.Plot(show_label=False, elem_id="lab-s2s-dec")
    enc = gr.Plot(show_label=False, elem_id="lab-s2s-enc")
    outs = [decoding, upto, cross, dec, enc, answer]
    ask_btn.click(ask, [live.state, question, layer, head, lang], outs, api_name="lab_ask")
    question.submit(ask, [live.state, question, layer, head, lang], outs, api_name=False)
    for widget in (upto, layer, head):
        widget.input(lambda d, ly, hd, up, lg: _decoding_figures(d, ly, hd, up, lg),
                     [decoding, layer, head, upto, lang], [cross, dec, enc, answer], api_name=False,
                     show_progress="hidden", trigger_mode="always_last")


def _share(experiment: str, widgets: dict) -> None:
    """An experiment's settings live in the address: ``?tab=lab&lab.experiment=ln&lab.ln.lr=0.003``."""
    for name, widget in widgets.items():
        urlstate.share("lab", f"{experiment}.{name}", widget)


def _controls(tr, name: str):
    with gr.Row():
        start = tr(gr.Button, value="live.start", variant="primary", elem_id=f"lab-{name}-start")
        pause = tr(gr.Button, value="live.pause_resume", elem_id=f"lab-{name}-pause")
        step = tr(gr.Button, value="live.step", elem_id=f"lab-{name}-step")
        stop = tr(gr.Button, value="live.stop", variant="stop", elem_id=f"lab-{name}-stop")
        replay = replays.replay_controls(tr, f"lab-{name}")
    status = tr(gr.Markdown, value="live.idle", elem_id=f"lab-{name}-status")
    replay["note"] = replays.replay_note(f"lab-{name}")
    return status, dict(start=start, pause=pause, step=step, stop=stop, replay=replay)


# ---------------------------------------------------------------- experiment 2: pre-LN vs post-LN
@dataclass
class HistorySession(LiveSession):
    """A lab (the models) and the snapshots so far: enough for every figure of experiments 2-4."""

    lab: Any = field(default=None, repr=False)
    history: list = field(default_factory=list)

    def free(self) -> None:
        super().free()
        self.lab = None


def _history_run(make_lab):
    def make_run(session: HistorySession, cfg):
        session.lab, session.history = make_lab(cfg), []
        for snap in session.lab.run():
            if snap is not None:
                session.history.append(snap)
            yield snap
    return make_run


def _ln_summary(history: list, lang: str) -> str:
    last = history[-1]
    lines = []
    for key, loss in last.loss.items():
        stop = last.diverged_at[key]
        state = t("lab.ln.diverged", lang, step=stop) if stop is not None else f"{loss:.3f}"
        lines.append(f"- **{plots.run_label(key, lang)}**: {state}")
    return t("lab.ln.final", lang, step=last.step) + "\n" + "\n".join(lines)


def _build_ln(tr, lang) -> None:
    C = ln.LnConfig
    tr(gr.Markdown, value="lab.ln.intro")
    with gr.Row():
        widgets = {"n_layers": knob_widget(tr, C, "n_layers", "lab.ln.depth"),
                   "lr": knob_widget(tr, C, "lr", "lab.lr"),
                   "warmup": knob_widget(tr, C, "warmup", "lab.ln.warmup"),
                   "steps": knob_widget(tr, C, "steps", "lab.steps", elem_id="lab-ln-steps"),
                   "seed": knob_widget(tr, C, "seed", "lab.seed")}
    status, buttons = _controls(tr, "ln")
    summary = gr.Markdown(elem_id="lab-ln-summary")
    with gr.Row():
        losses = gr.Plot(show_label=False, elem_id="lab-ln-loss")
        grads = gr.Plot(show_label=False, elem_id="lab-ln-grads")
    labels = {"n_layers": "lab.ln.depth", "lr": "lab.lr", "warmup": "lab.ln.warmup", "steps": "lab.steps",
              "seed": "lab.seed"}
    live = Live("lab_ln", HistorySession, make_run=_history_run(ln.LnLab),
                render=lambda s, snap, lg: {losses: plots.ln_losses(s.history, lg), grads: plots.ln_grads(s.history, lg),
                                            summary: _ln_summary(s.history, lg)},
                where=lambda s, snap, lg: t("lab.where_short", lg, step=snap.step, total=s.lab.cfg.steps, s=snap.elapsed),
                config=lambda v, lg: read_config(C, v, labels, lg))
    _share("ln", widgets)
    live.wire(lang, inputs=widgets, outputs=[losses, grads, summary], status=status, **buttons)
    relabel_live(lang, live, status, [losses, grads, summary])
    _export_row(tr, live, "ln", lang)


# ---------------------------------------------------------------- experiment 3: transformer vs LSTM
def measure_timing(lengths: str, d_model: float, lang: str):
    try:
        cfg = lstm.LstmConfig(lengths=tuple(_ints(lengths, lang, "lab.lstm.lengths")), d_model=d_model)
    except gr.Error:  # already a message for the user (gr.Error is a ValueError)
        raise
    except ValueError as e:
        raise user_error(str(e)) from None
    rows = []
    for row in lstm.timing(cfg):
        if row is not None:
            rows.append(row)
            yield plots.timing_figure(rows, lang), _timing_note(rows, lang)


def _timing_note(rows: list[dict], lang: str) -> str:
    r = rows[-1]
    return t("lab.lstm.timing_note", lang, T=r["T"], tf=r["transformer_train_ms"], ls=r["lstm_train_ms"],
             tff=r["transformer_forward_ms"], lsf=r["lstm_forward_ms"])


def _lstm_where(session, snap, lang: str) -> str:
    return t("lab.lstm.where", lang, step=snap.step, total=session.lab.cfg.steps, tf=snap.elapsed["transformer"],
             ls=snap.elapsed["lstm"], ptf=snap.n_params["transformer"], pls=snap.n_params["lstm"])


def _build_lstm(tr, lang) -> None:
    C = lstm.LstmConfig
    tr(gr.Markdown, value="lab.lstm.intro_a")
    with gr.Row():
        lengths = tr(gr.Textbox, label="lab.lstm.lengths", value="16, 64, 256, 512", scale=2, elem_id="lab-lstm-lengths")
        width = knob_widget(tr, C, "d_model", "lab.d_model", scale=1)
        time_btn = tr(gr.Button, value="lab.lstm.time_btn", variant="primary", scale=1, elem_id="lab-lstm-time")
    timing_note = gr.Markdown(elem_id="lab-lstm-timing-note")
    timing_plot = gr.Plot(show_label=False, elem_id="lab-lstm-timing")
    time_btn.click(measure_timing, [lengths, width, lang], [timing_plot, timing_note], api_name="lab_timing",
                   concurrency_limit=1)
    tr(gr.Markdown, value="lab.lstm.intro_b")
    with gr.Row():
        distances = tr(gr.Textbox, label="lab.lstm.distances", value="4, 16, 64", scale=2,
                       elem_id="lab-lstm-distances")
        steps = knob_widget(tr, C, "steps", "lab.steps", scale=1, elem_id="lab-lstm-steps")
        seed = knob_widget(tr, C, "seed", "lab.seed", scale=1)
    status, buttons = _controls(tr, "lstm")
    with gr.Row():
        by_d = gr.Plot(show_label=False, elem_id="lab-lstm-by-d")
        over = gr.Plot(show_label=False, elem_id="lab-lstm-over")
    labels = {"steps": "lab.steps", "seed": "lab.seed", "d_model": "lab.d_model", "distances": "lab.lstm.distances"}

    def config(v, lg):
        v = dict(v, distances=tuple(_ints(v["distances"], lg, "lab.lstm.distances")))
        return read_config(C, v, labels, lg)

    def render(s, snap, lg):
        a, b = plots.recall_figures(s.history, lg)
        return {by_d: a, over: b}

    live = Live("lab_lstm", HistorySession, make_run=_history_run(lstm.LongRangeLab), render=render,
                where=_lstm_where, config=config)
    inputs = {"distances": distances, "steps": steps, "seed": seed, "d_model": width}
    _share("lstm", {"lengths": lengths, **inputs})
    live.wire(lang, inputs=inputs, outputs=[by_d, over], status=status, **buttons)
    relabel_live(lang, live, status, [by_d, over])
    _export_row(tr, live, "lstm", lang)


# ---------------------------------------------------------------- experiment 4: BERT vs GPT objectives
def fill_and_continue(session: HistorySession, text: str, lang: str):
    if session.lab is None:
        raise error("lab.err.train_first", lang)
    lab = session.lab
    try:
        with _held(session):
            if any(b in lab.vocab.encode_words(text) for b in objectives.BLANKS):
                f = lab.fill(text)
                md = t("lab.obj.filled", lang, mlm=_top(f["mlm"]), clm=_top(f["clm"]))
            else:
                c = lab.continue_text(text)
                md = t("lab.obj.continued", lang, mlm=c["mlm"], clm=c["clm"])
            maps = lab.attention(text)
            tokens = lab.tokens(text)
    except gr.Error:  # already a message for the user (gr.Error is a ValueError)
        raise
    except ValueError as e:
        raise user_error(str(e)) from None
    return md, plots.masks_figure(maps, tokens, lang)


def _top(pairs: list) -> str:
    return ", ".join(f"**{w}** {100 * p:.0f}%" for w, p in pairs[:3])


def _build_objectives(tr, lang) -> None:
    C = objectives.ObjectivesConfig
    tr(gr.Markdown, value="lab.obj.intro")
    with gr.Row():
        widgets = {"steps": knob_widget(tr, C, "steps", "lab.steps", elem_id="lab-obj-steps"),
                   "d_model": knob_widget(tr, C, "d_model", "lab.d_model"),
                   "mask_rate": knob_widget(tr, C, "mask_rate", "lab.obj.mask_rate"),
                   "seed": knob_widget(tr, C, "seed", "lab.seed")}
    status, buttons = _controls(tr, "obj")
    curves = gr.Plot(show_label=False, elem_id="lab-obj-curves")
    labels = {"steps": "lab.steps", "d_model": "lab.d_model", "mask_rate": "lab.obj.mask_rate", "seed": "lab.seed"}
    live = Live("lab_objectives", HistorySession, make_run=_history_run(objectives.ObjectivesLab),
                render=lambda s, snap, lg: {curves: plots.objectives_curves(s.history, lg)},
                where=lambda s, snap, lg: t("lab.where_short", lg, step=snap.step, total=s.lab.cfg.steps,
                                            s=sum(snap.elapsed.values())),
                config=lambda v, lg: read_config(C, v, labels, lg))
    _share("obj", widgets)
    live.wire(lang, inputs=widgets, outputs=[curves], status=status, **buttons)
    relabel_live(lang, live, status, [curves])
    _export_row(tr, live, "objectives", lang)
    tr(gr.Markdown, value="lab.obj.try")
    with gr.Row():
        text = tr(gr.Textbox, label="lab.obj.text", value="_ is the capital of japan .", scale=3,
                  elem_id="lab-obj-text")
        go_btn = tr(gr.Button, value="lab.obj.go", variant="primary", scale=1, elem_id="lab-obj-go")
    tr(gr.Examples, examples=[["_ is the capital of japan ."], ["the capital of _ is paris ."],
                              ["_ là thủ đô của việt nam ."], ["the capital of japan is"], ["con mèo kêu"]],
       inputs=[text], label="lab.examples")
    result = gr.Markdown(elem_id="lab-obj-result")
    masks = gr.Plot(show_label=False, elem_id="lab-obj-masks")
    go_btn.click(fill_and_continue, [live.state, text, lang], [result, masks], api_name="lab_fill")


# ---------------------------------------------------------------- the tab
def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "lab.lesson", open=False)
    builders = {"seq2seq": _build_seq2seq, "ln": _build_ln, "lstm": _build_lstm, "objectives": _build_objectives}
    # which experiment is open, as a value a link can carry (a Tabs has none): set by the sub-tabs, and setting it
    # from an address opens that sub-tab
    experiment = gr.Radio(choices=list(builders), value="seq2seq", visible="hidden", elem_id="lab-experiment")
    with gr.Tabs(elem_id="lab-experiments") as experiments:
        for name, build_one in builders.items():
            with tr(gr.Tab, label=f"lab.tab.{name}", id=name, elem_id=f"lab-tab-{name}"):
                build_one(tr, lang)

    def opened(evt: gr.SelectData):  # (a gr.Tab's own select event reported a neighbour's here)
        return evt.id if getattr(evt, "id", None) in builders else gr.skip()

    experiments.select(opened, None, experiment, api_name=False, queue=False, show_progress="hidden")
    experiment.change(lambda name: gr.Tabs(selected=name), experiment, experiments, api_name=False, queue=False,
                      show_progress="hidden")
    urlstate.share("lab", "experiment", experiment)
    urlstate.link_button(tr, "lab")
