"""考核: a score from the trail's figures, worked out by hand; the weights from the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.config import load_settings
from console.domain.figures import Tally, Weights, assess
from console.i18n import say
from console.settings_schema import SettingsInvalid

# Ten cases accepted and dispatched: eight closed on time, one reworked, two returned, five
# urges; five rated (three satisfied, one basically).
UNIT = Tally(
    reported=10,
    accepted=10,
    dispatched=10,
    closed=9,
    closed_on_time=8,
    reworked=1,
    returned=2,
    urges=5,
    rated=5,
    satisfied=3,
    basic=1,
    dissatisfied=1,
)


def test_the_score_weighs_each_part() -> None:
    # 40×0.8 + 30×0.8 + 10×0.9 + 10×0.8 + 10×(1 − 0.5) = 32 + 24 + 9 + 8 + 5
    assert assess(UNIT, Weights()) == pytest.approx(78.0)


def test_a_part_that_cannot_be_measured_is_left_out_of_the_weights() -> None:
    unrated = Tally(**{**UNIT.__dict__, "rated": 0, "satisfied": 0, "basic": 0, "dissatisfied": 0})
    assert assess(unrated, Weights()) == pytest.approx((32 + 9 + 8 + 5) / 70 * 100)


def test_weights_change_the_score_and_too_few_cases_get_none() -> None:
    only_on_time = Weights(on_time=1, satisfaction=0, rework=0, returns=0, urges=0)
    assert assess(UNIT, only_on_time) == pytest.approx(80.0)
    assert assess(UNIT, Weights(minimum=11)) is None


def test_the_config_file_sets_the_weights(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[assessment]\non_time = 60\nsatisfaction = 20\nminimum = 5\n")
    assert load_settings(path).assessment == Weights(on_time=60, satisfaction=20, minimum=5)
    path.write_text("[assessment]\nurges = -1\nminimum = 0\n")
    with pytest.raises(SettingsInvalid) as bad:
        load_settings(path)
    said = [say(p, "en").split(": ", 1)[1] for p in bad.value.problems]
    assert said == [
        "assessment.urges = -1: must be a whole number from 0 to 100",
        "assessment.minimum = 0: must be a whole number, 1 or more",
    ]
