"""hybridsim from Python: run scenarios and sweeps in-process, open their files, draw figures.

    import hybridsim
    ds = hybridsim.run("scenarios/default.yaml", set={"horizon_years": 1}, seed=3)
    hybridsim.plot.power_stack(ds)

``run``/``sweep``/``validate`` call the same C++ code as the ``hybridsim`` command line and
return the Dataset its file would hold (docs/output.md); ``models()`` is ``hybridsim models``
as a DataFrame; ``hybridsim.plot`` draws the usual figures; ``python3 -m hybridsim.report``
(``hybridsim report``) a one-page summary.
"""
from . import _hybridsim
from .errors import ScenarioError
from .runs import (is_sweep, members, models, open_run, open_sensitivity, open_sweep, run, sweep, table,
                   validate)

__version__ = _hybridsim.version


def __getattr__(name):
    # The figures import matplotlib: only when asked for.
    if name in ("plot", "report"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'hybridsim' has no attribute {name!r}")


__all__ = ["ScenarioError", "is_sweep", "members", "models", "open_run", "open_sensitivity", "open_sweep", "run",
           "sweep", "table", "validate", "plot", "report"]
