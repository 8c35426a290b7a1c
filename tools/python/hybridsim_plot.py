#!/usr/bin/python3
"""Draw the one-page summary of a hybridsim run or sweep (kept for old commands; prefer
`hybridsim report FILE -o OUT`, which runs the same code: hybridsim.report).

    /usr/bin/python3 tools/python/hybridsim_plot.py results/default.h5 -o results/default.png
"""
import sys
from pathlib import Path

try:
    import hybridsim.report
except ImportError:  # not installed (tools/setup.sh): the package of the default build
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "build" / "python"))
    import hybridsim.report

if __name__ == "__main__":
    sys.exit(hybridsim.report.main())
