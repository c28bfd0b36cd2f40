"""What every Plotly figure shares: fonts, colours, the trimmed template, the common
layout, the one-call constructor and the vertical line shape.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Meiryo, sans-serif"
GRID = "#D9D9D9"
TEXT = "#1A1A1A"


def _template() -> dict[str, Any]:
    """Plotly's default template with only the parts our charts use.

    Every figure carries its template to the browser: the default one is 7.1 KB of JSON
    per chart, mostly defaults for map, 3-D, polar and 20 trace types we never draw. The
    layout defaults and the bar, heatmap and scatter defaults are kept as they are, so
    the charts look the same (2.4 KB; the progress page sends six charts).
    """
    import plotly.io as pio

    full = pio.templates["plotly"].to_plotly_json()
    unused = {"geo", "mapbox", "map", "polar", "scene", "ternary", "smith"}
    return {
        "layout": {k: v for k, v in full["layout"].items() if k not in unused},
        "data": {k: v for k, v in full["data"].items() if k in ("bar", "heatmap", "scatter")},
    }


TEMPLATE = _template()


def base_layout(height: int, **extra: Any) -> dict[str, Any]:
    """The layout every figure starts from; ``extra`` adds to it or replaces its parts
    (a legend, a margin)."""
    return {
        "template": TEMPLATE,
        "height": height,
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
        "font": {"family": FONT, "color": TEXT, "size": 13},
        "hoverlabel": {"font": {"family": FONT}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        **extra,
    }


def figure(data: list[Any], height: int, **extra: Any) -> go.Figure:
    """A figure with the common layout, built in one constructor call.

    Traces are dicts, validated once here. Measured (plotly 6, 2 cores): ``add_bar``,
    ``update_layout``, ``update_xaxes`` and ``add_vline`` on a built figure cost 1-8 ms
    each; one constructor call with the same settings makes the same ``to_dict()``
    (compared on 72 figures) 4-12x faster. See docs/performance.md.
    """
    return go.Figure(data=data, layout=base_layout(height, **extra))


def vline(x: float, line: dict[str, Any]) -> dict[str, Any]:
    """The shape ``fig.add_vline(x=x, line=line)`` adds, as a layout shape.

    >>> vline(100, {"width": 2})["yref"]
    'y domain'
    """
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": line,
    }
