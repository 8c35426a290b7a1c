"""Input that cannot hurt: every malformed scenario, through the real CLI.

Each `tests/bad_scenarios/NAME.yaml` runs as `hybridsim run NAME.yaml -o OUT` from that folder
and must exit 2 with exactly the one line kept in `NAME.expected` on stderr, print nothing on
stdout, and leave nothing at OUT (no temporary file either). Cases too big to commit (a 50 MB
file, 10,000-deep nesting) are generated here; so are the output-location cases (the scenario
itself, a device, a symlink, a folder, a read-only or full disk, signals during a run).
"""
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BAD = REPO_ROOT / "tests" / "bad_scenarios"
DEFAULT = REPO_ROOT / "scenarios" / "default.yaml"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.fixture(scope="module")
def cli(bin_dir):
    program = bin_dir / "hybridsim"
    if not program.is_file():
        pytest.fail(f"{program} does not exist: build target 'hybridsim' first", pytrace=False)

    def run(*args, cwd=None, timeout=300, **kw):
        return subprocess.run([str(program), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                              cwd=cwd, **kw)

    run.program = program
    return run


def assert_refused(result, expected_line, out: Path):
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == expected_line
    assert not out.exists()
    leftovers = [p.name for p in out.parent.iterdir() if ".tmp-" in p.name]
    assert leftovers == []


def test_the_corpus_has_at_least_60_cases_each_with_its_message():
    assert len(CASES) >= 60
    for name in CASES:
        assert (BAD / f"{name}.expected").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_bad_scenario(cli, tmp_path, name):
    before = sorted(p.name for p in BAD.rglob("*"))
    out = tmp_path / "out.h5"
    result = cli("run", f"{name}.yaml", "-o", out, cwd=BAD)
    expected = (BAD / f"{name}.expected").read_text().rstrip("\n")
    assert_refused(result, expected, out)
    assert list(tmp_path.iterdir()) == []
    assert sorted(p.name for p in BAD.rglob("*")) == before
    # The alias bomb expands to 3.5e9 nodes if walked naively (it took 18.8 s at 2.5 KB); that
    # it no longer is, is shown structurally in tests/run/test_scenario_errors.cpp (no timed test).


def generated(tmp_path, name, text, mode="w"):
    path = tmp_path / name
    with open(path, mode) as f:
        f.write(text)
    return path


def test_a_50_mb_file_is_refused_by_its_size(cli, tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "w") as f:
        f.write("name: big\n")
        f.write(("# " + "x" * 1022 + "\n") * (50 * 1024))
    out = tmp_path / "out" / "o.h5"
    out.parent.mkdir()
    assert_refused(cli("run", big, "-o", out), f"{big}: is 50 MiB; a scenario file is at most 10 MiB of YAML", out)


@pytest.mark.parametrize("kind", ["flow", "block_list", "block_map"])
def test_10000_deep_nesting_is_refused_without_overflowing_the_stack(cli, tmp_path, kind):
    depth = 10_000
    if kind == "flow":
        text = "name: " + "[" * depth + "]" * depth + "\n"
        where = "1:71"
    elif kind == "block_list":
        text = "name:\n" + "- " * depth + "x\n"
        where = "2:127"
    else:
        text = "".join(" " * i + "k:\n" for i in range(4000))  # 8 MB: the size limit bounds block depth
        where = "65:65"
    path = generated(tmp_path, "deep.yaml", text)
    out = tmp_path / "o.h5"
    result = cli("run", path, "-o", out)
    assert_refused(result, f"{path}:{where}: nesting more than 64 levels deep; a scenario nests maps and lists at "
                           "most 64 levels", out)


def test_output_equal_to_the_scenario_is_refused_and_the_scenario_kept(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    shutil.copy(DEFAULT, scenario)
    before = scenario.read_bytes()
    result = cli("run", scenario, "-o", scenario)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"{scenario}: is the scenario file itself; choose another output name " \
                            "(e.g. results/<scenario>.h5)\n"
    assert scenario.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]
    # The same file under another name (a hard link) is the scenario too.
    os.link(scenario, tmp_path / "alias.h5")
    assert cli("run", scenario, "-o", tmp_path / "alias.h5").returncode == 2
    assert scenario.read_bytes() == before


def test_dev_null_is_never_replaced(cli, tmp_path):
    result = cli("run", DEFAULT, "-o", "/dev/null")
    assert result.returncode == 2
    assert result.stderr == "/dev/null: is not a regular file (a device, a pipe or a socket); hybridsim replaces " \
                            "only regular files\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith("null.tmp-")]


def test_a_symlink_at_the_output_is_not_replaced(cli, tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    link = tmp_path / "out.h5"
    link.symlink_to(target)
    result = cli("run", DEFAULT, "-o", link)
    assert result.returncode == 2
    assert result.stderr == f"{link}: is a symbolic link; hybridsim replaces only regular files (remove the link " \
                            "or choose another name)\n"
    assert link.is_symlink() and target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5", "target.txt"]


def test_a_folder_or_a_trailing_slash_is_refused(cli, tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    result = cli("run", DEFAULT, "-o", folder)
    assert result.returncode == 2
    assert result.stderr == f"{folder}: is a folder; give a file name inside it, such as {folder}/run.h5\n"
    result = cli("run", DEFAULT, "-o", f"{folder}/")
    assert result.returncode == 2
    assert result.stderr == f"{folder}/: ends in '/'; give a file name such as {folder}/run.h5\n"
    assert list(folder.iterdir()) == []


def test_an_unwritable_location_is_refused_before_the_run(cli, tmp_path):
    # /proc takes no new files, not even from root.
    result = cli("run", DEFAULT, "-o", "/proc/hybridsim-out.h5", "--set", "horizon_years=30")
    assert result.returncode == 2
    assert result.stderr == "/proc/hybridsim-out.h5: cannot create a file in the folder /proc: " \
                            "No such file or directory\n"
    missing = tmp_path / "missing" / "o.h5"
    result = cli("run", DEFAULT, "-o", missing)
    assert result.stderr == f"{missing}: the folder {missing.parent} does not exist; create it first\n"


def mount_tmpfs(path: Path, options: str) -> bool:
    """Mounts a tmpfs at `path` (root only); False when this machine does not allow it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    path.mkdir(exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def test_a_read_only_folder_is_refused(cli, tmp_path):
    folder = tmp_path / "ro"
    if mount_tmpfs(folder, "ro,size=1m"):
        try:
            result = cli("run", DEFAULT, "-o", folder / "o.h5")
            assert result.returncode == 2
            assert result.stderr == f"{folder}/o.h5: cannot create a file in the folder {folder}: " \
                                    "Read-only file system\n"
        finally:
            subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.mkdir()
        folder.chmod(0o555)
        result = cli("run", DEFAULT, "-o", folder / "o.h5")
        folder.chmod(0o755)
        assert result.returncode == 2
        assert result.stderr == f"{folder}/o.h5: cannot create a file in the folder {folder}: Permission denied\n"


def check_full_disk(cli, folder: Path, **kw):
    """A run whose file does not fit: exit 2, one line, the previous file intact."""
    out = folder / "o.h5"
    out.write_bytes(b"previous results")
    out.chmod(0o640)
    result = cli("run", DEFAULT, "-o", out, "-q", "--set", "horizon_years=20", "--set", "record_every=1h",
                 "--force", **kw)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{out}: cannot write ")
    assert lines[0].endswith("; nothing was written and any previous file is left as it was")
    assert out.read_bytes() == b"previous results"
    assert sorted(p.name for p in folder.iterdir()) == ["o.h5"]
    return lines[0]


def test_a_full_disk_during_the_write_leaves_the_previous_file(cli, tmp_path):
    folder = tmp_path / "small"
    if not mount_tmpfs(folder, "size=1m"):
        pytest.skip("cannot mount a tmpfs here (not root); the file-size limit test covers the write error")
    try:
        line = check_full_disk(cli, folder)
        assert "No space left on device" in line
        # Without --force the estimate refuses the run up front.
        result = cli("run", DEFAULT, "-o", folder / "o.h5", "--set", "horizon_years=20", "--set", "record_every=1h")
        assert result.returncode == 2
        assert "are free in the folder of" in result.stderr and "--force" in result.stderr
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_file_size_limit_during_the_write_leaves_the_previous_file(cli, tmp_path):
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))

    line = check_full_disk(cli, tmp_path, preexec_fn=limit)
    assert "File too large" in line


def test_an_existing_file_keeps_its_mode(cli, tmp_path):
    out = tmp_path / "o.h5"
    out.write_bytes(b"old")
    out.chmod(0o604)
    assert cli("run", DEFAULT, "-o", out, "-q").returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert out.read_bytes()[:8] == b"\x89HDF\r\n\x1a\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_run_removes_the_temporary_file(cli, tmp_path, sig):
    out = tmp_path / "o.h5"
    proc = subprocess.Popen([str(cli.program), "run", DEFAULT, "-o", out, "-q", "--set", "horizon_years=100",
                             "--set", "record_every=1h", "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    temporary = Path(f"{out}.tmp-{proc.pid}")
    deadline = time.monotonic() + 60
    while not temporary.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert temporary.exists(), "the temporary file is reserved before the run starts"
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode == -sig
    assert list(tmp_path.iterdir()) == []


def test_runs_too_big_are_refused_with_the_estimate_unless_forced(cli, tmp_path):
    out = tmp_path / "o.h5"
    result = cli("run", DEFAULT, "-o", out, "--set", "horizon_years=200", "--set", "record_every=1s")
    assert result.returncode == 2
    assert "the run would record 6311520001 samples of" in result.stderr
    # Memory is no limit (the run streams to the file); the disk is: 2 TB do not fit here.
    assert "are free in the folder of" in result.stderr and "--force" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_models_with_an_unknown_family_says_so_on_stderr(cli):
    result = cli("models", "nope")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("hybridsim models: no model family or section named 'nope'; valid: bitcoin, ai, "
                                    "power, dispatch, finance (families of models); btc_price, ")
    assert "facility.halls[]" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_scenario_that_is_a_folder_or_missing_or_a_device(cli, tmp_path):
    out = tmp_path / "o.h5"
    assert_refused(cli("run", tmp_path, "-o", out), f"{tmp_path}: is a folder; expected a scenario YAML file", out)
    assert_refused(cli("run", tmp_path / "nope.yaml", "-o", out),
                   f"{tmp_path}/nope.yaml: no such file; expected a scenario YAML file", out)
    assert_refused(cli("run", "/dev/zero", "-o", out),
                   "/dev/zero: is not a regular file (a device, a pipe or a socket); expected a scenario YAML file",
                   out)
