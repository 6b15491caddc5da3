"""The day and hour bars: the amount axis counts in whole 만원, whatever the amounts."""

from __future__ import annotations

import pytest

from ui.widgets.charts import BarChart, whole_step


@pytest.mark.parametrize("amounts", [[], [5_000], [12_000, 3_000], [2_340_000, 80_000],
                                     [-15_000, 40_000]])
def test_the_amount_axis_steps_in_whole_manwon(qtbot, amounts) -> None:  # type: ignore[no-untyped-def]
    chart = BarChart("일별")
    qtbot.addWidget(chart)
    chart.set_bars("일별", [str(n) for n in range(len(amounts))], amounts)
    axis = chart.y_axis
    step = axis.tickInterval()
    assert step >= 1 and step == int(step)  # labels "0 1 2", never "0 1 1 2 2"
    assert axis.min() == int(axis.min()) and axis.max() == int(axis.max())
    assert axis.min() <= min([a / 10_000 for a in amounts] + [0])
    assert axis.max() >= max([a / 10_000 for a in amounts] + [0])
    assert (axis.max() - axis.min()) / step <= 6  # a handful of labels, not a crowd


def test_whole_step_is_the_smallest_round_step_that_fits() -> None:
    assert [whole_step(x) for x in (0.1, 1, 1.2, 3, 7, 26, 480)] == [1, 1, 2, 5, 10, 50, 500]
