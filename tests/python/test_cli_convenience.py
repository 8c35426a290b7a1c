"""Where users stumble: `hybridsim models NAME` by family, section or model family; unknown
subcommands named; the generated scenario reference."""
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def sections_of(stdout):
    """The section keys (`  key — what`) and model families (`name (key: {model: ...`) listed."""
    out = []
    in_family = False  # a model family's models are listed like sections, under its header
    for line in stdout.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and " — " in line and not in_family:
            out.append(line.split(" — ")[0].strip())
        elif line and not line.startswith(" ") and "{model: NAME" in line:
            out.append(line.split(" (")[1].split(":")[0])
            in_family = True
    return out


def test_models_by_family_of_models(hybridsim):
    result = hybridsim("models", "bitcoin")
    assert result.returncode == 0, result.stderr
    listed = sections_of(result.stdout)
    for key in ["world.bitcoin", "facility.asic_cohorts[]", "facility.mining", "facility.btc_treasury",
                "world.btc_price", "world.network", "world.fees", "facility.pool"]:
        assert key in listed, key
    assert "facility.gpu_clusters[]" not in listed and "world.power_price" not in listed
    ai = sections_of(hybridsim("models", "ai").stdout)
    assert ai == ["facility.gpu_clusters[]", "facility.ai_shock", "facility.jobs", "facility.scheduler",
                  "facility.contracts[]", "facility.gpu_price"]
    assert sections_of(hybridsim("models", "power").stdout) == ["world.power_price"]
    assert sections_of(hybridsim("models", "dispatch").stdout) == ["facility.dispatch"]
    assert sections_of(hybridsim("models", "finance").stdout) == ["facility.conversions[]", "finance", "finance.loans[]"]


@pytest.mark.parametrize("name,key", [("halls", "facility.halls[]"), ("limit_mw", "facility.halls[].limit_mw[]"), ("loans", "finance.loans[]"),
                                      ("conversions", "facility.conversions[]"),
                                      ("btc_treasury", "facility.btc_treasury"), ("btc_price", "world.btc_price"),
                                      ("world.btc_price", "world.btc_price")])
def test_models_by_section_or_model_family(hybridsim, name, key):
    result = hybridsim("models", name)
    assert result.returncode == 0, result.stderr
    assert sections_of(result.stdout) == [key]


def test_models_by_prefix(hybridsim):
    for name in ["facility.halls[]", "facility.halls"]:
        assert sections_of(hybridsim("models", name).stdout) == ["facility.halls[]", "facility.halls[].limit_mw[]"]
    listed = sections_of(hybridsim("models", "facility.demand_response").stdout)
    assert listed == ["facility.demand_response.programs[]", "facility.demand_response.programs[].events[]",
                      "facility.demand_response.coincident_peaks"]


def test_models_miss_lists_the_valid_names_and_a_near_one(hybridsim):
    result = hybridsim("models", "bitcion")
    assert result.returncode == 2 and result.stdout == ""
    line, = result.stderr.splitlines()
    assert line.startswith("hybridsim models: no model family or section named 'bitcion' (did you mean 'bitcoin'?); "
                           "valid: bitcoin, ai, power, dispatch, finance (families of models); ")
    for name in ["btc_price", "gpu_price", "facility.conversions[]", "finance.loans[]", "facility.btc_treasury"]:
        assert name in line


def test_unknown_subcommand_is_named_with_the_valid_ones(hybridsim):
    result = hybridsim("foo")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("hybridsim: unknown subcommand 'foo'; valid: run, validate, models, inspect, sweep")
    near = hybridsim("valdate", "x.yaml")
    assert near.returncode == 2
    assert near.stderr.startswith("hybridsim: unknown subcommand 'valdate' (did you mean 'validate'?); valid: ")
    # Options still go to the parser.
    assert hybridsim("--version").returncode == 0


def test_markdown_reference_lists_every_section_and_model(hybridsim):
    result = hybridsim("models", "--markdown")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Scenario reference\n") and text.endswith("|\n")
    listed = sections_of(hybridsim("models").stdout)
    for key in listed:
        assert f"### `{key}`" in text, key
    # Every model of a family has its own table, e.g. world.btc_price's gbm with its units.
    assert "#### `world.btc_price: {model: gbm}`" in text
    assert "| `vol_per_year` |" in text
    # A pipe inside a cell is escaped, so tables keep their columns.
    assert "true\\|false" in text
    # The committed reference is the generated one (the ctest says how to regenerate it).
    assert (REPO_ROOT / "docs" / "scenario_reference.md").read_text() == text
