"""The plotting helper draws a run's figures from its file, and refuses a file that is not one."""
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PLOT = REPO_ROOT / "tools" / "python" / "hybridsim_plot.py"


@pytest.mark.parametrize("scenario", ["default", "hybrid"])
def test_plot_writes_a_png(bin_dir, tmp_path, scenario):
    program = bin_dir / "hybridsim"
    if not program.is_file():
        pytest.fail(f"{program} does not exist: build target 'hybridsim' first", pytrace=False)
    out = tmp_path / "run.h5"
    run = subprocess.run([str(program), "run", str(REPO_ROOT / "scenarios" / f"{scenario}.yaml"), "-o", str(out),
                          "-q", "--set", "horizon_years=0.5"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    png = tmp_path / "run.png"
    result = subprocess.run([sys.executable, str(PLOT), str(out), "-o", str(png)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # several panels of lines, not an empty canvas


def test_plot_rejects_a_file_that_is_not_a_run(tmp_path):
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("not hdf5")
    result = subprocess.run([sys.executable, str(PLOT), str(bogus)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith(f"hybridsim_plot: {bogus}:")


def test_cohorts_are_drawn_from_the_cohort_dimension(bin_dir, tmp_path):
    import importlib.util

    import matplotlib.pyplot as plt
    import xarray as xr

    spec = importlib.util.spec_from_file_location("hybridsim_plot", PLOT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "run.h5"
    run = subprocess.run([str(bin_dir / "hybridsim"), "run", str(REPO_ROOT / "scenarios" / "default.yaml"), "-o",
                          str(out), "-q", "--set", "horizon_years=0.2"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    ds = xr.open_dataset(out, engine="h5netcdf")
    assert "ASICs running by cohort" in [title for title, _, _ in module.panels(ds)]
    fig, ax = plt.subplots()
    module.draw_stacked(ax, ds.machines_running)
    # One band per cohort, named by the cohort coordinate; the top band reaches the total.
    names = [t.get_text() for t in ax.get_legend().get_texts()]
    assert names == [str(c) for c in ds.cohort.values] and len(names) == 3
    assert len(ax.collections) == 3
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == float(ds.machines_running.sum("cohort").max())
    plt.close(fig)
