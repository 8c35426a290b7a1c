"""One page summing up a run's or a sweep's HDF5 file (``hybridsim report FILE -o OUT``).

    python3 -m hybridsim.report results/default.h5 -o report.png     # or .pdf

A run: power stacked under the cap, hashprice against each cohort's break-even, machines
running by cohort, cash, money by account, the headline figures. A sweep: fan charts of
cash, hashprice and grid power, the NPV distribution, a tornado chart of the swept
parameters, and Sobol' indices with ``--sensitivity FILE`` (``hybridsim analyze -o FILE``).
A sensitivity file alone: the Sobol' indices of its metrics.
"""
import argparse
import math
import textwrap
import sys

import matplotlib.pyplot as plt
import xarray as xr

from . import plot
from .runs import is_sweep, members, open_sensitivity

_HEADLINES = [
    ("npv_usd", "NPV", "musd"), ("irr_per_year", "IRR", "pct"), ("payback_date", "payback", "str"),
    ("revenue_usd", "revenue", "musd"), ("operating_cost_usd", "operating costs", "musd"),
    ("ebitda_usd", "EBITDA", "musd"), ("capital_spent_usd", "capital spent", "musd"),
    ("cash_usd", "cash at the horizon", "musd"), ("max_drawdown_usd", "deepest drawdown", "musd"),
    ("energy_mwh", "energy", "gwh"), ("curtailed_mwh", "curtailed", "gwh"),
    ("mining_revenue_btc", "BTC mined", "btc"), ("halvings", "halvings", "int"),
]


def _format(value, how):
    if how == "str":
        return str(value)
    value = float(value)
    if not math.isfinite(value):
        return "n/a"
    return {"musd": f"{value / 1e6:,.1f} M USD", "pct": f"{100 * value:.1f} %/year",
            "gwh": f"{value / 1e3:,.1f} GWh", "btc": f"{value:,.1f} BTC", "int": f"{value:.0f}"}[how]


def _headlines(ds):
    lines = []
    for key, label, how in _HEADLINES:
        value = ds.attrs.get(f"summary_{key}")
        if value is not None:
            lines.append(f"{label:<20} {_format(value, how)}")
    return "\n".join(lines)


def _title(ds, path, extra=""):
    """The scenario's name (bold line) and its description, wrapped to the page."""
    head = f"{ds.attrs.get('title', path)}{extra}"
    description = textwrap.fill(str(ds.attrs.get("description", "")), 150)
    return f"{head}\n{description}" if description else head


def run_page(ds, path):
    fig = plt.figure(figsize=(16, 11), layout="constrained")
    grid = fig.add_gridspec(3, 3)
    plot.power_stack(ds, ax=fig.add_subplot(grid[0, :2]))
    text = fig.add_subplot(grid[0, 2])
    text.axis("off")
    text.set_title("Headline figures", loc="left")
    text.text(0, 1, _headlines(ds), family="monospace", fontsize=10, va="top", transform=text.transAxes)
    if "hashprice_usd_per_th_day" in ds and "power_price_usd_per_mwh" in ds:
        plot.hashprice_breakeven(ds, ax=fig.add_subplot(grid[1, :2]))
    plot.accounts_bars(ds, ax=fig.add_subplot(grid[1:, 2]))
    plot.machines_running(ds, ax=fig.add_subplot(grid[2, 0]))
    plot.cash(ds, ax=fig.add_subplot(grid[2, 1]))
    fig.suptitle(_title(ds, path, f" (seed {ds.attrs.get('seed', '?')})"), fontsize=13)
    return fig


def _span(column):
    if column.dtype.kind in "fiu":
        return f"{column.min():g} … {column.max():g} ({column.nunique()} values)"
    if column.dtype.kind == "M":
        return f"{column.min():%Y-%m-%d} … {column.max():%Y-%m-%d}"
    return ", ".join(map(str, column.unique()))


def sweep_page(ds, path, sobol=None):
    """The sweep's page; ``sobol`` (open_sensitivity's table) adds the Sobol' indices."""
    frame = members(ds)
    done = int(frame["done"].sum()) if "done" in frame else len(frame)
    rows = 3 if sobol is not None else 2
    fig = plt.figure(figsize=(16, 4 + 3.5 * rows), layout="constrained")
    grid = fig.add_gridspec(rows, 3)
    plot.fan(ds, "cash_usd", ax=fig.add_subplot(grid[0, 0]), scale=plot.MUSD, units="million USD", title="Cash",
             color="#202020")
    plot.fan(ds, "hashprice_usd_per_th_day", ax=fig.add_subplot(grid[0, 1]), units="USD per TH/s per day",
             title="Hashprice", color="#d98c1f")
    plot.fan(ds, "facility_power_mw", ax=fig.add_subplot(grid[0, 2]), units="MW", title="Grid power",
             color="#3a6fb0")
    metric = "npv_usd" if "npv_usd" in frame else None
    keys = plot.swept_keys(frame)
    if metric:
        plot.npv_distribution(frame, metric, ax=fig.add_subplot(grid[1, 0]))
    if metric and keys:
        plot.tornado(frame, metric, ax=fig.add_subplot(grid[1, 1]))
    if sobol is not None:
        plot.sobol_bars(sobol, ax=fig.add_subplot(grid[2, :2]))
    text = fig.add_subplot(grid[rows - 1, 2])
    text.axis("off")
    text.set_title("Sweep", loc="left")
    lines = [f"{done} of {len(frame)} members done", f"method {ds.attrs.get('sweep_method', '?')}",
             f"replications per point: {ds.attrs.get('replications', '?')}"]
    lines += [f"{key}:\n  {_span(frame[key])}" for key in keys]
    if metric:
        npv = frame.loc[frame["done"], metric] if "done" in frame else frame[metric]
        lines.append(f"NPV median {npv.median() / 1e6:,.1f} M USD\n  5–95 %: "
                     f"{npv.quantile(0.05) / 1e6:,.1f} … {npv.quantile(0.95) / 1e6:,.1f} M USD")
    text.text(0, 1, "\n".join(lines), family="monospace", fontsize=10, va="top", transform=text.transAxes)
    fig.suptitle(_title(ds, path), fontsize=13)
    return fig


def sensitivity_page(sobol, path):
    """Sobol' indices of up to four metrics (npv_usd first) of a sensitivity file."""
    metrics = list(dict.fromkeys(sobol["metric"]))
    metrics = (["npv_usd"] if "npv_usd" in metrics else []) + [m for m in metrics if m != "npv_usd"]
    shown = [m for m in metrics if sobol.loc[sobol.metric == m, "ST"].notna().any()][:4]
    fig, axes = plt.subplots(2, 2, figsize=(14, 9), layout="constrained", squeeze=False)
    for ax, metric in zip(axes.flat, shown):
        plot.sobol_bars(sobol, metric, ax=ax)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    fig.suptitle(f"Sobol' indices: {path}", fontsize=13)
    return fig


def _is_sensitivity_file(path):
    import h5py
    with h5py.File(path, "r") as f:
        return "sensitivity" in f and "time" not in f


def report(path, output, sensitivity=None):
    """Writes the page for the file at ``path`` (a run, a sweep, or a sensitivity file of
    ``hybridsim analyze -o``) to ``output`` (.png or .pdf); ``sensitivity`` (such a file) adds
    a sweep's Sobol' indices. Returns output."""
    if _is_sensitivity_file(path):
        fig = sensitivity_page(open_sensitivity(path), path)
    else:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            if is_sweep(ds):
                sobol = open_sensitivity(sensitivity) if sensitivity else None
                fig = sweep_page(ds, path, sobol)
            else:
                fig = run_page(ds, path)
    fig.savefig(output, dpi=100)
    plt.close(fig)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hybridsim report", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="HDF5 file written by `hybridsim run`, `sweep` or `analyze -o`")
    parser.add_argument("--sensitivity", help="a sweep's sensitivity file (`hybridsim analyze -o`): adds its indices")
    parser.add_argument("-o", "--output", help="image to write: .png or .pdf (default: the file name with .png)")
    args = parser.parse_args(argv)
    plt.switch_backend("Agg")  # a command writes files: never open a window, with or without a display
    output = args.output or args.file.rsplit(".", 1)[0] + ".png"
    if not output.lower().endswith((".png", ".pdf")):
        print(f"hybridsim report: -o {output}: the output must end in .png or .pdf", file=sys.stderr)
        return 2
    try:
        print(report(args.file, output, args.sensitivity))
    except (OSError, ValueError, KeyError) as e:
        print(f"hybridsim report: {args.file}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
