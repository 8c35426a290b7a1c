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
    assert dict(ds.sizes) == {"time": 4, "hall": 2, "cohort": 3}
    assert list(ds.coords) == ["time", "hall", "cohort"]
    assert ds.time.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(ds.time.values, seconds(0, 3600, 7200, 10800))
    assert ds.time.encoding["units"] == TIME_UNITS
    assert ds.time.encoding["calendar"] == "standard"
    assert_str_attrs(ds.time, {"standard_name": "time", "long_name": "time"})

    # Declaration order, 1-D and 2-D series interleaved.
    assert list(ds.data_vars) == ["power", "hall_power_mw", "jobs_done", "machines_running",
                                  "hall_energy_mwh", "phase"]
    for name in ["power", "jobs_done", "phase"]:
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


HALLS = ["mining", "hpc"]
COHORTS = ["S19", "S21", "S21 \u00e9"]
HALL_POWER_MW = [[10.0, 2.0], [11.5, 2.5], [12.0, -0.5], [0.0, 4.0]]
HALL_ENERGY_MWH = [[0.0, 0.0], [11.0, 2.25], [11.75, 1.0], [6.0, 1.75]]
MACHINES_RUNNING = [[100, 50, 0], [90, 50, 7], [80, 40, 7], [0, 0, 7]]


def test_series_on_time_and_a_label_dimension(run_file):
    ds = open_quietly(run_file)
    for name, dimension, labels in [("hall", "hall", HALLS), ("cohort", "cohort", COHORTS)]:
        coordinate = ds[name]
        assert coordinate.dims == (dimension,)
        assert [type(v) for v in coordinate.values] == [str] * len(labels)
        assert list(coordinate.values) == labels
        assert_str_attrs(coordinate, {"long_name": name})
        assert "units" not in coordinate.attrs  # strings have no units in CF

    assert ds.hall_power_mw.dims == ("time", "hall")
    assert ds.hall_power_mw.dtype == np.float64
    np.testing.assert_array_equal(ds.hall_power_mw.values, HALL_POWER_MW)
    assert_str_attrs(ds.hall_power_mw, {"units": "MW", "long_name": "power drawn by each hall",
                                        "cell_methods": "time: mean"})
    assert ds.hall_energy_mwh.dims == ("time", "hall")
    np.testing.assert_array_equal(ds.hall_energy_mwh.values, HALL_ENERGY_MWH)
    assert_str_attrs(ds.hall_energy_mwh, {"units": "MWh", "cell_methods": "time: sum"})
    assert ds.machines_running.dims == ("time", "cohort")
    assert ds.machines_running.dtype == np.int64
    np.testing.assert_array_equal(ds.machines_running.values, MACHINES_RUNNING)
    assert "cell_methods" not in ds.machines_running.attrs

    # Selecting by label picks the right column, and the time axis stays decoded.
    mining = ds.sel(hall="mining")
    np.testing.assert_array_equal(mining.hall_power_mw.values, [10.0, 11.5, 12.0, 0.0])
    np.testing.assert_array_equal(ds.hall_energy_mwh.sel(hall="hpc").values,
                                  [0.0, 2.25, 1.0, 1.75])
    np.testing.assert_array_equal(ds.machines_running.sel(cohort="S21 \u00e9").values,
                                  [0, 7, 7, 7])
    assert ds.hall_power_mw.sel(hall="hpc", time=seconds(7200)[0]).item() == -0.5
    np.testing.assert_array_equal(mining.time.values, seconds(0, 3600, 7200, 10800))


def test_default_engine_opens_the_same(run_file):
    # Whatever engine xarray picks on its own (h5netcdf when netCDF4 is not installed) must
    # see the same dimensions and labels as the h5netcdf engine named explicitly.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = xr.open_dataset(run_file).load()
    assert ds.hall_power_mw.dims == ("time", "hall")
    assert list(ds.hall.values) == HALLS
    np.testing.assert_array_equal(ds.sel(hall="hpc").hall_power_mw.values, [2.0, 2.5, -0.5, 4.0])
    assert ds.time.dtype == np.dtype("datetime64[ns]")


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
    assert dict(ds.sizes) == {"time": 0, "hall": 2, "cohort": 3}
    assert list(ds.hall.values) == HALLS
    assert ds.hall_power_mw.shape == (0, 2) and ds.hall_power_mw.dims == ("time", "hall")
    assert ds.machines_running.shape == (0, 3) and ds.machines_running.dtype == np.int64
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
        assert set(f) == {"time", "hall", "cohort", "power", "hall_power_mw", "jobs_done",
                          "machines_running", "hall_energy_mwh", "phase", "jobs",
                          "network_events"}
        # Creation order (f["/"] lists it; f itself lists by name): label coordinates come
        # right after time, in the order series first use them, then the series as declared.
        assert list(f["/"])[:9] == ["time", "hall", "cohort", "power", "hall_power_mw",
                                    "jobs_done", "machines_running", "hall_energy_mwh", "phase"]
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

        for name, labels in [("hall", HALLS), ("cohort", COHORTS)]:
            assert h5py.h5ds.is_scale(f[name].id)
            assert h5py.check_string_dtype(f[name].dtype).encoding == "utf-8"
            assert list(f[name].asstr()[:]) == labels
        for name, dimension in [("hall_power_mw", "hall"), ("hall_energy_mwh", "hall"),
                                ("machines_running", "cohort")]:
            dims = f[name].dims
            assert len(dims) == 2
            assert len(dims[0]) == 1 and dims[0][0].name == "/time"
            assert len(dims[1]) == 1 and dims[1][0].name == "/" + dimension
            # 2-D data are chunked and compressed like the 1-D series.
            assert f[name].chunks == f[name].shape
            assert f[name].compression == "gzip" and f[name].compression_opts == 1
            assert f[name].shuffle
        np.testing.assert_array_equal(f["hall_power_mw"][:], HALL_POWER_MW)

        power = f["power"]
        assert power.chunks is not None
        assert power.compression == "gzip" and power.compression_opts == 1
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
        assert f["hall_power_mw"].shape == (0, 2)
        assert f["hall_power_mw"].dims[1][0].name == "/hall"
