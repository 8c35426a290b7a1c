"""The CLI end to end: run the shipped default scenario, open its file as a researcher would,
and check that bad input exits 2 with a located message and writes nothing."""
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT = REPO_ROOT / "scenarios" / "default.yaml"


@pytest.fixture(scope="module")
def default_run(hybridsim, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "default.h5"
    result = hybridsim("run", DEFAULT, "-o", out)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_run_prints_summary_and_path(default_run):
    out, stdout = default_run
    assert f"wrote           {out}" in stdout
    assert "halvings" in stdout and "mining_revenue_btc" in stdout


def test_default_file_opens_with_time_axis(default_run):
    out, _ = default_run
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert ds.time.dtype == np.dtype("datetime64[ns]")
    assert ds.time.values[0] == np.datetime64("2024-01-02T00:00:00")
    steps = np.diff(ds.time.values)
    assert (steps[:-1] == np.timedelta64(1, "D")).all()
    # Two Julian years are 730.5 days: the last interval is the half day up to the horizon.
    assert steps[-1] == np.timedelta64(12, "h")
    for name in ["btc_price_usd", "block_height", "block_subsidy_btc", "difficulty", "hashprice_usd_per_th_day",
                 "asic_power_mw", "energy_cost_usd", "mining_revenue_usd", "cash_usd", "network_hashrate_ehs",
                 "facility_hashrate_ths", "mining_revenue_btc", "fees_btc_per_block"]:
        assert name in ds, name
        assert ds[name].dims == ("time",)
        assert isinstance(ds[name].attrs["units"], str)
        assert isinstance(ds[name].attrs["long_name"], str) and ds[name].attrs["long_name"]


def test_default_run_crosses_the_2024_halving(default_run):
    out, _ = default_run
    ds = xr.open_dataset(out, engine="h5netcdf")
    subsidy = ds.block_subsidy_btc.values
    assert subsidy[0] == 6.25 and subsidy[-1] == 3.125
    crossing = ds.time.values[np.argmax(subsidy < 6.25)]
    # The halving date comes out of the block process: April 2024 give or take weeks.
    assert np.datetime64("2024-03-15") < crossing < np.datetime64("2024-05-31")
    events = xr.open_dataset(out, engine="h5netcdf", group="network_events").to_dataframe()
    halvings = events[events.kind == "halving"]
    assert list(halvings.height) == [840000]
    assert (events[events.kind == "retarget"].height % 2016 == 2015).all()


def test_flows_sum_to_the_run_totals(default_run):
    out, _ = default_run
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert ds.energy_cost_usd.attrs["cell_methods"] == "time: sum"
    assert float(ds.energy_cost_usd.sum()) == pytest.approx(ds.attrs["summary_energy_cost_usd"], rel=1e-9)
    # Cash is revenue less energy, fixed costs and the ASICs bought, accrued exactly.
    cash = float(ds.mining_revenue_usd.sum() - ds.energy_cost_usd.sum() - ds.fixed_cost_usd.sum()
                 - ds.asic_capex_usd.sum() + ds.asic_resale_usd.sum())
    assert float(ds.cash_usd[-1]) == pytest.approx(cash, rel=1e-9)
    # The grid power never exceeds the interconnect cap.
    assert float(ds.facility_power_mw.max()) <= 100.0


def test_root_attributes(default_run):
    out, _ = default_run
    with h5py.File(out, "r") as f:
        attrs = dict(f.attrs)
    assert attrs["seed"] == 42
    assert "start_height: 823785" in attrs["scenario_yaml"]
    assert attrs["hybridsim_version"].startswith("0.1.0")


def test_same_seed_same_results_other_seed_differs(hybridsim, default_run, tmp_path):
    out, _ = default_run
    again = tmp_path / "again.h5"
    other = tmp_path / "other.h5"
    assert hybridsim("run", DEFAULT, "-o", again, "-q").returncode == 0
    assert hybridsim("run", DEFAULT, "-o", other, "-q", "--seed", "7").returncode == 0
    a = xr.open_dataset(out, engine="h5netcdf")
    b = xr.open_dataset(again, engine="h5netcdf")
    c = xr.open_dataset(other, engine="h5netcdf")
    np.testing.assert_array_equal(a.btc_price_usd.values, b.btc_price_usd.values)
    np.testing.assert_array_equal(a.block_height.values, b.block_height.values)
    assert not np.array_equal(a.btc_price_usd.values, c.btc_price_usd.values)


def test_bad_scenario_exits_2_and_writes_nothing(hybridsim, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEFAULT.read_text().replace("power_cap_mw: 100", "power_cap_mw: -1"))
    out = tmp_path / "out.h5"
    result = hybridsim("run", bad, "-o", out)
    assert result.returncode == 2
    lines = DEFAULT.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "power_cap_mw" in text)
    assert result.stderr.startswith(f"{bad}:{line}:17: facility.power_cap_mw: -1 is out of range; expected number > 0")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_validate_and_set(hybridsim):
    ok = hybridsim("validate", DEFAULT, "--set", "world.btc_price.vol_per_year=0.7")
    assert ok.returncode == 0 and "valid scenario" in ok.stdout
    bad = hybridsim("validate", DEFAULT, "--set", "world.btc_price.model=gbn")
    assert bad.returncode == 2
    assert "unknown model 'gbn' (did you mean 'gbm'?); valid models:" in bad.stderr


def test_set_values_are_yaml_and_unset_deletes(hybridsim):
    switch = hybridsim("validate", DEFAULT, "--set", "world.btc_price={model: constant, initial_usd: 90000}")
    assert switch.returncode == 0, switch.stderr
    leftover = hybridsim("validate", DEFAULT, "--set", "world.btc_price.model=constant")
    assert leftover.returncode == 2 and "unknown key" in leftover.stderr
    unset = hybridsim("validate", DEFAULT, "--set", "world.btc_price.model=constant",
                      "--unset", "world.btc_price.drift_per_year", "--unset", "world.btc_price.vol_per_year")
    assert unset.returncode == 0, unset.stderr
    trailing = hybridsim("validate", DEFAULT, "--set", "seed.=5")
    assert trailing.returncode == 2
    assert trailing.stderr.strip() == "--set seed.=5: 'seed.': trailing dot; a key path ends with a key or an item"
    dotted = hybridsim("validate", DEFAULT, "--set", "facility.halls.0.pue=1.1")
    assert dotted.returncode == 2 and "facility.halls[0] or facility.halls[NAME]" in dotted.stderr
    missing = hybridsim("validate", DEFAULT, "--unset", "world.no_such_key")
    assert missing.returncode == 2 and missing.stderr.startswith("--unset world.no_such_key: no key 'no_such_key'")


def test_largest_seed_round_trips_through_the_file(hybridsim, tmp_path):
    out = tmp_path / "seed.h5"
    top = 18446744073709551615
    result = hybridsim("run", DEFAULT, "-o", out, "-q", "--seed", top, "--set", "horizon_years=0.05")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        assert int(f.attrs["seed"]) == top
        stored = f.attrs["scenario_yaml"]
    stored = stored.decode() if isinstance(stored, bytes) else stored
    assert f"seed: {top}" in stored
    again = tmp_path / "stored.yaml"
    again.write_text(stored)
    check = hybridsim("validate", again)
    assert check.returncode == 0, check.stderr


def test_models_lists_registered_names_with_units(hybridsim):
    result = hybridsim("models")
    assert result.returncode == 0
    assert "gbm" in result.stdout and "vol_per_year" in result.stdout and "1/sqrt(year)" in result.stdout
    assert hybridsim("models", "no_such_family").returncode == 2


def test_help_version_and_unknown_option(hybridsim):
    assert hybridsim("--help").returncode == 0
    assert hybridsim("--version").stdout.startswith("hybridsim 0.1.0")
    assert hybridsim("run", "--no-such-option").returncode == 2


def test_inspect(hybridsim, default_run):
    out, _ = default_run
    result = hybridsim("inspect", out)
    assert result.returncode == 0
    assert "btc_price_usd" in result.stdout and "network_events" in result.stdout
