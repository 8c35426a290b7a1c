"""Figures of a run or a sweep (matplotlib: inline in a notebook, off-screen Agg without a display).

Every function takes the Dataset that ``hybridsim.run``/``open_run`` (or ``sweep``/
``open_sweep``) returned and draws on ``ax`` (a new figure when None); it returns the axes.

Single runs
    power_stack        grid power of ASICs, GPUs and the curtailed demand, stacked, under the
                       cap, with halvings marked (from the ``network_events`` table)
    accounts_bars      each ledger account's run total (cash_sign × Σ flow), by account kind
    hashprice_breakeven  hashprice against each ASIC cohort's break-even (formula below)
    machines_running   machines running by cohort
    cash               cash over time
Sweeps
    fan                quantile bands over runs of one series (cash, hashprice, power, ...)
    npv_distribution   the distribution of a summary figure (NPV) over runs
    tornado            which swept parameters move a summary figure most (low vs high decile)
    sobol_bars         first- and total-order Sobol' indices from a DataFrame

Break-even hashprice of a cohort (USD per TH/s per day, gross of the pool fee):

    b(t) = power_w / hashrate_ths × 24 h × PUE × p(t) / 10^6 / (1 − f)

with the cohort's machine power (W) and hashrate (TH/s) and its hall's PUE from the run's
``scenario_yaml``, the recorded power price p (USD/MWh, ``power_price_usd_per_mwh``) and the
pool fee f (``facility.pool.fee``; 0 for solo mining). The cohort earns its power while the
hashprice is above b: the same rule the fleet applies (docs/models/bitcoin.md), with the pool
fee moved to the break-even side so the curve compares with the recorded gross hashprice.
"""

# No matplotlib.use(): a notebook keeps its inline backend, and without a display matplotlib
# falls back to Agg by itself.
import matplotlib  # noqa: E402
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.patches  # noqa: E402,F401  (accounts_bars legend)
import matplotlib.ticker  # noqa: E402,F401
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402
import yaml  # noqa: E402

from .runs import members, table  # noqa: E402

MUSD = 1e-6  # USD -> million USD

# One colour per kind of thing, the same in every figure.
COLORS = {
    "asic": "#d98c1f", "gpu": "#3a6fb0", "curtailed": "#b9b9b9", "cap": "#202020",
    "revenue": "#2e8b57", "operating_cost": "#c0392b", "capital": "#7d5ba6", "financing": "#5f7f8f",
    "treasury": "#c9a227", "cash": "#202020", "hashprice": "#202020",
}


def cohort_colors(n):
    """One distinct colour per cohort (the same in the break-even and the machines figures)."""
    return [plt.get_cmap("tab10")(i % 10) for i in range(n)]


def _legend_on_top(ax, ncol, data_top):
    """The legend in a band above the data (the y axis stretched by a third), hiding none of it."""
    ax.set_ylim(0, max(data_top, 1e-12) * 1.35)
    ax.legend(loc="upper right", fontsize="small", ncol=ncol, framealpha=0.9)


def _axes(ax, figsize=(9, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _date_axis(ax):
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _label(da, default_units=""):
    units = da.attrs.get("units", default_units)
    return f"{da.attrs.get('long_name', da.name)} ({units})" if units else da.attrs.get("long_name", da.name)


def scenario(ds):
    """The run's resolved scenario (``scenario_yaml``) as a dict."""
    return yaml.safe_load(ds.attrs.get("scenario_yaml", "")) or {}


# ---- single runs ---------------------------------------------------------------------------

def halvings(ds, events=None):
    """Times of the halvings during the run (``network_events`` rows of kind 'halving')."""
    if events is None:
        try:
            events = table(ds, "network_events")
        except KeyError:
            return np.array([], dtype="datetime64[ns]")
    kinds = events["kind"].values.astype(str)
    return events["time"].values[kinds == "halving"]


def mark_halvings(ax, times):
    """A dotted vertical line at each halving, labelled at the foot of the axes (legends sit at
    the top), on a pale box so that it reads over filled areas."""
    lines = []
    for t in times:
        lines.append(ax.axvline(t, color="#555555", linestyle=":", linewidth=1.2, zorder=5))
        ax.annotate("halving", xy=(t, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                    textcoords="offset points", ha="left", va="bottom", fontsize="small", color="#333333",
                    zorder=6, bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8))
    return lines


def power_stack(ds, events=None, ax=None):
    """Grid power stacked by kind — ASICs, GPUs, then the demand dispatch left unserved —
    under the interconnect cap (MW), with the run's halvings marked."""
    ax = _axes(ax)
    t = ds["time"].values
    layers = [("asic_power_mw", "ASICs", COLORS["asic"]), ("gpu_power_mw", "GPUs", COLORS["gpu"]),
              ("curtailed_mw", "curtailed", COLORS["curtailed"])]
    layers = [layer for layer in layers if layer[0] in ds]
    ax.stackplot(t, *[ds[name].values for name, _, _ in layers], labels=[label for _, label, _ in layers],
                 colors=[color for _, _, color in layers], alpha=0.85, linewidth=0)
    if "power_cap_mw" in ds:
        ax.step(t, ds["power_cap_mw"].values, where="pre", color=COLORS["cap"], linewidth=1.5, label="cap")
    mark_halvings(ax, halvings(ds, events))
    ax.set_ylabel("grid power (MW)")
    ax.set_title("Power: stacked by load, under the cap")
    # Headroom above the stack for the legend, so that it hides no data.
    top = max(float(np.nanmax(np.sum([ds[n].values for n, _, _ in layers], axis=0))) if layers else 0.0,
              float(np.nanmax(ds["power_cap_mw"].values)) if "power_cap_mw" in ds else 0.0, 1.0)
    ax.set_ylim(0, top * 1.3)
    ax.legend(loc="upper right", fontsize="small", ncol=4, framealpha=0.9)
    ax.grid(alpha=0.3)
    _date_axis(ax)
    return ax


def accounts(ds):
    """Every ledger account's run total: a DataFrame (account, variable, kind, cash_sign,
    total_usd = cash_sign × Σ_time flow), inflows first, largest first within a sign."""
    rows = []
    for name, var in ds.data_vars.items():
        if "account" in var.attrs and var.dims[-1:] == ("time",):
            sign = float(var.attrs.get("cash_sign", 1))
            rows.append({"account": var.attrs["account"], "variable": name,
                         "kind": var.attrs.get("account_kind", ""), "cash_sign": sign,
                         "total_usd": sign * float(var.sum("time"))})
    frame = pd.DataFrame(rows, columns=["account", "variable", "kind", "cash_sign", "total_usd"])
    return frame.sort_values("total_usd", ascending=False, ignore_index=True)


def accounts_bars(ds, ax=None, skip_zero=True):
    """Revenue and cost by ledger account: each account's run total in million USD (inflows
    right, outflows left), coloured by account kind."""
    ax = _axes(ax, figsize=(8, 5))
    frame = accounts(ds)
    if skip_zero:  # below a cent: rounding residue of an account that did not move
        frame = frame[frame["total_usd"].abs() >= 0.01]
    y = np.arange(len(frame))[::-1]
    colors = [COLORS.get(kind, "#888888") for kind in frame["kind"]]
    ax.barh(y, frame["total_usd"] * MUSD, color=colors)
    ax.set_yticks(y, frame["account"].str.replace("_", " "), fontsize="small")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("run total (million USD; + inflow, − outflow)")
    ax.set_title("Money by account")
    kinds = list(dict.fromkeys(frame["kind"]))
    handles = [matplotlib.patches.Patch(color=COLORS.get(k, "#888888"), label=k.replace("_", " ")) for k in kinds]
    ax.legend(handles=handles, fontsize="small", loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return ax


def _cohort_names(ds):
    """Labels of the cohorts: the `cohort` coordinate when recorded, else the scenario's models."""
    if "cohort" in ds.coords:
        return [str(c) for c in ds["cohort"].values]
    cohorts = scenario(ds).get("facility", {}).get("asic_cohorts", [])
    return [c.get("model", f"cohort {i}") for i, c in enumerate(cohorts)]


def breakeven(ds):
    """Each ASIC cohort's break-even hashprice over time (USD per TH/s per day, gross of the
    pool fee): a DataArray (time, cohort). See the module's doc for the formula."""
    sc = scenario(ds)
    facility = sc.get("facility", {})
    cohorts = facility.get("asic_cohorts", [])
    pue = {h.get("name"): float(h.get("pue", 1.0)) for h in facility.get("halls", [])}
    fee = float(facility.get("pool", {}).get("fee", 0.0))
    price = ds["power_price_usd_per_mwh"]
    names = _cohort_names(ds)
    if len(names) != len(cohorts):
        names = [c.get("model", f"cohort {i}") for i, c in enumerate(cohorts)]
    curves = []
    for c in cohorts:
        j_per_th = float(c["power_w"]) / float(c["hashrate_ths"])
        curves.append(j_per_th * 24.0 * pue.get(c.get("hall"), 1.0) * price / 1e6 / (1.0 - fee))
    if not curves:
        return xr.DataArray(np.zeros((ds.sizes["time"], 0)), dims=("time", "cohort"),
                            coords={"time": ds["time"], "cohort": []})
    out = xr.concat(curves, dim="cohort").assign_coords(cohort=names).transpose("time", "cohort")
    out.attrs = {"units": "USD/(TH/s)/day", "long_name": "break-even hashprice", "pool_fee": fee}
    return out


def hashprice_breakeven(ds, events=None, ax=None):
    """The recorded hashprice (gross) against each cohort's break-even (dashed), in USD per
    TH/s per day, with halvings marked. Above its line a cohort earns its power."""
    ax = _axes(ax)
    t = ds["time"].values
    ax.plot(t, ds["hashprice_usd_per_th_day"].values, color=COLORS["hashprice"], linewidth=1.6, label="hashprice")
    be = breakeven(ds)
    palette = cohort_colors(be.sizes["cohort"])
    for i, name in enumerate(be["cohort"].values):
        ax.plot(t, be.isel(cohort=i).values, linestyle="--", color=palette[i], linewidth=1.3,
                label=f"break-even: {name}")
    mark_halvings(ax, halvings(ds, events))
    fee = be.attrs.get("pool_fee", 0.0)
    ax.set_ylabel("USD per TH/s per day")
    ax.set_title(f"Hashprice vs break-even by cohort (pool fee {fee:.0%})")
    top = float(np.nanmax(ds["hashprice_usd_per_th_day"].values))
    if be.sizes["cohort"]:
        top = max(top, float(be.max()))
    _legend_on_top(ax, 2, top)
    ax.grid(alpha=0.3)
    _date_axis(ax)
    return ax


def _machines_running(ds):
    """machines_running (time, cohort); files written before it existed had one variable per
    cohort (asic_running_<i>), stacked here into the same shape."""
    if "machines_running" in ds:
        return ds["machines_running"]
    old = [v for v in ds.data_vars if v.startswith("asic_running_")]
    if not old:
        return None
    names = _cohort_names(ds)
    if len(names) != len(old):
        names = old
    return xr.concat([ds[v] for v in old], dim="cohort").assign_coords(cohort=names).transpose("time", "cohort")


def machines_running(ds, ax=None):
    """Machines running in each ASIC cohort over time."""
    ax = _axes(ax)
    running = _machines_running(ds)
    if running is None:
        ax.text(0.5, 0.5, "no ASIC cohorts", ha="center", va="center", transform=ax.transAxes)
        return ax
    palette = cohort_colors(running.sizes["cohort"])
    for i, name in enumerate(running["cohort"].values):
        ax.plot(running["time"].values, running.isel(cohort=i).values, color=palette[i], label=str(name))
    ax.set_ylabel("machines running")
    ax.set_title("ASICs running by cohort")
    _legend_on_top(ax, min(running.sizes["cohort"], 3), float(running.max()))
    ax.grid(alpha=0.3)
    _date_axis(ax)
    return ax


def cash(ds, ax=None):
    """Cash over time (million USD)."""
    ax = _axes(ax)
    ax.plot(ds["time"].values, ds["cash_usd"].values * MUSD, color=COLORS["cash"])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("million USD")
    ax.set_title("Cash")
    ax.grid(alpha=0.3)
    _date_axis(ax)
    return ax


# ---- sweeps --------------------------------------------------------------------------------

FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def fan(ds, variable, ax=None, scale=1.0, units=None, title=None, quantiles=FAN_QUANTILES, color="#3a6fb0"):
    """Quantile bands over the sweep's completed runs of a (run, time) series: the outer
    quantiles (5–95 %) light, the inner (25–75 %) darker, the median a line. ``scale``
    multiplies the values (``units`` then names the result's units)."""
    ax = _axes(ax)
    da = ds[variable]
    if "done" in ds:
        da = da.where(ds["done"] == 1, drop=True)
    q = da.quantile(list(quantiles), dim="run") * scale
    t = ds["time"].values
    n = len(quantiles)
    for k in range(n // 2):
        lo, hi = quantiles[k], quantiles[n - 1 - k]
        ax.fill_between(t, q.sel(quantile=lo).values, q.sel(quantile=hi).values, color=color,
                        alpha=0.2 + 0.25 * k, linewidth=0, label=f"{lo:.0%}–{hi:.0%}")
    if n % 2:
        ax.plot(t, q.sel(quantile=quantiles[n // 2]).values, color=color, linewidth=1.5, label="median")
    units = units if units is not None else da.attrs.get("units", "")
    ax.set_ylabel(units)
    ax.set_title(f"{title or da.attrs.get('long_name', variable)} ({da.sizes['run']} runs)")
    ax.legend(fontsize="small", loc="best")
    ax.grid(alpha=0.3)
    _date_axis(ax)
    return ax


def _table(ds_or_table):
    return ds_or_table if isinstance(ds_or_table, pd.DataFrame) else members(ds_or_table)


def npv_distribution(ds_or_table, metric="npv_usd", ax=None, bins=30):
    """Histogram of a summary figure over the completed runs (million USD for USD figures),
    with its median and the share of runs below zero."""
    ax = _axes(ax, figsize=(7, 4))
    frame = _table(ds_or_table)
    if "done" in frame:
        frame = frame[frame["done"]]
    values = frame[metric].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    usd = metric.endswith("_usd")
    shown = values * MUSD if usd else values
    ax.hist(shown, bins=min(bins, max(5, len(shown) // 2)), color="#3a6fb0", alpha=0.8)
    if len(shown):
        median = float(np.median(shown))
        ax.axvline(median, color="black", linewidth=1.2, label=f"median {median:,.1f}")
        if usd:
            ax.axvline(0, color="#c0392b", linewidth=1, linestyle="--",
                       label=f"below 0: {np.mean(values < 0):.0%} of runs")
        ax.legend(fontsize="small")
    ax.set_xlabel(f"{metric} (million USD)" if usd else metric)
    ax.set_ylabel("runs")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(f"Distribution of {metric} over {len(values)} runs")
    ax.grid(alpha=0.3)
    return ax


def swept_keys(frame):
    """The swept parameters of a member table: its columns between the member bookkeeping
    (point, replication, seed, sobol_*) and done."""
    skip = {"point", "replication", "seed", "done", "sobol_block", "sobol_sample"}
    out = []
    for name in frame.columns:
        if name == "done":
            break
        if name not in skip:
            out.append(name)
    return out


def sensitivity(ds_or_table, metric="npv_usd", decile=0.1):
    """How each swept parameter moves a summary figure: a DataFrame (parameter, low, high,
    swing, spearman) sorted by swing. low/high are the figure's mean over the runs whose
    value is in the parameter's bottom/top decile (for a parameter with few values — a grid
    — its lowest/highest value; for strings, the lowest and highest category means);
    spearman is the rank correlation of the parameter with the figure (NaN for strings)."""
    frame = _table(ds_or_table)
    if "done" in frame:
        frame = frame[frame["done"]]
    y = frame[metric].astype(float)
    rows = []
    for key in swept_keys(frame):
        x = frame[key]
        if x.nunique() < 2:
            continue
        if x.dtype.kind in "fiuM":
            xv = x.astype("int64") if x.dtype.kind == "M" else x.astype(float)
            lo_cut, hi_cut = xv.quantile(decile), xv.quantile(1 - decile)
            low, high = y[xv <= lo_cut].mean(), y[xv >= hi_cut].mean()
            rho = xv.rank().corr(y.rank())
        else:
            means = y.groupby(x.astype(str)).mean()
            low, high, rho = means.min(), means.max(), np.nan
        rows.append({"parameter": key, "low": low, "high": high, "swing": abs(high - low), "spearman": rho})
    out = pd.DataFrame(rows, columns=["parameter", "low", "high", "swing", "spearman"])
    return out.sort_values("swing", ascending=False, ignore_index=True)


def tornado(ds_or_table, metric="npv_usd", ax=None, decile=0.1):
    """Tornado chart: for each swept parameter, the mean of ``metric`` over the runs with the
    parameter in its bottom decile and in its top decile, as bars from the mean over all runs
    (where both would sit if the parameter did not matter); the widest on top. Labels give
    Spearman's rank correlation."""
    ax = _axes(ax, figsize=(8, 4))
    frame = _table(ds_or_table)
    s = sensitivity(frame, metric, decile)
    done = frame[frame["done"]] if "done" in frame else frame
    usd = metric.endswith("_usd")
    scale = MUSD if usd else 1.0
    center = float(done[metric].astype(float).mean()) * scale
    y = np.arange(len(s))[::-1]
    low, high = s["low"].to_numpy() * scale, s["high"].to_numpy() * scale
    # Low and high side by side (not on top of each other): both may lie on one side of the median.
    ax.barh(y + 0.2, low - center, left=center, height=0.4, color="#c0392b", label="parameter low (bottom decile)")
    ax.barh(y - 0.2, high - center, left=center, height=0.4, color="#2e8b57", label="parameter high (top decile)")
    labels = [f"{p}\nρ = {r:+.2f}" if np.isfinite(r) else p for p, r in zip(s["parameter"], s["spearman"])]
    ax.set_yticks(y, labels, fontsize="small")
    ax.axvline(center, color="black", linewidth=1)
    ax.set_xlabel(f"mean {metric} (million USD)" if usd else f"mean {metric}")
    ax.set_title(f"What moves {metric} (mean {center:,.1f}{' million USD' if usd else ''})")
    ax.use_sticky_edges = False  # bars stick the view to their base, the baseline: keep it off the frame
    ax.margins(x=0.1)
    ax.legend(fontsize="small", loc="best")
    ax.grid(axis="x", alpha=0.3)
    return ax


def sobol_bars(indices, metric=None, ax=None):
    """First-order (S1) and total-order (ST) Sobol' indices per parameter as paired bars.
    ``indices``: a DataFrame with columns metric, parameter, S1, ST, and optionally the
    intervals S1_low/S1_high, ST_low/ST_high (``hybridsim.open_sensitivity``, the CSV of
    ``hybridsim analyze``) or half-widths S1_conf/ST_conf, drawn as error bars; ``metric``
    picks one metric (default: npv_usd when present, else the first)."""
    ax = _axes(ax, figsize=(8, 4))
    frame = indices
    if "metric" in frame:
        if metric is None:
            metric = "npv_usd" if (frame["metric"] == "npv_usd").any() else frame["metric"].iloc[0]
        frame = frame[frame["metric"] == metric]
    frame = frame.sort_values("ST", ascending=False)
    x = np.arange(len(frame))
    width = 0.4
    for offset, column, color in ((-width / 2, "S1", "#3a6fb0"), (width / 2, "ST", "#d98c1f")):
        err = None
        if f"{column}_low" in frame and f"{column}_high" in frame:
            err = np.vstack([frame[column] - frame[f"{column}_low"], frame[f"{column}_high"] - frame[column]])
            err = np.clip(err, 0, None)  # an interval need not contain its estimate
        elif f"{column}_conf" in frame:
            err = frame[f"{column}_conf"]
        ax.bar(x + offset, frame[column], width, yerr=err, color=color, label=column, capsize=3)
    ax.set_xticks(x, frame["parameter"], rotation=20, ha="right", fontsize="small")
    ax.set_ylabel("Sobol' index")
    ax.axhline(0, color="black", linewidth=0.8)  # estimates of small indices may come out negative
    ax.set_title(f"Sobol' indices of {metric}" if metric else "Sobol' indices")
    ax.legend(fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return ax
