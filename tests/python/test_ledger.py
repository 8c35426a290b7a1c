"""Money adds up from the file alone: for every shipped scenario, initial cash (read from the
stored scenario) + Σ cash_sign × Σ_time flow over the variables with an `account` equals the
final cash_usd to 1e-9 relative, and every variable has `units`."""
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((REPO_ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_cash_is_initial_cash_plus_every_account(scenario, bin_dir, tmp_path):
    out = tmp_path / (scenario.stem + ".h5")
    result = subprocess.run([str(bin_dir / "hybridsim"), "run", str(scenario), "-o", str(out), "-q"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        resolved = yaml.safe_load(f.attrs["scenario_yaml"])
        initial = float(resolved["finance"]["initial_cash_usd"])
        total, accounts = initial, []
        for name, var in f.items():
            if not isinstance(var, h5py.Dataset):
                continue
            if "account" in var.attrs:
                sign = int(var.attrs["cash_sign"])
                assert sign in (1, -1), name
                assert var.attrs["units"] == "USD", name
                assert var.attrs["cell_methods"] == "time: sum", name
                total += sign * float(np.sum(var[...]))
                accounts.append(var.attrs["account"])
            is_label_coordinate = var.dtype.kind == "O"
            if not is_label_coordinate:
                assert "units" in var.attrs, f"{name} has no units"
        assert len(accounts) == len(set(accounts)), "an account is recorded twice"
        assert {"energy", "fixed_costs"} <= set(accounts)
        cash = float(f["cash_usd"][-1])
        assert total == pytest.approx(cash, rel=1e-9, abs=1e-3)
        # Non-cash series carry no account.
        for name in ("energy_mwh", "gpu_depreciation_usd", "asic_depreciation_usd", "btc_held", "btc_held_value_usd"):
            if name in f:
                assert "account" not in f[name].attrs, name
