"""One page summing up a run's or a sweep's HDF5 file (``hybridsim report FILE -o OUT``).

    python3 -m hybridsim.report results/default.h5 -o report.png     # or .pdf

A run: power stacked under the cap, hashprice against each cohort's break-even, machines
running by cohort, cash, money by account, the headline figures. A sweep: fan charts of
cash, hashprice and grid power, the NPV distribution, a tornado chart of the swept
parameters, and Sobol' indices when the file holds them (a group with metric, parameter,
S1 and ST columns).
"""
import argparse
import math
import textwrap
import sys

import matplotlib.pyplot as plt
import xarray as xr

from . import plot
from .runs import is_sweep, members, table

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


def _sobol_table(ds):
    """A sensitivity table stored in the file, if any (a group with metric, parameter, S1, ST)."""
    for name in ("sobol", "sensitivity"):
        try:
            frame = table(ds, name).to_dataframe()
        except (KeyError, OSError, ValueError):
            continue
        if {"parameter", "S1", "ST"} <= set(frame.columns):
            return frame
    return None


def _span(column):
    if column.dtype.kind in "fiu":
        return f"{column.min():g} … {column.max():g} ({column.nunique()} values)"
    if column.dtype.kind == "M":
        return f"{column.min():%Y-%m-%d} … {column.max():%Y-%m-%d}"
    return ", ".join(map(str, column.unique()))


def sweep_page(ds, path):
    frame = members(ds)
    done = int(frame["done"].sum()) if "done" in frame else len(frame)
    sobol = _sobol_table(ds)
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
    lines = [f"{done} of {len(frame)} members done", f"method {ds.attrs.get('sweep_method', '?')}, "
             f"{ds.attrs.get('replications', '?')} replications per point"]
    lines += [f"{key}:\n  {_span(frame[key])}" for key in keys]
    if metric:
        npv = frame.loc[frame["done"], metric] if "done" in frame else frame[metric]
        lines.append(f"NPV median {npv.median() / 1e6:,.1f} M USD\n  5–95 %: "
                     f"{npv.quantile(0.05) / 1e6:,.1f} … {npv.quantile(0.95) / 1e6:,.1f} M USD")
    text.text(0, 1, "\n".join(lines), family="monospace", fontsize=10, va="top", transform=text.transAxes)
    fig.suptitle(_title(ds, path), fontsize=13)
    return fig


def report(path, output):
    """Writes the page for the file at ``path`` to ``output`` (.png or .pdf); returns output."""
    ds = xr.open_dataset(path, engine="h5netcdf")
    with ds:
        fig = sweep_page(ds, path) if is_sweep(ds) else run_page(ds, path)
        fig.savefig(output, dpi=100)
        plt.close(fig)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hybridsim report", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="HDF5 file written by `hybridsim run` or `hybridsim sweep`")
    parser.add_argument("-o", "--output", help="image to write: .png or .pdf (default: the file name with .png)")
    args = parser.parse_args(argv)
    output = args.output or args.file.rsplit(".", 1)[0] + ".png"
    if not output.lower().endswith((".png", ".pdf")):
        print(f"hybridsim report: -o {output}: the output must end in .png or .pdf", file=sys.stderr)
        return 2
    try:
        print(report(args.file, output))
    except (OSError, ValueError, KeyError) as e:
        print(f"hybridsim report: {args.file}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
