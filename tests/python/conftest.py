"""Shared pytest fixtures for the Python-side tests of hybridsim's output files.

Run with the Debian interpreter, which sees h5py, xarray and h5netcdf:
    /usr/bin/python3 -m pytest tests/python
The C++ helper programs are looked up in $HYBRIDSIM_BIN_DIR (default: build/bin under the
repository root); build them first, e.g. `cmake --build build --target hybridsim-write-fixture`.
"""
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bin_dir() -> Path:
    """Folder holding the built hybridsim programs."""
    configured = os.environ.get("HYBRIDSIM_BIN_DIR")
    path = Path(configured) if configured else REPO_ROOT / "build" / "bin"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


@pytest.fixture(scope="session")
def hybridsim(bin_dir):
    """Runs the `hybridsim` program with arguments (and extra environment variables), capturing
    its output; `hybridsim.program` is its path. Fails (never skips) if it has not been built."""
    program = bin_dir / "hybridsim"
    if not program.is_file():
        pytest.fail(f"{program} does not exist: build target 'hybridsim' first", pytrace=False)

    def run(*args, env=None):
        return subprocess.run([str(program), *map(str, args)], capture_output=True, text=True, timeout=600,
                              env={**os.environ, **(env or {})})

    run.program = program
    return run


@pytest.fixture(scope="session")
def run_program(bin_dir):
    """Runs a built program from bin_dir; fails (never skips) if it has not been built."""

    def run(name: str, *args: str) -> subprocess.CompletedProcess:
        program = bin_dir / name
        if not program.is_file():
            pytest.fail(
                f"{program} does not exist: build target {name!r} first, or point "
                f"HYBRIDSIM_BIN_DIR at the folder that holds it",
                pytrace=False,
            )
        result = subprocess.run(
            [str(program), *args], capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            pytest.fail(
                f"{name} {' '.join(args)} exited with {result.returncode}:\n{result.stderr}",
                pytrace=False,
            )
        return result

    return run
