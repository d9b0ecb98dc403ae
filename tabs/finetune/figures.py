"""Figures and the results table of the Fine-tuning Lab, as plain plotly JSON (cheap to stream).

Accuracy is shown in one unit, percent, everywhere, with its 95% confidence interval from the number of test
texts (Wilson score interval): with 250 test texts two strategies 3 points apart are not ranked by the data.
"""

from __future__ import annotations

import math

import pandas as pd
from gradio.components.plot import PlotData

from playground import finetune as core
from playground.kit.metrics import wilson_interval
from tabs.harness.i18n import t
from tabs.harness.plots import axis, plot_json

PALETTE = {"blue": "#2563eb", "green": "#16a34a", "lime": "#65a30d", "teal": "#0d9488", "red": "#dc2626",
           "purple": "#9333ea", "pink": "#db2777", "orange": "#ea580c", "amber": "#ca8a04", "slate": "#475569"}
COLOURS = {name: PALETTE[s.colour] for name, s in core.REGISTRY.items()}  # the registry's colour keys
COLUMNS = ["strategy", "trainable", "pct", "acc", "ci", "train_s", "sps", "mem", "state", "drift", "wall", "lr"]
MAX_POINTS = 300  # loss points per strategy drawn in one frame
# the curves' and the sweep's frame: room under the plot for the legend of up to ten strategies
FRAME = dict(margin=dict(l=60, r=20, t=44, b=100), legend=dict(orientation="h", x=0, y=-0.25, yanchor="top"))


def strategy_name(s: str, lang: str) -> str:
    return t(f"ft.s.{s}", lang)


def legend_name(s: str, lang: str) -> str:
    """A strategy's name for a legend beside a narrow figure: a long name breaks before its parenthesis ("Feature
    extraction<br>(head only)"), so an entry never runs out of a figure half a projector's width."""
    name = strategy_name(s, lang)
    return name.replace(" (", "<br>(", 1) if len(name) > 22 else name


def ci(acc: float, n: int) -> tuple[float, float]:
    """The 95% interval of an accuracy in percent points: (low, high)."""
    lo, hi = wilson_interval(acc, n)
    return 100 * lo, 100 * hi


def half_width(acc: float, n: int) -> float:
    lo, hi = ci(acc, n)
    return (hi - lo) / 2


def _finite(x) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 5)


def acc_floor(lows: list[float], chance: float | None) -> float:
    """The bottom of a percent axis (on screen and on the slides): a little under the lowest value (or the
    majority line), in whole tens, never under 0."""
    floor = min(lows + ([100 * chance] if chance is not None else []), default=0.0)
    return max(0.0, 10 * math.floor((floor - 5) / 10))


def acc_axis(lows: list[float], chance: float | None, title: str = "%") -> dict:
    """A percent axis from a little under the lowest interval (or the majority line) to 100%: never wider than
    0-100, whatever was (or was not yet) measured."""
    return axis(title, range=[acc_floor(lows, chance), 101], ticksuffix="%", tickformat=".0f")


def _error_bars(accs: list[float], n: int) -> dict:
    bounds = [ci(a, n) for a in accs]
    return dict(type="data", symmetric=False, array=[round(hi - 100 * a, 2) for a, (_, hi) in zip(accs, bounds)],
                arrayminus=[round(100 * a - lo, 2) for a, (lo, _) in zip(accs, bounds)], thickness=1.2, width=3)


def curves_figure(history: dict, metric: str, xaxis: str, lang: str, chance: float | None = None,
                  n_test: int = 0) -> PlotData:
    """Training loss (every report) or test accuracy in % (evaluations, with 95% intervals) per strategy."""
    data, lows = [], []
    for s, points in history.items():
        pts = [(p["step"] if xaxis == "step" else p["time"], p[metric]) for p in points
               if p.get(metric) is not None and math.isfinite(p[metric])]
        if metric == "loss" and len(pts) > MAX_POINTS:
            pts = pts[:: math.ceil(len(pts) / MAX_POINTS)] + [pts[-1]]
        trace = dict(type="scatter", name=legend_name(s, lang), line=dict(color=COLOURS[s], width=2),
                     x=[round(x, 3) for x, _ in pts])
        if metric == "acc":
            accs = [y for _, y in pts]
            trace.update(mode="lines+markers", y=[round(100 * y, 2) for y in accs],
                         hovertemplate="%{x}: %{y:.1f}%<extra>" + strategy_name(s, lang) + "</extra>")
            if n_test and accs:
                trace["error_y"] = _error_bars(accs, n_test)
                lows += [ci(a, n_test)[0] for a in accs]
        else:
            trace.update(mode="lines", y=[_finite(y) for _, y in pts])
        data.append(trace)
    layout = dict(title=dict(text=t("ft.fig.loss" if metric == "loss" else "ft.fig.acc", lang), x=0.01),
                  height=380, uirevision=metric, xaxis=axis(t(f"ft.x.{xaxis}", lang)))
    if metric == "acc":
        layout["yaxis"] = acc_axis(lows, chance, t("ft.fig.acc_axis", lang))
        if chance is not None:
            layout["shapes"] = [dict(type="line", xref="paper", x0=0, x1=1, y0=100 * chance, y1=100 * chance,
                                     line=dict(color="#71717a", dash="dot"))]
            layout["annotations"] = [dict(xref="paper", x=1, y=100 * chance, yanchor="bottom", xanchor="right",
                                          showarrow=False, text=t("ft.fig.chance", lang),
                                          font=dict(color="#71717a"))]
    else:
        layout["yaxis"] = axis(t("ft.fig.loss_axis", lang), rangemode="tozero")
    return plot_json(data, {**FRAME, **layout})


def params_figure(results: list[dict], lang: str) -> PlotData:
    """Trainable parameters (log x) against test accuracy in % with its 95% interval; marker area grows with
    the training time."""
    longest = max([r["train_s"] for r in results] + [1e-9])
    data, lows = [], []
    # the longest-trained (largest) bubbles first, so a smaller one near them is drawn on top and stays visible
    # (full fine-tuning's hid freeze-bottom's: both near 10^7 parameters and the same accuracy); translucent too
    for r in sorted(results, key=lambda r: -r["train_s"]):
        name = strategy_name(r["strategy"], lang)
        lo, hi = ci(r["test_acc"], r["n_test"])
        lows.append(lo)
        data.append(dict(
            type="scatter", mode="markers", x=[r["trainable"]], y=[round(100 * r["test_acc"], 2)], name=name,
            legendrank=1000 + results.index(r),  # the legend in the race's order, whatever the drawing order
            error_y=_error_bars([r["test_acc"]], r["n_test"]),
            marker=dict(color=COLOURS[r["strategy"]], size=12 + 28 * math.sqrt(r["train_s"] / longest), opacity=0.7,
                        line=dict(color="white", width=1.5)),
            hovertemplate=f"%{{x:,}} ({r['pct']:.3g}%)<br>%{{y:.1f}}% ({lo:.1f}-{hi:.1f})<br>"
                          f"{r['train_s']:.1f} s<extra>{name}</extra>"))
    return plot_json(data, dict(title=dict(text=t("ft.fig.params", lang), x=0.01), height=420, uirevision="params",
                                legend=dict(orientation="h", x=0, y=-0.25, yanchor="top"),
                                margin=dict(l=60, r=20, t=64, b=100),
                                # one label a decade (10, 1k, 100k...): a log axis otherwise labels 2 and 5 between
                                xaxis=axis(t("ft.fig.trainable", lang), type="log", dtick=1),
                                yaxis=acc_axis(lows, None) | dict(title=dict(text=t("ft.col.acc", lang)))))


def sweep_figure(points: list[dict], lang: str, chance: float | None = None) -> PlotData:
    """Test accuracy in % against the number of training texts (log x), one line per strategy. With several seeds
    per size the line joins their means, each seed is a faint dot and the bar spans the seeds' lowest to highest
    (how far a point moves by chance alone); with one seed the bar is the 95% interval from the test texts."""
    by: dict[str, dict[int, list[dict]]] = {}
    for p in points:
        by.setdefault(p["strategy"], {}).setdefault(p["n_train"], []).append(p)
    data, lows, sizes = [], [], sorted({p["n_train"] for p in points})
    repeats = max((len(runs) for sizes_of in by.values() for runs in sizes_of.values()), default=1)
    for s, sizes_of in by.items():
        xs = sorted(sizes_of)
        accs = [[p["test_acc"] for p in sizes_of[x]] for x in xs]
        means = [sum(a) / len(a) for a in accs]
        n, name = sizes_of[xs[0]][0]["n_test"], strategy_name(s, lang)
        if repeats > 1:
            bars = dict(type="data", symmetric=False, array=[round(100 * (max(a) - m), 2) for a, m in zip(accs, means)],
                        arrayminus=[round(100 * (m - min(a)), 2) for a, m in zip(accs, means)], thickness=1.5, width=6)
            lows += [100 * min(a) for a in accs]
            data.append(dict(type="scatter", mode="markers", x=[x for x, a in zip(xs, accs) for _ in a],
                             y=[round(100 * v, 2) for a in accs for v in a], showlegend=False, hoverinfo="skip",
                             marker=dict(color=COLOURS[s], size=6, opacity=0.35)))
            hover = "%{x} → %{y:.1f}% (" + t("ft.fig.sweep_mean", lang, n="%{customdata}") + ")<extra>" + name + "</extra>"
        else:
            bars = _error_bars(means, n)
            lows += [ci(m, n)[0] for m in means]
            hover = "%{x} → %{y:.1f}%<extra>" + name + "</extra>"
        data.append(dict(type="scatter", mode="lines+markers", name=name, x=xs, y=[round(100 * m, 2) for m in means],
                         customdata=[len(a) for a in accs], error_y=bars, line=dict(color=COLOURS[s], width=2),
                         marker=dict(size=8), hovertemplate=hover))
    y_title = t("ft.fig.acc_axis_seeds", lang, n=repeats) if repeats > 1 else t("ft.fig.acc_axis", lang)
    layout = dict(title=dict(text=t("ft.fig.sweep", lang), x=0.01), height=380, uirevision="sweep",
                  xaxis=axis(t("ft.fig.n_train", lang), type="log", tickvals=sizes or None),
                  yaxis=acc_axis(lows, chance, y_title))
    if chance is not None:
        layout["shapes"] = [dict(type="line", xref="paper", x0=0, x1=1, y0=100 * chance, y1=100 * chance,
                                 line=dict(color="#71717a", dash="dot"))]
    return plot_json(data, {**FRAME, **layout})


def results_table(results: list[dict], lang: str) -> pd.DataFrame:
    """One row per finished strategy; with no result yet, the headers alone."""
    rows = [[strategy_name(r["strategy"], lang), f"{r['trainable']:,}", round(r["pct"], 3),
             round(100 * r["test_acc"], 1), f"±{half_width(r['test_acc'], r['n_test']):.1f}", round(r["train_s"], 2),
             round(r["samples_per_s"], 1), round(r["peak_mem_mb"], 1), round(r["state_mem_mb"], 1),
             None if r["drift"] is None else round(r["drift"], 4), round(r["wall_s"], 2), r["lr"]] for r in results]
    return pd.DataFrame(rows, columns=[t(f"ft.col.{c}", lang) for c in COLUMNS])
