"""Every shipped scenario says what it is for, and scenarios/README.md lists it.

A scenario's opening comment gives its story, the question it answers and what to look at in
its output (scenarios/README.md); its golden results are checked by tests/run/test_golden.cpp.
"""
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

SCENARIOS = sorted((REPO_ROOT / "scenarios").glob("*.yaml"))
README = REPO_ROOT / "scenarios" / "README.md"


def opening_comment(path):
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    return "\n".join(lines)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_scenario_opens_with_story_question_and_what_to_look_at(scenario):
    head = opening_comment(scenario)
    for label in ("Story:", "Question:", "Look at:"):
        assert re.search(rf"^{label}", head, re.MULTILINE), (
            f"scenarios/{scenario.name}: its opening comment needs a line starting '{label}' "
            "(see scenarios/README.md)")


def test_readme_table_lists_every_scenario():
    rows = {m.group(1) for m in re.finditer(r"^\| `([^`]+\.yaml)` \|", README.read_text(encoding="utf-8"),
                                            re.MULTILINE)}
    shipped = {p.name for p in SCENARIOS}
    assert shipped - rows == set(), f"scenarios/README.md's table lacks {sorted(shipped - rows)}"
    assert rows - shipped == set(), f"scenarios/README.md's table lists missing files {sorted(rows - shipped)}"
