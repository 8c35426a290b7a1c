"""The HDF5 run file as analysis code sees it: xarray (engine h5netcdf) and h5py.

The expected values mirror tests/tools/write_fixture.cpp.
"""
import warnings

import h5py
import numpy as np
import pytest
import xarray as xr

EPOCH = np.datetime64("2024-01-01T00:00:00", "ns")
TIME_UNITS = "seconds since 2024-01-01 00:00:00"


def seconds(*values):
    return EPOCH + np.array(values, dtype="timedelta64[s]").astype("timedelta64[ns]")


@pytest.fixture
def run_file(tmp_path, run_program):
    path = tmp_path / "run.h5"
    run_program("hybridsim-write-fixture", str(path))
    return path


@pytest.fixture
def empty_run_file(tmp_path, run_program):
    path = tmp_path / "empty.h5"
    run_program("hybridsim-write-fixture", str(path), "--empty")
    return path


def open_quietly(path, **kwargs):
    """Opens with xarray, turning any warning (e.g. a failed time decoding) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return xr.open_dataset(path, engine="h5netcdf", **kwargs).load()


def assert_str_attrs(variable, expected):
    for key, value in expected.items():
        actual = variable.attrs[key]
        assert type(actual) is str, f"{variable.name}.{key} is {type(actual).__name__}"
        assert actual == value


def test_fixture_leaves_no_temporary_file(run_file):
    assert [p.name for p in run_file.parent.iterdir()] == ["run.h5"]


def test_series_on_decoded_time_axis(run_file):
    ds = open_quietly(run_file)
    assert dict(ds.sizes) == {"time": 4}
    assert list(ds.coords) == ["time"]
    assert ds.time.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(ds.time.values, seconds(0, 3600, 7200, 10800))
    assert ds.time.encoding["units"] == TIME_UNITS
    assert ds.time.encoding["calendar"] == "standard"
    assert_str_attrs(ds.time, {"standard_name": "time", "long_name": "time"})

    assert list(ds.data_vars) == ["power", "jobs_done", "phase"]
    for name in ds.data_vars:
        assert ds[name].dims == ("time",)

    assert ds.power.dtype == np.float64
    np.testing.assert_array_equal(ds.power.values, [1.5, 2.5, 3.25, 0.0])
    assert_str_attrs(ds.power, {"units": "W", "long_name": "power drawn by the site",
                                "cell_methods": "time: mean"})

    assert ds.jobs_done.dtype == np.int64
    np.testing.assert_array_equal(ds.jobs_done.values, [0, 3, 5, 2])
    assert_str_attrs(ds.jobs_done, {"units": "1", "long_name": "jobs completed",
                                    "cell_methods": "time: sum"})

    assert [type(v) for v in ds.phase.values] == [str] * 4
    assert list(ds.phase.values) == ["warmup", "run", "run", "cooldown \u00b0"]
    assert_str_attrs(ds.phase, {"units": "", "long_name": "operating phase"})
    assert "cell_methods" not in ds.phase.attrs


def test_root_attributes(run_file):
    attrs = open_quietly(run_file).attrs
    assert set(attrs) == {"scenario", "seed", "load_factor", "version"}
    assert type(attrs["scenario"]) is str
    assert attrs["scenario"] == "name: fixture\nseed: 42\n"
    assert type(attrs["version"]) is str and attrs["version"] == "0.1.0"
    assert isinstance(attrs["seed"], np.integer) and attrs["seed"] == 42
    assert isinstance(attrs["load_factor"], np.floating) and attrs["load_factor"] == 0.75


def test_table_groups(run_file):
    jobs = open_quietly(run_file, group="jobs")
    assert dict(jobs.sizes) == {"job": 3}
    assert jobs.attrs["long_name"] == "job table"
    assert jobs.job.dtype == np.int64
    np.testing.assert_array_equal(jobs.job.values, [0, 1, 2])
    assert_str_attrs(jobs.job, {"units": "1", "long_name": "job index"})
    assert jobs.submit_time.dims == ("job",)
    assert jobs.submit_time.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(jobs.submit_time.values, seconds(0, 1800, 5400))
    assert jobs.submit_time.encoding["units"] == TIME_UNITS
    assert_str_attrs(jobs.runtime, {"units": "s", "long_name": "time the job ran"})
    np.testing.assert_array_equal(jobs.runtime.values, [10.5, 20.0, 0.25])

    events = open_quietly(run_file, group="network_events")
    assert dict(events.sizes) == {"event": 2}
    assert list(events.data_vars) == ["time", "node", "bytes"]
    # A column called "time" inside a table is a plain variable on the table's dimension.
    assert events.time.dims == ("event",)
    np.testing.assert_array_equal(events.time.values, seconds(60, 4000))
    assert list(events.node.values) == ["a", "b"]
    assert events.bytes.dtype == np.int64
    np.testing.assert_array_equal(events.bytes.values, [100, 2048])


def test_empty_run_opens(empty_run_file):
    ds = open_quietly(empty_run_file)
    assert dict(ds.sizes) == {"time": 0}
    assert ds.time.dtype == np.dtype("datetime64[ns]")
    assert ds.power.shape == (0,) and ds.power.dtype == np.float64
    assert ds.phase.shape == (0,)
    for group, dimension in [("jobs", "job"), ("network_events", "event")]:
        table = open_quietly(empty_run_file, group=group)
        assert dict(table.sizes) == {dimension: 0}
    jobs = open_quietly(empty_run_file, group="jobs")
    assert jobs.submit_time.dtype == np.dtype("datetime64[ns]")


def test_h5py_layout(run_file):
    with h5py.File(run_file, "r") as f:
        assert set(f) == {"time", "power", "jobs_done", "phase", "jobs", "network_events"}
        assert f["time"].dtype == np.int64
        assert f["time"].attrs["units"] == TIME_UNITS  # vlen strings come back as str
        assert h5py.check_string_dtype(f["phase"].dtype).encoding == "utf-8"
        assert list(f["phase"].asstr()[:]) == ["warmup", "run", "run", "cooldown \u00b0"]

        assert h5py.h5ds.is_scale(f["time"].id)
        for name in ["power", "jobs_done", "phase"]:
            dims = f[name].dims
            assert len(dims[0]) == 1 and dims[0][0].name == "/time"
        for name in ["submit_time", "runtime"]:
            assert f["jobs"][name].dims[0][0].name == "/jobs/job"

        power = f["power"]
        assert power.chunks is not None
        assert power.compression == "gzip" and power.compression_opts == 4
        assert power.shuffle
        # Creation order is tracked, as netCDF-C requires of the groups in a file it opens.
        for group in ["/", "jobs", "network_events"]:
            order = f[group].id.get_create_plist().get_link_creation_order()
            assert order & h5py.h5p.CRT_ORDER_TRACKED, group
        assert list(f["network_events"]) == ["event", "time", "node", "bytes"]


def test_h5py_empty_layout(empty_run_file):
    with h5py.File(empty_run_file, "r") as f:
        assert f["time"].shape == (0,) and h5py.h5ds.is_scale(f["time"].id)
        assert f["jobs/job"].shape == (0,) and h5py.h5ds.is_scale(f["jobs/job"].id)
        assert f["power"].dims[0][0].name == "/time"
