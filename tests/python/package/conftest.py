"""Fixtures of the `hybridsim` package's tests: the CLI to compare with, short runs to share.

Run through ctest ("python: package"), which puts the built package first on PYTHONPATH:
    PYTHONPATH=build/python /usr/bin/python3 -m pytest tests/python/package
"""
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = REPO_ROOT / "scenarios"


@pytest.fixture(scope="session")
def cli():
    """Runs the built `hybridsim` program ($HYBRIDSIM_BIN_DIR, default build/bin)."""
    folder = Path(os.environ.get("HYBRIDSIM_BIN_DIR", REPO_ROOT / "build" / "bin"))
    program = folder / "hybridsim"
    if not program.is_file():
        pytest.fail(f"{program} does not exist: build target 'hybridsim' first", pytrace=False)

    def run(*args, cwd=None, check=True):
        result = subprocess.run([str(program), *map(str, args)], capture_output=True, text=True, timeout=600,
                                cwd=cwd)
        if check and result.returncode != 0:
            pytest.fail(f"hybridsim {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}",
                        pytrace=False)
        return result

    return run


# A run that crosses the April 2024 halving (default.yaml starts 2024-01-01) in a few tenths
# of a second.
SHORT = {"horizon_years": 0.4}


@pytest.fixture(scope="session")
def default_run_file(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "default.h5"
    cli("run", SCENARIOS / "default.yaml", "-o", out, "-q", "--set", "horizon_years=0.4")
    return out


@pytest.fixture(scope="session")
def default_run():
    import hybridsim
    return hybridsim.run(SCENARIOS / "default.yaml", set=SHORT)


SWEEP = f"""base: {SCENARIOS / 'default.yaml'}
sweep:
  replications: 2
  params:
    world.btc_price.vol_per_year: [0.4, 0.8]
    facility.asic_cohorts[0].count: {{from: 1000, to: 5000, steps: 3}}
"""


@pytest.fixture(scope="session")
def sweep_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("sweep") / "grid.yaml"
    p.write_text(SWEEP)
    return p


@pytest.fixture(scope="session")
def cli_sweep(cli, sweep_file):
    out = sweep_file.parent / "cli.h5"
    cli("sweep", sweep_file, "-o", out, "-j", "2", "-q", "--set", "horizon_years=0.3")
    return out


@pytest.fixture(scope="session")
def py_sweep(sweep_file):
    import hybridsim
    return hybridsim.sweep(sweep_file, jobs=2, set={"horizon_years": 0.3})
