#!/usr/bin/python3
"""Draw the usual figures of one hybridsim run: the bitcoin world, the fleet, the money.

    /usr/bin/python3 tools/python/hybridsim_plot.py results/default.h5 -o results/default.png

Reads the file with xarray (engine h5netcdf) exactly as a notebook would; panels whose
variables a run does not have (no GPUs, say) are left out.
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import xarray as xr  # noqa: E402


def panels(ds):
    """The panels this run can fill: (title, [(variable, label, scale)], y label)."""
    out = [
        ("BTC price", [("btc_price_usd", "price", 1.0)], "USD"),
        ("Hashprice", [("hashprice_usd_per_th_day", "hashprice", 1.0)], "USD per TH/s per day"),
        ("Network", [("network_hashrate_ehs", "hashrate", 1.0)], "EH/s"),
        ("Grid power", [("asic_power_mw", "ASICs", 1.0), ("gpu_power_mw", "GPUs", 1.0),
                        ("facility_power_mw", "total", 1.0), ("power_cap_mw", "cap", 1.0)], "MW"),
    ]
    if "machines_running" in ds and "cohort" in ds["machines_running"].dims:
        # One variable over the `cohort` dimension, labelled by the cohorts' names: drawn
        # stacked (draw_stacked), so that cohorts running the same count do not hide each other.
        out.append(("ASICs running by cohort", [("machines_running", "stacked", 1.0)], "machines"))
    if "gpu_utilization" in ds:
        out.append(("GPU utilization", [("gpu_utilization", "owned GPUs busy", 100.0)], "%"))
    out.append(("Cumulative money",
                [("mining_revenue_usd", "mining revenue", 1e-6), ("ai_revenue_usd", "AI revenue", 1e-6),
                 ("energy_cost_usd", "energy cost", 1e-6)], "million USD"))
    out.append(("Cash", [("cash_usd", "cash", 1e-6)], "million USD"))
    return out


def draw_stacked(ax, values):
    """A (time, label) series as stacked areas, one band per label of its second dimension."""
    dimension = values.dims[1]
    labels = [str(label) for label in values[dimension].values]
    ax.stackplot(values.time.values, values.transpose(dimension, "time").values, labels=labels, alpha=0.8)
    ax.legend(fontsize="small", loc="upper left")


def plot(path, output):
    ds = xr.open_dataset(path, engine="h5netcdf")
    chosen = [(t, [s for s in series if s[0] in ds], y) for t, series, y in panels(ds)]
    chosen = [p for p in chosen if p[1]]
    cols = 2
    rows = (len(chosen) + 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(12, 3 * rows), sharex=True, squeeze=False)
    for ax, (title, series, ylabel) in zip(axes.flat, chosen):
        for name, label, scale in series:
            if label == "stacked":
                draw_stacked(ax, ds[name] * scale)
                continue
            values = ds[name] * scale
            if ds[name].attrs.get("cell_methods") == "time: sum":
                values = values.cumsum("time")  # flows are per interval: show the running total
            ax.plot(ds.time.values, values.values, label=label)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        if len(series) > 1:
            ax.legend(fontsize="small")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(chosen):]:
        ax.set_visible(False)
    fig.suptitle(f"{ds.attrs.get('title', path)} (seed {ds.attrs.get('seed', '?')})")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(output, dpi=100)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="HDF5 file written by `hybridsim run`")
    parser.add_argument("-o", "--output", help="image to write (default: the file name with .png)")
    args = parser.parse_args(argv)
    output = args.output or args.file.rsplit(".", 1)[0] + ".png"
    try:
        print(plot(args.file, output))
    except (OSError, ValueError) as e:
        print(f"hybridsim_plot: {args.file}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
