"""`hybridsim sweep` end to end: the file's layout through xarray and h5py, -j 1 against
-j 2, a sweep killed midway and resumed against an uninterrupted one, and bad input."""
import re
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT = REPO_ROOT / "scenarios" / "default.yaml"

# Six points (a 2 x 3 grid) x 2 replications of the default mining scenario, shortened.
SWEEP = f"""base: {DEFAULT}
sweep:
  replications: 2
  params:
    world.btc_price.vol_per_year: [0.4, 0.6]
    facility.asic_cohorts[0].count: {{from: 1000, to: 3000, steps: 3}}
"""
SETS = ["--set", "horizon_years=0.5"]


@pytest.fixture(scope="module")
def sweep_yaml(tmp_path_factory):
    p = tmp_path_factory.mktemp("sweep") / "grid.yaml"
    p.write_text(SWEEP)
    return p


@pytest.fixture(scope="module")
def serial(hybridsim, sweep_yaml, tmp_path_factory):
    out = tmp_path_factory.mktemp("j1") / "out.h5"
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "1", *SETS)
    assert r.returncode == 0, r.stderr
    return out


def datasets(path):
    """Every dataset of the file, by path, as numpy arrays."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def assert_same_datasets(a, b):
    da, db = datasets(a), datasets(b)
    assert sorted(da) == sorted(db)
    for name in da:
        x, y = da[name], db[name]
        assert x.dtype == y.dtype, name
        assert x.shape == y.shape, name
        if x.dtype.kind == "f":
            assert np.array_equal(x.view(np.uint64 if x.itemsize == 8 else np.uint32),
                                  y.view(np.uint64 if y.itemsize == 8 else np.uint32)), name  # bit for bit
        else:
            assert np.array_equal(x, y), name


def test_layout_opens_in_xarray_with_run_and_time(serial):
    ds = xr.open_dataset(serial, engine="h5netcdf")
    assert ds.sizes["run"] == 12
    assert ds.time.dtype == np.dtype("datetime64[ns]")
    assert ds.btc_price_usd.dims == ("run", "time")
    assert ds.hall_power_mw.dims == ("run", "time", "hall")
    for c in ["seed", "replication", "point", "world.btc_price.vol_per_year", "facility.asic_cohorts[0].count"]:
        assert c in ds.coords, c
    assert list(ds["world.btc_price.vol_per_year"].values) == [0.4] * 6 + [0.6] * 6
    assert list(ds["facility.asic_cohorts[0].count"].values[:6]) == [1000, 1000, 2000, 2000, 3000, 3000]
    assert ds["world.btc_price.vol_per_year"].attrs["units"] == "1/sqrt(year)"
    assert (ds.done.values == 1).all()
    assert len(set(ds.seed.values)) == 12
    # Members differ: another seed or volatility gives another price path.
    assert not np.array_equal(ds.btc_price_usd.values[0], ds.btc_price_usd.values[1])
    summary = xr.open_dataset(serial, engine="h5netcdf", group="summary")
    assert summary.cash_usd.dims == ("run",) and summary.sizes["run"] == 12
    assert np.isfinite(summary.cash_usd.values).all()
    params = xr.open_dataset(serial, engine="h5netcdf", group="params")
    assert list(params["world.btc_price.vol_per_year"].values) == list(ds["world.btc_price.vol_per_year"].values)
    events = xr.open_dataset(serial, engine="h5netcdf", group="network_events")
    assert "run" in events and (np.diff(events.run.values) >= 0).all()
    assert set(events.run.values) == set(range(12))


def test_members_match_single_runs(hybridsim, serial, tmp_path):
    """Member 5 of the sweep is the run of its scenario: same series, bit for bit."""
    ds = xr.open_dataset(serial, engine="h5netcdf")
    m = ds.isel(run=5)
    out = tmp_path / "one.h5"
    r = hybridsim("run", DEFAULT, "-o", out, *SETS, "--set", "world.btc_price.vol_per_year=0.4",
                  "--set", "facility.asic_cohorts[0].count=3000", "--seed", int(m.seed))
    assert r.returncode == 0, r.stderr
    one = xr.open_dataset(out, engine="h5netcdf")
    for name in ["btc_price_usd", "cash_usd", "energy_mwh", "block_height"]:
        assert np.array_equal(one[name].values, m[name].values), name


def test_two_workers_write_the_same_datasets(hybridsim, sweep_yaml, serial, tmp_path):
    out = tmp_path / "j2.h5"
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "2", *SETS)
    assert r.returncode == 0, r.stderr
    assert_same_datasets(serial, out)


def test_reopening_the_file_after_every_member_changes_nothing(hybridsim, sweep_yaml, serial, tmp_path):
    out = tmp_path / "reopened.h5"
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "2", *SETS, env={"HYBRIDSIM_SWEEP_CACHE_LIMIT": "1"})
    assert r.returncode == 0, r.stderr
    assert_same_datasets(serial, out)


def test_shipped_halving_sweep_is_valid(hybridsim):
    r = hybridsim("sweep", REPO_ROOT / "scenarios" / "sweeps" / "halving_2028.yaml", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "grid, 6 points x 10 replications = 60 members" in r.stdout
    assert len(r.stdout.splitlines()) == 62


def test_aborted_then_resumed_equals_uninterrupted(hybridsim, sweep_yaml, serial, tmp_path):
    out = tmp_path / "resumed.h5"
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "2", *SETS, env={"HYBRIDSIM_SWEEP_ABORT_AFTER": "5"})
    assert r.returncode == 137
    with h5py.File(out, "r") as f:  # readable, holding the first five members
        assert list(f["done"][()]) == [1] * 5 + [0] * 7
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "2", "--resume", *SETS)
    assert r.returncode == 0, r.stderr
    # At least the five committed; members that arrived early were journaled too.
    run, there = map(int, re.search(r"(\d+) members run, (\d+) already there", r.stdout).groups())
    assert run + there == 12 and there >= 5
    assert_same_datasets(serial, out)


def test_killed_at_random_then_resumed_equals_uninterrupted(hybridsim, sweep_yaml, tmp_path):
    """kill -9 at several moments while members are being written (full two-year members, so
    the sweep runs for seconds), then --resume: every time, the datasets equal an uninterrupted
    sweep's, whatever state the kill left the file in (--resume rebuilds it from its journal)."""
    reference = tmp_path / "reference.h5"
    r = hybridsim("sweep", sweep_yaml, "-o", reference, "-j", "2")
    assert r.returncode == 0, r.stderr
    started = time.time()
    r = hybridsim("sweep", sweep_yaml, "-o", tmp_path / "timing.h5", "-j", "2")
    whole = time.time() - started
    midway = 0
    for attempt, fraction in enumerate([0.5, 0.3, 0.7, 0.15, 0.85]):
        out = tmp_path / f"killed{attempt}.h5"
        proc = subprocess.Popen([str(hybridsim.program), "sweep", sweep_yaml, "-o", out, "-j", "2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not (tmp_path / f"killed{attempt}.h5.journal").exists():
            continue  # killed before the sweep began writing: nothing to resume
        r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "1", "--resume")
        assert r.returncode == 0, r.stderr
        run, there = map(int, re.search(r"(\d+) members run, (\d+) already there", r.stdout).groups())
        assert run + there == 12
        assert_same_datasets(reference, out)
        midway += 0 < there < 12
        if midway == 3:
            break  # enough: each resume costs a sweep's time
    assert midway > 0, "could not kill the sweep midway"


def test_resume_of_another_sweep_is_refused(hybridsim, sweep_yaml, serial, tmp_path):
    other = tmp_path / "other.h5"
    other.write_bytes(serial.read_bytes())
    r = hybridsim("sweep", sweep_yaml, "-o", other, "--resume", "--set", "horizon_years=0.25")
    assert r.returncode == 2
    assert "holds another sweep" in r.stderr
    assert "the base scenario differs (its keys, --set, or seed)" in r.stderr
    assert_same_datasets(serial, other)  # nothing lost


def test_dry_run_prints_the_member_table(hybridsim, sweep_yaml, tmp_path):
    r = hybridsim("sweep", sweep_yaml, "--dry-run", *SETS)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "grid, 6 points x 2 replications = 12 members" in lines[0]
    assert lines[1].split() == ["run", "point", "rep", "seed", "world.btc_price.vol_per_year",
                                "facility.asic_cohorts[0].count"]
    assert lines[2].split()[:3] == ["0", "0", "0"] and lines[2].split()[4:] == ["0.4", "1000"]
    assert lines[-1].split()[4:] == ["0.6", "3000"]
    assert len(lines) == 14


def test_bad_sweep_key_exits_2_and_writes_nothing(hybridsim, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"base: {DEFAULT}\nsweep:\n  params:\n    world.btc_price.vol: [0.4]\n")
    out = tmp_path / "bad.h5"
    r = hybridsim("sweep", bad, "-o", out)
    assert r.returncode == 2
    assert f"{bad}:4:5: sweep.params.world.btc_price.vol: the scenario has no key" in r.stderr
    assert "near names: world.btc_price.vol_per_year" in r.stderr
    assert not out.exists()
