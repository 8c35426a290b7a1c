"""hybridsim.plot draws what it says (the artists, labels and markers), and `hybridsim report`
writes a page for a run and for a sweep."""
import subprocess
import sys

import matplotlib
import matplotlib.collections
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import hybridsim
from hybridsim import plot
from conftest import REPO_ROOT


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def halving_lines(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == ":"]


def test_power_stack_has_three_layers_the_cap_and_the_halving(default_run):
    events = hybridsim.table(default_run, "network_events")
    halvings = int((events.kind.values.astype(str) == "halving").sum())
    assert halvings == 1  # default.yaml crosses the April 2024 halving
    ax = plot.power_stack(default_run)
    stacks = [c for c in ax.collections if isinstance(c, matplotlib.collections.PolyCollection)]
    assert len(stacks) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ASICs", "GPUs", "curtailed", "cap"]
    cap = [line for line in ax.get_lines() if line.get_label() == "cap"]
    assert len(cap) == 1 and np.allclose(cap[0].get_ydata(), default_run.power_cap_mw.values)
    assert len(halving_lines(ax)) == halvings
    assert [t.get_text() for t in ax.texts] == ["halving"]
    # The halving line sits at the event's time.
    x = halving_lines(ax)[0].get_xdata()[0]
    assert np.datetime64(x) == events.time.values[events.kind.values.astype(str) == "halving"][0]
    assert ax.get_ylabel() == "grid power (MW)"
    # The stack's top is ASIC + GPU + curtailed power.
    top = stacks[-1].get_paths()[0].vertices[:, 1].max()
    expected = (default_run.asic_power_mw + default_run.gpu_power_mw + default_run.curtailed_mw).max()
    assert top == pytest.approx(float(expected))


def test_accounts_add_up_to_the_cash(default_run):
    frame = plot.accounts(default_run)
    initial = plot.scenario(default_run)["finance"]["initial_cash_usd"]
    assert initial + frame.total_usd.sum() == pytest.approx(float(default_run.cash_usd[-1]), rel=1e-9, abs=1e-3)
    assert set(frame.kind) <= {"revenue", "operating_cost", "capital", "financing", "treasury"}
    energy = frame.set_index("account").loc["energy"]
    assert energy.cash_sign == -1 and energy.total_usd == pytest.approx(-float(default_run.energy_cost_usd.sum()))
    ax = plot.accounts_bars(default_run)
    moved = frame[frame.total_usd.abs() >= 0.01]
    assert len(ax.patches) == len(moved)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(moved.account.str.replace("_", " "))
    assert "million USD" in ax.get_xlabel()


def cohort_fixture():
    """A run-like Dataset with machines_running(time, cohort), as docs/output.md lays it out."""
    time = pd.date_range("2024-01-02", periods=4, freq="D")
    scenario = """
facility:
  halls: [{name: mining, pue: 1.1}, {name: cool, pue: 1.0}]
  asic_cohorts:
    - {model: Old, count: 100, hashrate_ths: 100, power_w: 3250, hall: mining}
    - {model: New, count: 50, hashrate_ths: 200, power_w: 3500, hall: cool}
  pool: {model: fpps, fee: 0.02}
"""
    return xr.Dataset(
        {"machines_running": (("time", "cohort"), np.array([[100, 50], [80, 50], [0, 50], [0, 49]], dtype=np.int64)),
         "power_price_usd_per_mwh": ("time", np.array([50.0, 50.0, 100.0, -10.0])),
         "hashprice_usd_per_th_day": ("time", np.array([0.06, 0.05, 0.04, 0.05]))},
        coords={"time": time, "cohort": ["Old", "New"]}, attrs={"scenario_yaml": scenario})


def test_breakeven_by_hand():
    ds = cohort_fixture()
    be = plot.breakeven(ds)
    assert be.dims == ("time", "cohort") and list(be.cohort.values) == ["Old", "New"]
    # Old: 32.5 J/TH x 24 h x PUE 1.1 x 50 USD/MWh / 1e6 / (1 - 0.02) = 0.043775510... USD per TH/s per day
    assert float(be.sel(cohort="Old")[0]) == pytest.approx(32.5 * 24 * 1.1 * 50 / 1e6 / 0.98, rel=1e-12)
    assert float(be.sel(cohort="Old")[0]) == pytest.approx(0.0437755102, rel=1e-9)
    # New: 17.5 J/TH in a hall with PUE 1.0; twice the price, twice the break-even; negative price, negative.
    assert float(be.sel(cohort="New")[2]) == pytest.approx(17.5 * 24 * 1.0 * 100 / 1e6 / 0.98, rel=1e-12)
    assert float(be.sel(cohort="New")[3]) < 0


def test_hashprice_breakeven_draws_one_line_per_cohort(default_run):
    ax = plot.hashprice_breakeven(default_run)
    cohorts = plot.scenario(default_run)["facility"]["asic_cohorts"]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == len(cohorts) == 3
    # Labelled by the cohort coordinate (machines_running's), else by the cohorts' models.
    names = list(default_run.cohort.values) if "cohort" in default_run.coords else [c["model"] for c in cohorts]
    assert [line.get_label() for line in dashed] == [f"break-even: {n}" for n in names]
    assert len(halving_lines(ax)) == 1
    assert "pool fee 2%" in ax.get_title()
    assert ax.get_ylabel() == "USD per TH/s per day"


def test_machines_running_draws_each_cohort_of_the_2d_variable():
    ds = cohort_fixture()
    ax = plot.machines_running(ds)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["Old", "New"]
    assert list(lines[0].get_ydata()) == [100, 80, 0, 0]
    assert ax.get_ylabel() == "machines running"


def test_fan_draws_two_bands_and_a_median(py_sweep):
    ax = plot.fan(py_sweep, "cash_usd", scale=plot.MUSD, units="million USD", title="Cash")
    bands = [c for c in ax.collections if isinstance(c, matplotlib.collections.PolyCollection)]
    assert [b.get_label() for b in bands] == ["5%–95%", "25%–75%"]
    assert [line.get_label() for line in ax.get_lines()] == ["median"]
    median = py_sweep.cash_usd.median("run").values * 1e-6
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), median)
    assert ax.get_title() == "Cash (12 runs)" and ax.get_ylabel() == "million USD"


def test_npv_distribution_counts_every_run(py_sweep):
    table = hybridsim.members(py_sweep)
    ax = plot.npv_distribution(table)
    assert sum(p.get_height() for p in ax.patches) == len(table)
    assert ax.get_xlabel() == "npv_usd (million USD)"


def test_tornado_has_a_low_and_a_high_bar_per_swept_key(py_sweep):
    table = hybridsim.members(py_sweep)
    s = plot.sensitivity(table)
    assert set(s.parameter) == {"world.btc_price.vol_per_year", "facility.asic_cohorts[0].count"}
    # A grid's "bottom decile" of a key with two values is its lower value: the mean over those runs.
    vol = s.set_index("parameter").loc["world.btc_price.vol_per_year"]
    low = table[table["world.btc_price.vol_per_year"] == 0.4].npv_usd.mean()
    assert vol.low == pytest.approx(low)
    ax = plot.tornado(table)
    assert len(ax.patches) == 2 * len(s)
    labels = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert labels == list(s.parameter)  # widest swing first, drawn on top


def test_sobol_bars_take_a_dataframe():
    indices = pd.DataFrame({"metric": ["npv_usd"] * 3 + ["cash_usd"] * 3,
                            "parameter": ["a", "b", "c"] * 2,
                            "S1": [0.1, 0.5, 0.2, 0.3, 0.3, 0.3], "ST": [0.15, 0.6, 0.3, 0.4, 0.4, 0.4]})
    ax = plot.sobol_bars(indices, metric="npv_usd")
    assert len(ax.patches) == 6
    assert [t.get_text() for t in ax.get_xticklabels()] == ["b", "c", "a"]  # by ST, largest first
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["S1", "ST"]


@pytest.mark.parametrize("kind", ["run", "sweep"])
@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_report_writes_a_page(cli, tmp_path, default_run_file, cli_sweep, kind, suffix):
    source = default_run_file if kind == "run" else cli_sweep
    out = tmp_path / f"report.{suffix}"
    result = cli("report", source, "-o", out)
    assert result.stdout.strip() == str(out)
    magic = b"\x89PNG\r\n\x1a\n" if suffix == "png" else b"%PDF"
    data = out.read_bytes()
    assert data.startswith(magic)
    assert len(data) > 20_000  # a page of panels, not an empty canvas


def test_report_refuses_a_file_that_is_not_a_result(cli, tmp_path):
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("not hdf5")
    result = cli("report", bogus, "-o", tmp_path / "r.png", check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(f"hybridsim report: {bogus}:")
    assert not (tmp_path / "r.png").exists()


def test_the_old_plot_script_still_draws_a_run(default_run_file, tmp_path):
    png = tmp_path / "run.png"
    script = REPO_ROOT / "tools" / "python" / "hybridsim_plot.py"
    result = subprocess.run([sys.executable, str(script), str(default_run_file), "-o", str(png)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sobol_sweep(cli, tmp_path_factory):
    """A small sobol sweep (8 samples x 4 blocks) and its `hybridsim analyze -o` file."""
    folder = tmp_path_factory.mktemp("sobol")
    block = {"method": "sobol", "samples": 8,
             "params": {"world.btc_price.vol_per_year": {"min": 0.4, "max": 0.8},
                        "facility.asic_cohorts[0].count": {"min": 1000, "max": 3000}}}
    sweep = folder / "sobol.h5"
    hybridsim.sweep(REPO_ROOT / "scenarios" / "default.yaml", sweep=block, jobs=2, set={"horizon_years": 0.1},
                    path=sweep)
    sens = folder / "sens.h5"
    cli("analyze", sweep, "-o", sens, "--resamples", "100")
    return sweep, sens


def test_open_sensitivity_and_its_bars(sobol_sweep):
    _, sens = sobol_sweep
    frame = hybridsim.open_sensitivity(sens)
    assert list(frame.columns) == ["metric", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high",
                                   "status"]
    npv = frame[frame.metric == "npv_usd"]
    assert set(npv.parameter) == {"world.btc_price.vol_per_year", "facility.asic_cohorts[0].count"}
    ax = plot.sobol_bars(frame)
    assert len(ax.patches) == 4  # S1 and ST of two parameters
    assert ax.get_title() == "Sobol' indices of npv_usd"
    assert len([c for c in ax.containers if getattr(c, "errorbar", None) is not None]) == 2  # intervals drawn


@pytest.mark.parametrize("with_sweep", [True, False])
def test_report_draws_the_sobol_indices(cli, tmp_path, sobol_sweep, with_sweep):
    sweep, sens = sobol_sweep
    out = tmp_path / "sobol.png"
    args = (sweep, "--sensitivity", sens) if with_sweep else (sens,)
    cli("report", *args, "-o", out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000
