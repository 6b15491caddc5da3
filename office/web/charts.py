"""The back office's charts: pygal draws them as SVG on the server.

A page embeds each chart as an ``<img>`` with a ``data:`` URL: nothing runs in the browser (an
image never runs a script), nothing is fetched from a CDN (a store's office may have no
internet), and the page's CSP stays strict (``img-src 'self' data:``). The heat map of
weekday × hour is a table of classed cells (:func:`heat_levels`), not a chart.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

FONT = '"NanumGothic", "Noto Sans KR", "Malgun Gothic", sans-serif'
COLORS = ("#1d5fa8", "#2e9d6a", "#e07b24", "#8a5cc2", "#c2415d", "#3aa0b8", "#b59a1c",
          "#6b7a8f", "#9bb8db")
PIE_SLICES = 9  # the rest is one "기타" slice: a pie of 40 items says nothing
HEAT_LEVELS = 6
PIE_HEIGHT = 330  # without its legend


def _style() -> Any:
    from pygal.style import Style

    return Style(font_family=FONT, background="#ffffff", plot_background="#ffffff",
                 foreground="#1f2933", foreground_strong="#1f2933",
                 foreground_subtle="#dde3ea", colors=COLORS, label_font_size=15,
                 major_label_font_size=15, legend_font_size=20, value_font_size=15,
                 tooltip_font_size=15, title_font_size=18)


def _config(**extra: Any) -> dict[str, Any]:
    # js=[]: pygal would link its tooltip script from a CDN; an <img> runs none anyway
    return {"style": _style(), "js": [], "disable_xml_declaration": True, "pretty_print": False,
            "width": 520, "height": 360, "show_legend": True, **extra}


def _data_url(chart: Any) -> str:
    svg = chart.render(is_unicode=True).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def pie(pairs: Sequence[tuple[str, int]], other: str) -> str:
    """A pie of ``(label, amount)`` as a ``data:`` URL: the largest :data:`PIE_SLICES`, the
    rest summed as ``other``. Slices of nothing (or less) are left out."""
    import pygal

    ranked = sorted(((label, amount) for label, amount in pairs if amount > 0),
                    key=lambda pair: -pair[1])
    shown = ranked[:PIE_SLICES]
    rest = sum(amount for _, amount in ranked[PIE_SLICES:])
    rows = -(-(len(shown) + (1 if rest else 0)) // 2)  # the legend's lines, two per line
    chart = pygal.Pie(**_config(inner_radius=0.45, legend_at_bottom=True,
                                legend_at_bottom_columns=2, height=PIE_HEIGHT + 32 * rows,
                                legend_box_size=16, truncate_legend=-1,
                                # pygal lays the legend out for its own font size: room for ours
                                margin_bottom=14 * rows,
                                print_values=False))
    for label, amount in shown + ([(other, rest)] if rest else []):
        chart.add(label, amount)
    return _data_url(chart)


def bars(labels: Sequence[str], values: Sequence[int], label_every: int = 1,
         width: int = 520, height: int = 360) -> str:
    """Vertical bars of ``values`` (won) under ``labels``, as a ``data:`` URL; with many bars
    only every ``label_every``-th label is written."""
    import pygal

    chart = pygal.Bar(**_config(show_legend=False, x_label_rotation=0, width=width,
                                height=height,
                                show_minor_x_labels=False, truncate_label=-1,
                                value_formatter=lambda v: f"{v:,.0f}"))
    chart.x_labels = list(labels)
    chart.x_labels_major = [label for n, label in enumerate(labels) if n % label_every == 0]
    chart.add("", list(values))
    return _data_url(chart)


def heat_levels(matrix: Sequence[Sequence[int]]) -> list[list[int]]:
    """Each cell's level 0..HEAT_LEVELS-1 (0: nothing sold; the busiest cell is the top)."""
    top = max((v for row in matrix for v in row), default=0)
    if top <= 0:
        return [[0 for _ in row] for row in matrix]
    return [[0 if v <= 0 else 1 + min(HEAT_LEVELS - 2, (v * (HEAT_LEVELS - 1) - 1) // top)
             for v in row] for row in matrix]
