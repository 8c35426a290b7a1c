"""Beyond one machine: `mpirun -np 2 hybridsim sweep` and shards put together by `hybridsim
merge` give the datasets of a local run, bit for bit; bad shards and mismatched merges are
refused; --resume rebuilds a sweep file left unreadable from its journal."""
import os
import re
import shutil
import subprocess

import h5py
import pytest

from test_sweep import SETS, assert_same_datasets, serial, sweep_yaml  # noqa: F401 (fixtures)

MPIRUN = shutil.which("mpirun")
# Root in a container, more ranks than cores: what OpenMPI needs to start here.
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


def mpirun(hybridsim, ranks, *args, env=None):
    command = [MPIRUN, "--oversubscribe", "-np", str(ranks)]
    for name in (env or {}):
        command += ["-x", name]
    command += [str(hybridsim.program), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **MPI_ENV, **(env or {})})


@pytest.fixture(scope="module")
def with_mpi(hybridsim, sweep_yaml):
    if MPIRUN is None:
        pytest.skip("mpirun is not installed (Debian: openmpi-bin)")
    r = mpirun(hybridsim, 2, "sweep", sweep_yaml, "--dry-run", *SETS)
    if r.returncode == 2 and "built without MPI" in r.stderr:
        pytest.skip("this hybridsim was built without MPI (install libopenmpi-dev and reconfigure)")
    assert r.returncode == 0, r.stderr
    return True


def test_two_mpi_ranks_write_the_datasets_of_a_local_run(hybridsim, with_mpi, sweep_yaml, serial, tmp_path):
    out = tmp_path / "mpi.h5"
    r = mpirun(hybridsim, 2, "sweep", sweep_yaml, "-o", out, "-j", "1", *SETS)
    assert r.returncode == 0, r.stderr
    assert "12 members run, 0 already there" in r.stdout
    assert r.stdout.count("wrote") == 1  # only rank 0 speaks
    assert_same_datasets(serial, out)
    assert not (tmp_path / "mpi.h5.journal").exists()


def test_mpi_bad_input_is_reported_once_and_writes_nothing(hybridsim, with_mpi, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"base: {sweep_yaml_base()}\nsweep:\n  params:\n    world.btc_price.vol: [0.4]\n")
    out = tmp_path / "bad.h5"
    r = mpirun(hybridsim, 3, "sweep", bad, "-o", out)
    assert r.returncode == 2
    assert r.stderr.count("the scenario has no key 'world.btc_price.vol'") == 1
    assert not out.exists() and not (tmp_path / "bad.h5.journal").exists()


def test_mpi_sweep_killed_then_resumed_equals_a_local_run(hybridsim, with_mpi, sweep_yaml, serial, tmp_path):
    out = tmp_path / "killed.h5"
    r = mpirun(hybridsim, 2, "sweep", sweep_yaml, "-o", out, "-j", "1", *SETS,
               env={"HYBRIDSIM_SWEEP_ABORT_AFTER": "4"})
    assert r.returncode == 137
    r = mpirun(hybridsim, 2, "sweep", sweep_yaml, "-o", out, "-j", "1", "--resume", *SETS)
    assert r.returncode == 0, r.stderr
    run, there = map(int, re.search(r"(\d+) members run, (\d+) already there", r.stdout).groups())
    assert run + there == 12 and there >= 4
    assert_same_datasets(serial, out)


def sweep_yaml_base():
    from test_sweep import DEFAULT
    return DEFAULT


def shard(hybridsim, sweep_yaml, path, spec, *extra, env=None):
    return hybridsim("sweep", sweep_yaml, "-o", path, "--shard", spec, *SETS, *extra, env=env)


@pytest.fixture(scope="module")
def shards(hybridsim, sweep_yaml, tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards")
    paths = [folder / f"s{i}.h5" for i in (1, 2, 3)]
    for i, p in enumerate(paths, 1):
        r = shard(hybridsim, sweep_yaml, p, f"{i}/3", "-j", "2")
        assert r.returncode == 0, r.stderr
    return paths


def test_merged_shards_equal_a_local_run(hybridsim, shards, serial, tmp_path):
    with h5py.File(shards[1], "r") as f:  # shard 2 of 12 members in 3: members 4..7
        assert list(f["done"][()]) == [0] * 4 + [1] * 4 + [0] * 4
        assert (f.attrs["shard_index"], f.attrs["shard_count"]) == (2, 3)
    out = tmp_path / "merged.h5"
    r = hybridsim("merge", out, shards[2], shards[0], shards[1])  # any order
    assert r.returncode == 0, r.stderr
    assert "12 members from 3 shards" in r.stdout
    assert_same_datasets(serial, out)
    with h5py.File(out, "r") as f:
        assert "shard_index" not in f.attrs


def test_bad_shard_is_refused(hybridsim, sweep_yaml, tmp_path):
    out = tmp_path / "x.h5"
    for spec, message in [("0/4", "--shard 0/4: i must be in 1..N (here 1..4)"),
                          ("5/4", "--shard 5/4: i must be in 1..N (here 1..4)"),
                          ("2", "--shard 2: expected i/N"),
                          ("1/13", "--shard 1/13: the sweep has 12 members")]:
        r = shard(hybridsim, sweep_yaml, out, spec)
        assert r.returncode == 2, spec
        assert message in r.stderr, r.stderr
    assert not out.exists()


def test_merge_refuses_shards_that_do_not_belong_together(hybridsim, sweep_yaml, shards, serial, tmp_path):
    out = tmp_path / "merged.h5"
    other = tmp_path / "other.h5"  # shard 2/3 of another sweep (another horizon)
    assert hybridsim("sweep", sweep_yaml, "-o", other, "--shard", "2/3", "--set", "horizon_years=0.25").returncode == 0
    four = tmp_path / "four.h5"  # shard 2 of 4
    assert shard(hybridsim, sweep_yaml, four, "2/4").returncode == 0
    partial = tmp_path / "partial.h5"  # shard 2/3 killed after one member
    assert shard(hybridsim, sweep_yaml, partial, "2/3", env={"HYBRIDSIM_SWEEP_ABORT_AFTER": "1"}).returncode == 137
    cases = [
        ([shards[0], shards[2]], "shard 2/3 (members 4..7) is missing"),
        ([shards[0], shards[1], shards[1], shards[2]], "shard 2/3 is given twice"),
        ([shards[0], other, shards[2]], "shard of another sweep"),
        ([shards[0], four, shards[2]], "the shards of one sweep share N"),
        ([shards[0], partial, shards[2]], "shard 2/3 is incomplete: 1 of its 4 members"),
        ([shards[0], serial, shards[2]], "not a shard"),
    ]
    for files, message in cases:
        r = hybridsim("merge", out, *files)
        assert r.returncode == 2, message
        assert message in r.stderr, r.stderr
        assert not out.exists()
    r = shard(hybridsim, sweep_yaml, partial, "1/3", "--resume")  # another shard's file
    assert r.returncode == 2
    assert "the file holds shard 2/3, this run is shard 1/3; resume with the same --shard" in r.stderr
    # The partial shard resumes (from its file, without a journal), then merges.
    (tmp_path / "partial.h5.journal").unlink()
    r = shard(hybridsim, sweep_yaml, partial, "2/3", "--resume")
    assert r.returncode == 0, r.stderr
    assert "3 members run, 1 already there" in r.stdout
    assert hybridsim("merge", out, shards[0], partial, shards[2]).returncode == 0
    assert_same_datasets(serial, out)


def test_resume_rebuilds_an_unreadable_file_from_its_journal(hybridsim, sweep_yaml, serial, tmp_path):
    """What a kill inside an HDF5 flush can do to the file, done on purpose: the file is
    mangled after five members, the journal ends in a torn record; --resume still ends with
    the datasets of an uninterrupted sweep."""
    out = tmp_path / "mangled.h5"
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "2", *SETS, env={"HYBRIDSIM_SWEEP_ABORT_AFTER": "5"})
    assert r.returncode == 137
    journal = tmp_path / "mangled.h5.journal"
    assert journal.exists()
    data = bytearray(out.read_bytes())
    data[len(data) // 3: len(data) // 3 + 4096] = bytes(4096)
    out.write_bytes(bytes(data[: len(data) * 2 // 3]))
    with open(journal, "ab") as j:
        j.write(b"\x10\x00\x00\x00\x00\x00\x00\x00torn")
    r = hybridsim("sweep", sweep_yaml, "-o", out, "-j", "2", "--resume", *SETS)
    assert r.returncode == 0, r.stderr
    run, there = map(int, re.search(r"(\d+) members run, (\d+) already there", r.stdout).groups())
    assert run + there == 12 and there >= 5
    assert_same_datasets(serial, out)
    assert not journal.exists()
