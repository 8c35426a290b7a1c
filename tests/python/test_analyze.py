"""`hybridsim analyze` end to end: a small sobol sweep of the default scenario, shortened, then
the table, the CSV and the `sensitivity` group; and the inputs it refuses (exit 2, nothing
written)."""
import csv
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT = REPO_ROOT / "scenarios" / "default.yaml"

# 16 samples x (2 + 2) blocks x 2 replications = 128 members. Common random numbers: the
# replications of every point share their seeds, so seed noise cancels in the differences
# f(A) − f(A_B^i) the estimators use.
PARAMS = """  params:
    world.btc_price.vol_per_year: {min: 0.4, max: 0.8}
    facility.asic_cohorts[0].count: {min: 1000, max: 3000}
"""
SOBOL = f"""base: {DEFAULT}
sweep:
  method: sobol
  samples: 16
  replications: 2
  common_random_numbers: true
{PARAMS}"""
KEYS = ["world.btc_price.vol_per_year", "facility.asic_cohorts[0].count"]
SETS = ["--set", "horizon_years=0.1"]


@pytest.fixture(scope="module")
def sobol_sweep(hybridsim, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sobol")
    spec = folder / "sobol.yaml"
    spec.write_text(SOBOL)
    out = folder / "sobol.h5"
    r = hybridsim("sweep", spec, "-o", out, "-j", "2", "-q", *SETS)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def analysed(hybridsim, sobol_sweep, tmp_path_factory):
    folder = tmp_path_factory.mktemp("analysed")
    before = sobol_sweep.read_bytes()
    r = hybridsim("analyze", sobol_sweep, "--csv", folder / "sens.csv", "-o", folder / "sens.h5")
    assert r.returncode == 0, r.stderr
    assert sobol_sweep.read_bytes() == before  # the sweep file is only read
    return r.stdout, folder


def metrics_of(sweep):
    with h5py.File(sweep, "r") as f:
        return [name for name in f["summary"] if name != "run"]


def test_table_has_every_metric_and_parameter(sobol_sweep, analysed):
    stdout, _ = analysed
    rows = {}
    for line in stdout.splitlines()[3:]:
        fields = line.split()
        rows[(fields[0], fields[1])] = line
    for metric in metrics_of(sobol_sweep):
        if (metric, "(every") in rows:
            assert "undefined: " in rows[(metric, "(every")]
            assert "nan" not in rows[(metric, "(every")].lower()
            continue
        for key in KEYS:
            assert (metric, key) in rows, f"no row for {metric} x {key}"
            assert "nan" not in rows[(metric, key)]


def test_indices_are_fractions_up_to_estimator_noise(sobol_sweep, analysed):
    _, folder = analysed
    rows = list(csv.DictReader(open(folder / "sens.csv")))
    assert {(r["metric"], r["parameter"]) for r in rows} == {(m, k) for m in metrics_of(sobol_sweep) for k in KEYS}
    defined = [r for r in rows if r["status"].startswith("ok")]
    assert len(defined) >= 10
    for r in defined:
        for index in ("S1", "ST"):
            value, low, high = (float(r[index + s]) for s in ("", "_low", "_high"))
            assert -0.5 < value < 1.5, r
            assert low <= high, r
            assert low <= 1.0 and high >= 0.0, r  # the interval meets [0, 1]
        assert float(r["ST"]) >= 0.0  # Jansen's estimator is a sum of squares
    for r in rows:
        if not r["status"].startswith("ok"):
            assert r["S1"] == r["ST"] == "" and r["status"].startswith("undefined: ")


def test_capex_depends_on_the_asic_count_alone(analysed):
    """ASIC capital spending is the count times a fixed price: ST of the price volatility is 0
    (f(A) = f(A_B^vol) bit for bit) and the count's indices cover 1."""
    _, folder = analysed
    rows = {(r["metric"], r["parameter"]): r for r in csv.DictReader(open(folder / "sens.csv"))}
    vol = rows[("asic_capex_usd", KEYS[0])]
    count = rows[("asic_capex_usd", KEYS[1])]
    assert float(vol["ST"]) == 0.0
    for index in ("S1", "ST"):
        assert float(count[index + "_low"]) <= 1.0 <= float(count[index + "_high"])


def test_sensitivity_group_opens_in_xarray(sobol_sweep, analysed):
    _, folder = analysed
    ds = xr.open_dataset(folder / "sens.h5", engine="h5netcdf", group="sensitivity")
    assert list(ds.parameter.values) == KEYS
    assert list(ds.metric.values) == metrics_of(sobol_sweep)
    assert ds.S1.dims == ("metric", "parameter")
    ok = ds.status.values == "ok"
    assert ok.any() and (~ok).any()
    assert np.isnan(ds.S1.values[~ok]).all()  # undefined: NaN there, with the reason in status
    assert np.isfinite(ds.ST.values[ok]).all()
    assert ds.attrs["bootstrap_resamples"] == 1000


def test_same_seed_same_intervals(hybridsim, sobol_sweep, analysed):
    stdout, _ = analysed
    assert hybridsim("analyze", sobol_sweep).stdout == stdout
    other = hybridsim("analyze", sobol_sweep, "--seed", "3").stdout
    assert other != stdout


def refused(hybridsim, sweep, tmp_path, message):
    r = hybridsim("analyze", sweep, "--csv", tmp_path / "x.csv", "-o", tmp_path / "x.h5")
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.h5").exists()
    assert not list(tmp_path.glob("x.*.tmp-*"))


def test_a_grid_sweep_is_refused(hybridsim, tmp_path):
    spec = tmp_path / "grid.yaml"
    spec.write_text(f"base: {DEFAULT}\nsweep:\n  params:\n    world.btc_price.vol_per_year: [0.4, 0.6]\n")
    assert hybridsim("sweep", spec, "-o", tmp_path / "grid.h5", "-q", "--set", "horizon_years=0.05").returncode == 0
    refused(hybridsim, tmp_path / "grid.h5", tmp_path, "analyze needs a sobol sweep; this one is grid")


def test_an_incomplete_sweep_is_refused(hybridsim, tmp_path):
    spec = tmp_path / "sobol.yaml"
    spec.write_text(f"base: {DEFAULT}\nsweep:\n  method: sobol\n  samples: 4\n{PARAMS}")
    r = hybridsim("sweep", spec, "-o", tmp_path / "part.h5", "-q", "--set", "horizon_years=0.05",
                  env={"HYBRIDSIM_SWEEP_ABORT_AFTER": "3"})
    assert r.returncode != 0
    refused(hybridsim, tmp_path / "part.h5", tmp_path, "13 of its 16 members are missing")
    refused(hybridsim, tmp_path / "part.h5", tmp_path, "--resume")


def test_a_file_that_is_not_a_sweep_is_refused(hybridsim, tmp_path):
    run = tmp_path / "run.h5"
    assert hybridsim("run", DEFAULT, "-o", run, "-q", "--set", "horizon_years=0.05").returncode == 0
    refused(hybridsim, run, tmp_path, "not a hybridsim sweep")
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    refused(hybridsim, text, tmp_path, "not an HDF5 file")


def test_writing_over_the_sweep_is_refused(hybridsim, sobol_sweep):
    before = sobol_sweep.read_bytes()
    r = hybridsim("analyze", sobol_sweep, "-o", sobol_sweep)
    assert r.returncode == 2
    assert "is the sweep being analysed" in r.stderr
    assert sobol_sweep.read_bytes() == before
