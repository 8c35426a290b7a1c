"""Run, validate and sweep scenarios in-process; open result files.

Everything here goes through the same C++ code as the ``hybridsim`` command line (the
compiled module ``_hybridsim``): a run's Dataset is the file ``hybridsim run`` would write,
built in memory and opened from its bytes, and a sweep's is the file ``hybridsim sweep``
writes (to a temporary folder, removed afterwards, unless ``path=`` is given).

A result's root group is an ``xarray.Dataset`` with the file's layout (docs/output.md). Its
tables (the HDF5 groups: ``network_events``, ``jobs``, ``summary``, ...) come from
``table(ds, name)``.
"""
import io
import os
import shutil
import tempfile
from collections.abc import Mapping

import h5py
import numpy as np
import pandas as pd
import xarray as xr
import yaml

from . import _hybridsim

# Where a result's tables live in Dataset.encoding (not in attrs: those are the file's).
_TABLES = "hybridsim_tables"


# ---- scenarios and overrides -------------------------------------------------------------

def _looks_like_yaml(text):
    return "\n" in text or text.lstrip().startswith("{") or ": " in text


def _scenario(scenario):
    """(text or path, is_text): a path names an existing file or does not look like YAML."""
    if isinstance(scenario, os.PathLike):
        return os.fspath(scenario), False
    if not isinstance(scenario, str):
        raise TypeError(f"scenario must be a path or YAML text, not {type(scenario).__name__}")
    if os.path.exists(scenario) or not _looks_like_yaml(scenario):
        return scenario, False
    return scenario, True


def _yaml_value(value):
    """VALUE of --set KEY=VALUE: a string as it is (parsed as YAML, as the CLI does), anything
    else rendered as flow-style YAML."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    text = yaml.safe_dump(value, default_flow_style=True, width=float("inf"), allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def _set_options(set):
    """``{"a.b": 1}`` (or ``["a.b=1"]``) as the CLI's ``--set`` strings, in order."""
    if set is None:
        return []
    if isinstance(set, Mapping):
        return [f"{key}={_yaml_value(value)}" for key, value in set.items()]
    if isinstance(set, str):
        return [set]
    return list(set)


def _unset_options(unset):
    if unset is None:
        return []
    return [unset] if isinstance(unset, str) else list(unset)


def _source(scenario, set, unset, seed):
    text, is_text = _scenario(scenario)
    return _hybridsim.Source(text, is_text, "<string>" if is_text else text, _set_options(set),
                             _unset_options(unset), seed)


# ---- reading results ---------------------------------------------------------------------

def _group_names(target):
    with h5py.File(target, "r") as f:
        return [name for name, item in f.items() if isinstance(item, h5py.Group)]


def _load(image):
    """The root group and every table of a file image (bytes), loaded into memory."""
    with xr.open_dataset(io.BytesIO(image), engine="h5netcdf") as ds:
        ds.load()
    tables = {}
    for name in _group_names(io.BytesIO(image)):
        with xr.open_dataset(io.BytesIO(image), engine="h5netcdf", group=name) as t:
            tables[name] = t.load()
    ds.encoding[_TABLES] = tables
    return ds


def table(ds, name):
    """A table (HDF5 group) of a result: ``table(ds, "network_events")``, ``"jobs"``,
    ``"summary"``, ... ``ds`` is what run/sweep/open_run/open_sweep returned (the tables of an
    in-memory result travel in ``ds.encoding``; those of an opened file are read from it)."""
    tables = ds.encoding.get(_TABLES)
    if tables is not None:
        if name not in tables:
            raise KeyError(f"no table {name!r}; this result has {sorted(tables)}")
        return tables[name]
    source = ds.encoding.get("source")
    if source is None:
        raise KeyError(f"no table {name!r}: this Dataset does not come from hybridsim "
                       "(pass the Dataset run/sweep/open_run/open_sweep returned, before transforming it)")
    names = _group_names(source)
    if name not in names:
        raise KeyError(f"no table {name!r} in {source}; it has {sorted(names)}")
    with xr.open_dataset(source, engine="h5netcdf", group=name) as t:
        return t.load()


def open_run(path):
    """A run's file (``hybridsim run -o PATH``) as a Dataset (lazily read; tables: ``table``)."""
    return xr.open_dataset(path, engine="h5netcdf")


def is_sweep(ds):
    """True for a sweep's Dataset (series on run and time), False for a single run's."""
    return "run" in ds.dims


def members(ds):
    """A sweep's member table, one row per run: ``point``, ``replication``, ``seed``, every
    swept key (in its units; dates as datetimes), ``done``, then every summary figure (the
    ``summary`` group: ``npv_usd``, ``cash_usd``, ...)."""
    if not is_sweep(ds):
        raise ValueError("not a sweep: the Dataset has no 'run' dimension")
    columns = {}
    for name, coord in ds.coords.items():
        if name != "run" and coord.dims == ("run",):
            columns[name] = coord.values
    if "done" in ds:
        columns["done"] = ds["done"].values.astype(bool)
    summary = table(ds, "summary")
    for name, var in summary.data_vars.items():
        if var.dims == ("run",):
            columns[name] = var.values
    frame = pd.DataFrame(columns, index=pd.Index(ds["run"].values, name="run"))
    return frame


def open_sweep(path):
    """A sweep's file (``hybridsim sweep -o PATH``): ``(Dataset, members(Dataset))``."""
    ds = xr.open_dataset(path, engine="h5netcdf")
    return ds, members(ds)


def open_sensitivity(path):
    """A sensitivity file (``hybridsim analyze -o PATH``) as a DataFrame, one row per metric
    and parameter: metric, parameter, S1, S1_low, S1_high, ST, ST_low, ST_high, status (the
    CSV's columns, docs/output.md)."""
    with xr.open_dataset(path, engine="h5netcdf", group="sensitivity") as s:
        s = s.load()
    frame = s[["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]].to_dataframe().reset_index()
    status = pd.Series(s["status"].values.astype(str), index=s["metric"].values.astype(str), name="status")
    frame["metric"] = frame["metric"].astype(str)
    frame["parameter"] = frame["parameter"].astype(str)
    return frame.join(status, on="metric")


# ---- running -----------------------------------------------------------------------------

def run(scenario, set=None, unset=None, seed=None, path=None):
    """Runs a scenario in this process and returns its results as an ``xarray.Dataset``.

    ``scenario`` is a file path or YAML text. ``set`` maps keys to values as ``--set`` does
    (``{"world.btc_price.vol_per_year": 0.7, "facility.gpu_clusters[cloud].count": 8192}``; a
    string value is parsed as YAML, so ``"{model: constant, initial_usd: 90000}"`` is a map);
    ``unset`` lists keys to delete (``--unset``); ``seed`` overrides the scenario's. The
    Dataset is the file ``hybridsim run`` writes, variable for variable; ``path`` also writes
    that file (atomically, as the CLI). Raises ``ScenarioError`` for bad input.
    """
    image = _hybridsim.run(_source(scenario, set, unset, seed), os.fspath(path) if path is not None else "")
    ds = _load(image)
    if path is not None:
        ds.encoding["source"] = os.fspath(path)
    return ds


def validate(scenario, set=None, unset=None, seed=None):
    """Checks a scenario as ``hybridsim validate`` does; returns its name. Raises
    ``ScenarioError`` (with ``file``, ``line``, ``col``) for bad input."""
    return _hybridsim.validate(_source(scenario, set, unset, seed))


def _sweep_block_file(sweep, folder):
    """The ``--sweep`` file: None, a path as it is; a mapping (the block) or YAML text written
    into ``folder``."""
    if sweep is None:
        return None
    if isinstance(sweep, os.PathLike) or (isinstance(sweep, str) and not _looks_like_yaml(sweep)):
        return os.fspath(sweep)
    block = yaml.safe_load(sweep) if isinstance(sweep, str) else dict(sweep)
    if not (isinstance(block, Mapping) and "sweep" in block):
        block = {"sweep": block}
    target = os.path.join(folder, "sweep_block.yaml")
    with open(target, "w", encoding="utf-8") as f:
        yaml.safe_dump(block, f, sort_keys=False, allow_unicode=True)
    return target


def sweep(scenario, sweep=None, jobs=None, path=None, set=None, seed=None, resume=False, force=False,
          progress=False):
    """Runs a sweep (``hybridsim sweep``) and returns its Dataset over (run, time).

    ``scenario``: a scenario with a ``sweep:`` block, a sweep file ``{base: ..., sweep: ...}``,
    or YAML text of either. ``sweep``: the block from elsewhere — a file path, YAML text, or a
    dict such as ``{"method": "grid", "params": {"world.btc_price.vol_per_year": [0.4, 0.8]}}``.
    ``jobs``: worker threads (default: every CPU; the file is the same for any count).
    ``set``/``seed`` apply to the base scenario. The sweep is written to ``path`` when given,
    else to a temporary folder removed once the Dataset is loaded into memory (YAML text is
    also written there, so relative paths in it — ``base:``, ``extends:`` — must be absolute).
    ``members(ds)`` gives the member table with the summary figures; ``table(ds, name)`` the
    tables. Raises ``ScenarioError`` for bad input.
    """
    folder = tempfile.mkdtemp(prefix="hybridsim-sweep-")
    try:
        text, is_text = _scenario(scenario)
        if is_text:
            base = os.path.join(folder, "scenario.yaml")
            with open(base, "w", encoding="utf-8") as f:
                f.write(text)
            text = base
        block = _sweep_block_file(sweep, folder)
        output = os.fspath(path) if path is not None else os.path.join(folder, "sweep.h5")
        _hybridsim.sweep(text, block, output, int(jobs or os.cpu_count() or 1), _set_options(set), seed,
                         resume=resume, force=force, progress=progress)
        with open(output, "rb") as f:
            ds = _load(f.read())
        if path is not None:
            ds.encoding["source"] = output
        return ds
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def models():
    """Every scenario section's and model's parameters as a DataFrame (``hybridsim models``):
    section (where in the YAML), family (bitcoin, ai, power, dispatch, finance; empty for the
    site's own keys), registry (the model family, e.g. btc_price; empty for a section), model
    (empty for a section), model_description, parameter, type, units, default (YAML; empty
    when none), required, accepted (the constraint, as error messages give it), description.
    A model without parameters has one row with an empty parameter."""
    return pd.DataFrame(_hybridsim.model_rows())
