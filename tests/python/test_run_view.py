"""A real run's file through xarray, as the analysis package reads it: per-cohort and per-hall
series on label dimensions, table times as decoded coordinates, missing times as NaT, and
no warning anywhere (every test opens with warnings turned into errors)."""
import warnings
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

REPO_ROOT = Path(__file__).resolve().parents[2]
HYBRID = REPO_ROOT / "scenarios" / "hybrid.yaml"


def open_strictly(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = xr.open_dataset(path, engine="h5netcdf", **kwargs)
        ds.load()  # decoding happens here too
        return ds


@pytest.fixture(scope="module")
def hybrid_run(hybridsim, tmp_path_factory):
    # A month of the hybrid site, hourly: jobs still queued and running at the horizon (no
    # start or no end), the lease not ended.
    out = tmp_path_factory.mktemp("run") / "hybrid.h5"
    result = hybridsim("run", HYBRID, "-o", out, "-q", "--set", "horizon_years=0.08", "--set", "record_every=1h",
                       "--set", "facility.jobs.rate_per_day=400")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # a quick run prints no progress
    assert sorted(p.name for p in out.parent.iterdir()) == ["hybrid.h5"]  # no temporary left
    return out


def test_machines_running_is_one_variable_over_cohorts(hybrid_run):
    ds = open_strictly(hybrid_run)
    assert not [v for v in ds.data_vars if v.startswith("asic_running")]
    running = ds.machines_running
    assert running.dims == ("time", "cohort")
    assert running.dtype == np.int64
    assert ds.cohort.dtype.kind in "OU"
    assert list(ds.cohort.values) == ["Antminer S19 XP", "Antminer S21"]
    assert "units" not in ds.cohort.attrs
    # Selecting by name works, and the cohorts' machines never exceed their counts.
    assert int(running.sel(cohort="Antminer S21").max()) <= 14000
    assert ds.hall_power_mw.dims == ("time", "hall")
    assert list(ds.hall.values) == ["mining", "hpc"]


def test_job_table_times_are_decoded_coordinates_with_nat(hybrid_run):
    jobs = open_strictly(hybrid_run, group="jobs")
    assert {"submit", "start", "end"} <= set(jobs.coords)
    for name in ["submit", "start", "end"]:
        assert jobs[name].dims == ("job",)
        assert jobs[name].dtype == np.dtype("datetime64[ns]")
    status = jobs.status.values
    assert (status == "queued").any() or (status == "running").any()
    # A job not over has no end; a queued job no start: NaT, not a date and not an error.
    not_over = (status == "queued") | (status == "running")
    assert np.isnat(jobs.end.values[not_over]).all()
    assert not np.isnat(jobs.end.values[status == "finished"]).any()
    assert np.isnat(jobs.start.values[status == "queued"]).all()
    assert not np.isnat(jobs.submit.values).any()
    # Dates within the run, rows in order of submission.
    start = np.datetime64("2024-04-20T00:09:27", "ns")
    assert (jobs.submit.values >= start).all()
    assert (np.diff(jobs.submit.values) >= np.timedelta64(0, "ns")).all()
    np.testing.assert_array_equal(jobs.job_id.values, np.arange(jobs.sizes["job"]))
    # Selecting rows by time works as on any coordinate.
    first_day = jobs.where(jobs.submit < start + np.timedelta64(1, "D"), drop=True)
    assert 0 < first_day.sizes["job"] < jobs.sizes["job"]


def test_contract_and_event_times(hybrid_run):
    contracts = open_strictly(hybrid_run, group="ai_contracts")
    assert {"start", "end"} <= set(contracts.coords)
    assert contracts.end.dtype == np.dtype("datetime64[ns]")
    assert np.isnat(contracts.end.values).all()  # nothing ended within a month
    events = open_strictly(hybrid_run, group="network_events")
    assert "time" in events.coords and events.time.dims == ("event",)
    assert events.time.dtype == np.dtype("datetime64[ns]")


def test_calendar_months(hybridsim, tmp_path):
    out = tmp_path / "monthly.h5"
    result = hybridsim("run", HYBRID, "-o", out, "-q", "--set", "start=2024-01-31", "--set", "horizon_years=0.5",
                       "--set", "record_every=1 month")
    assert result.returncode == 0, result.stderr
    ds = open_strictly(out)
    # From January 31: the last day of shorter months, the 31st when there is one (29 + 31 +
    # 30 + 31 + 30 + 31 = 182 days to July 31); the horizon, 182.625 days after the start
    # (15:00 on July 31), closes the last, shorter interval.
    expected = ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31",
                "2024-07-31T15:00"]
    np.testing.assert_array_equal(ds.time.values, np.array(expected, dtype="datetime64[ns]"))
    # A flow summed over the calendar intervals is its run total.
    assert float(ds.energy_mwh.sum()) == pytest.approx(float(ds.attrs["summary_energy_mwh"]), rel=1e-12)


def test_bad_record_every_lists_the_units(hybridsim, tmp_path):
    out = tmp_path / "bad.h5"
    result = hybridsim("run", HYBRID, "-o", out, "--set", "record_every=1 fortnight")
    assert result.returncode == 2
    assert "record_every: '1 fortnight' is not a recording interval; accepted:" in result.stderr
    assert "1 month" in result.stderr and "1 year" in result.stderr
    assert list(tmp_path.iterdir()) == []
