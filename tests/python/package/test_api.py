"""The package's API against the command line: the same data, the same errors."""
import re

import numpy as np
import pytest
import xarray as xr

import hybridsim
from conftest import REPO_ROOT, SCENARIOS, SHORT

BAD = REPO_ROOT / "tests" / "bad_scenarios"


def assert_same(a, b):
    """Every variable, coordinate and attribute equal (NaN equal to NaN)."""
    assert sorted(a.variables) == sorted(b.variables)
    for name in a.variables:
        x, y = a[name], b[name]
        assert x.dims == y.dims, name
        assert x.dtype == y.dtype, name
        assert np.array_equal(x.values, y.values, equal_nan=x.dtype.kind in "fmM"), name
        assert x.attrs == y.attrs, name
    assert a.attrs.keys() == b.attrs.keys()
    for key in a.attrs:
        x, y = a.attrs[key], b.attrs[key]
        assert np.array_equal(x, y, equal_nan=np.asarray(x).dtype.kind == "f"), key


def groups(path):
    import h5py
    with h5py.File(path, "r") as f:
        return sorted(k for k, v in f.items() if isinstance(v, h5py.Group))


def test_run_equals_the_cli_file(default_run, default_run_file):
    with xr.open_dataset(default_run_file, engine="h5netcdf") as cli_ds:
        assert_same(default_run, cli_ds.load())
    names = groups(default_run_file)
    assert "network_events" in names and "summary" in names
    for name in names:
        with xr.open_dataset(default_run_file, engine="h5netcdf", group=name) as t:
            assert_same(hybridsim.table(default_run, name), t.load())


def test_run_of_a_hybrid_site_with_halls_and_jobs_equals_the_cli(cli, tmp_path):
    out = tmp_path / "hybrid.h5"
    cli("run", SCENARIOS / "hybrid.yaml", "-o", out, "-q", "--set", "horizon_years=0.1", "--seed", "9")
    ds = hybridsim.run(str(SCENARIOS / "hybrid.yaml"), set={"horizon_years": 0.1}, seed=9)
    assert ds.hall_power_mw.dims == ("time", "hall")
    with xr.open_dataset(out, engine="h5netcdf") as cli_ds:
        assert_same(ds, cli_ds.load())
    for name in groups(out):
        with xr.open_dataset(out, engine="h5netcdf", group=name) as t:
            assert_same(hybridsim.table(ds, name), t.load())


def test_run_writes_the_file_when_given_a_path(default_run, tmp_path):
    out = tmp_path / "sub.h5"
    ds = hybridsim.run(SCENARIOS / "default.yaml", set=SHORT, path=out)
    assert_same(ds, default_run)
    with hybridsim.open_run(out) as opened:
        assert_same(opened.load(), default_run)
        # Tables of an opened file come from the file.
        assert_same(hybridsim.table(opened, "network_events"), hybridsim.table(default_run, "network_events"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub.h5"]  # no temporary left


def test_set_values_of_every_kind_and_unset_act_as_on_the_command_line(cli, tmp_path):
    out = tmp_path / "cli.h5"
    cli("run", SCENARIOS / "hybrid.yaml", "-o", out, "-q", "--set", "horizon_years=0.05",
        "--set", "world.btc_price={model: constant, initial_usd: 90000}",
        "--set", "facility.gpu_clusters[cloud].count=1024", "--unset", "finance")
    ds = hybridsim.run(SCENARIOS / "hybrid.yaml",
                       set={"horizon_years": 0.05, "world.btc_price": {"model": "constant", "initial_usd": 90000},
                            "facility.gpu_clusters[cloud].count": np.int64(1024)},
                       unset=["finance"])
    with xr.open_dataset(out, engine="h5netcdf") as cli_ds:
        assert_same(ds, cli_ds.load())
    assert float(ds.btc_price_usd.min()) == float(ds.btc_price_usd.max()) == 90000.0


def test_a_scenario_given_as_yaml_text_runs_like_its_file(default_run):
    text = (SCENARIOS / "default.yaml").read_text()
    ds = hybridsim.run(text, set=SHORT)
    assert ds.attrs["scenario_source"] == "<string>"
    for name in default_run.data_vars:
        np.testing.assert_array_equal(ds[name].values, default_run[name].values, err_msg=name)


def test_validate_returns_the_name_and_raises_with_the_location(tmp_path, cli):
    assert hybridsim.validate(SCENARIOS / "default.yaml") == "mining-100mw-2024-halving"
    bad = tmp_path / "bad.yaml"
    text = re.sub(r"vol_per_year: [0-9.]+", "vol_per_year: high", (SCENARIOS / "default.yaml").read_text(), count=1)
    bad.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "vol_per_year: high" in l)
    with pytest.raises(hybridsim.ScenarioError) as info:
        hybridsim.validate(bad)
    e = info.value
    assert (e.file, e.line) == (str(bad), line)
    assert e.col == text.splitlines()[line - 1].index("high") + 1
    assert str(e) == f"{bad}:{e.line}:{e.col}: {e.message}"
    assert isinstance(e, ValueError)
    cli_result = cli("validate", bad, check=False)
    assert cli_result.returncode == 2
    assert cli_result.stderr.strip() == str(e)
    # The run refuses it the same way, before running.
    with pytest.raises(hybridsim.ScenarioError, match="vol_per_year"):
        hybridsim.run(bad)


def test_an_override_error_names_the_override():
    with pytest.raises(hybridsim.ScenarioError) as info:
        hybridsim.validate(SCENARIOS / "default.yaml", set={"world.btc_price.vol_per_year": -1})
    e = info.value
    assert e.file == "--set world.btc_price.vol_per_year=-1"
    assert e.line is None and e.col is None
    assert str(e).startswith("--set world.btc_price.vol_per_year=-1: world.btc_price.vol_per_year:")


def test_yaml_text_errors_point_into_the_text():
    with pytest.raises(hybridsim.ScenarioError) as info:
        hybridsim.validate("name: x\nstart: 2024-01-01\nhorizon_years: -1\n")
    assert (info.value.file, info.value.line, info.value.col) == ("<string>", 3, 16)


def test_a_missing_file_raises_a_scenario_error(tmp_path):
    with pytest.raises(hybridsim.ScenarioError) as info:
        hybridsim.run(tmp_path / "nowhere.yaml")
    assert str(tmp_path / "nowhere.yaml") in str(info.value)


@pytest.mark.parametrize("name", sorted(p.stem for p in BAD.glob("*.yaml")))
def test_every_bad_scenario_raises_the_cli_message(name, monkeypatch):
    # As test_bad_scenarios.py runs the CLI: from that folder, with the relative name.
    monkeypatch.chdir(BAD)
    expected = (BAD / f"{name}.expected").read_text().rstrip("\n")
    with pytest.raises(hybridsim.ScenarioError) as info:
        hybridsim.run(f"{name}.yaml")
    assert str(info.value) == expected


def test_sweep_equals_the_cli_file(py_sweep, cli_sweep):
    with xr.open_dataset(cli_sweep, engine="h5netcdf") as cli_ds:
        assert_same(py_sweep, cli_ds.load())
    for name in groups(cli_sweep):
        with xr.open_dataset(cli_sweep, engine="h5netcdf", group=name) as t:
            assert_same(hybridsim.table(py_sweep, name), t.load())


def test_members_and_open_sweep(py_sweep, cli_sweep):
    table = hybridsim.members(py_sweep)
    assert len(table) == 12 and table["done"].all()
    assert list(table.columns[:5]) == ["seed", "replication", "point", "world.btc_price.vol_per_year",
                                       "facility.asic_cohorts[0].count"]
    assert sorted(set(table["facility.asic_cohorts[0].count"])) == [1000, 3000, 5000]
    with xr.open_dataset(cli_sweep, engine="h5netcdf", group="summary") as summary:
        np.testing.assert_array_equal(table["npv_usd"].to_numpy(), summary["npv_usd"].values)
    ds, opened = hybridsim.open_sweep(cli_sweep)
    with ds:
        assert hybridsim.is_sweep(ds)
        assert opened.equals(table)


def test_sweep_block_as_a_dict(tmp_path):
    ds = hybridsim.sweep(SCENARIOS / "default.yaml", sweep={"params": {"world.btc_price.vol_per_year": [0.3, 0.5]}},
                         jobs=1, set={"horizon_years": 0.05}, path=tmp_path / "s.h5")
    assert ds.sizes["run"] == 2
    assert list(ds["world.btc_price.vol_per_year"].values) == [0.3, 0.5]
    assert (tmp_path / "s.h5").is_file()


def test_a_bad_sweep_raises():
    with pytest.raises(hybridsim.ScenarioError, match="the scenario has no key 'world.btc_price.vol'"):
        hybridsim.sweep(SCENARIOS / "default.yaml", sweep={"params": {"world.btc_price.vol": [0.3]}}, jobs=1)


def test_models_lists_sections_and_models():
    m = hybridsim.models()
    assert list(m.columns) == ["section", "family", "registry", "model", "model_description", "parameter", "type",
                               "units", "default", "required", "accepted", "description"]
    gbm = m[(m.registry == "btc_price") & (m.model == "gbm")].set_index("parameter")
    assert (gbm.family == "bitcoin").all()
    assert gbm.loc["vol_per_year", "units"] == "1/sqrt(year)"
    assert gbm.loc["vol_per_year", "type"] == "number"
    assert gbm.loc["vol_per_year", "section"] == "world.btc_price"
    halls = m[m.section == "facility.halls[]"].set_index("parameter")
    assert bool(halls.loc["name", "required"]) and halls.loc["name", "default"] == ""
    # A model without parameters still has its row.
    assert ((m.registry == "pool") & (m.model == "solo") & (m.parameter == "")).sum() == 1
    assert set(m[m.registry == "pool"].model) == {"fpps", "solo"}
    # Every section and model the CLI lists is in the table.
    assert {"facility.btc_treasury", "finance.loans[]", "world.power_price"} <= set(m.section)


def test_the_interpreter_outlives_many_bad_runs():
    for _ in range(20):
        with pytest.raises(hybridsim.ScenarioError):
            hybridsim.run("name: x\n")
    assert hybridsim.validate(SCENARIOS / "default.yaml")


def test_other_threads_run_while_a_run_simulates():
    # With the GIL held for the whole C++ run, this thread would stall for most of it.
    import threading
    import time
    finished = threading.Event()
    took = {}

    def work():
        start = time.perf_counter()
        hybridsim.run(SCENARIOS / "default.yaml", set={"horizon_years": 2})
        took["s"] = time.perf_counter() - start
        finished.set()

    worker = threading.Thread(target=work)
    last, longest, steps = time.perf_counter(), 0.0, 0
    worker.start()
    while not finished.is_set():
        now = time.perf_counter()
        longest, last, steps = max(longest, now - last), now, steps + 1
        time.sleep(0.001)
    worker.join()
    assert longest < 0.5 * took["s"], (longest, took["s"], steps)
