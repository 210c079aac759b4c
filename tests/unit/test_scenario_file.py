"""A scenario file that does not hold together is refused with the line and the field at
fault; the built-in ones hold together."""

from __future__ import annotations

import pytest

from console.demo.training import load_scenario, scenario_names
from console.domain.scenario import ScenarioInvalid, parse
from tests.conftest import refused

GOOD = """\
[scenario]
title_zh = "演练"
title_en = "Drill"
starts = "08:30"

[[event]]
at = "2m"
kind = "report"
case = "gas"
source = "hotline_12345"
title = "燃气泄漏"
category = "020201"
grid = "LJ010101"
address = "解放路1号"

[[expect]]
case = "gas"
action = "dispatch"
unit = "U-RQ"
within = "5m"
points = 20
"""


def test_the_built_in_scenarios_hold_together() -> None:
    assert {"morning-triage", "storm-night", "hotline-surge"} <= set(scenario_names())
    for name in scenario_names():
        scenario = load_scenario(name)
        assert scenario.events and scenario.expects and scenario.total > 0


def test_a_good_file_reads() -> None:
    scenario = parse(GOOD, "drill.toml")
    assert scenario.name == "drill" and scenario.total == 20
    assert scenario.expects[0].target == "U-RQ"


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('kind = "report"', 'kind = "fire"', r"drill\.toml line 8: kind: 'fire' is none of"),
        ('at = "2m"', 'at = "soon"', r"line 7: at: 'soon' is no length of time"),
        ("points = 20", "points = 0", r"line 21: points: a whole number from 1 to 100"),
        ('action = "dispatch"', 'action = "sign"', r"line 18: action: 'sign' is none of"),
        ('case = "gas"\naction', 'case = "water"\naction', r"line 17: case: no \[\[event\]\]"),
        ('starts = "08:30"', 'starts = "8.30am"', r"line 4: starts: '8.30am' is no time of day"),
        ('source = "hotline_12345"', 'source = "radio"', r"line 10: source: 'radio' is no source"),
        ('within = "5m"', 'within = "0m"', r"line 20: within: a length of time above zero"),
        ('title = "燃气泄漏"\n', "", r"line 6: title: a text is needed"),
    ],
)
def test_a_bad_field_is_named_with_its_line(old: str, new: str, says: str) -> None:
    assert old in GOOD
    with refused(ScenarioInvalid, says):
        parse(GOOD.replace(old, new, 1), "drill.toml")


def test_a_file_that_is_not_toml_names_its_line() -> None:
    with refused(ScenarioInvalid, r"drill\.toml line 3"):
        parse('[scenario]\ntitle_zh = "x"\nstarts = \n', "drill.toml")
