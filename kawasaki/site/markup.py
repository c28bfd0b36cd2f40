"""Small HTML builders for the front door's documents. Every text goes through ``esc``;
only what these functions return (or fixed markup) is ever joined as HTML.

>>> text("p", "<b>&</b>")
'<p>&lt;b&gt;&amp;&lt;/b&gt;</p>'
>>> table(["KPI", "値"], [["a<b", "1"]])
'<div class="kd-table"><table><thead><tr><th scope="col">KPI</th><th scope="col">値</th></tr></thead><tbody><tr><td>a&lt;b</td><td>1</td></tr></tbody></table></div>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any


def esc(value: Any) -> str:
    """``value`` as HTML text (quotes too, so it may also stand in an attribute)."""
    return html.escape(str(value), quote=True)


def attrs(**values: Any) -> str:
    """HTML attributes from keywords (``class_`` for class, ``_`` in a name becomes ``-``);
    None and False are left out, True is a bare attribute."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(parts)


def el(tag: str, inner: str = "", **attributes: Any) -> str:
    """An element around ``inner``, which must already be HTML."""
    return f"<{tag}{attrs(**attributes)}>{inner}</{tag}>"


def text(tag: str, value: Any, **attributes: Any) -> str:
    """An element holding ``value`` as text."""
    return el(tag, esc(value), **attributes)


def link(href: str, label: Any, **attributes: Any) -> str:
    """A link with a text label."""
    return el("a", esc(label), href=href, **attributes)


def items(values: Iterable[str], tag: str = "ul", **attributes: Any) -> str:
    """A list of HTML items (each already HTML)."""
    return el(tag, "".join(f"<li>{v}</li>" for v in values), **attributes)


def text_items(values: Iterable[Any], tag: str = "ul", **attributes: Any) -> str:
    """A list of texts."""
    return items((esc(v) for v in values), tag, **attributes)


def table(
    columns: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
    label: str | None = None,
    row_headers: bool = False,
    grid: bool = False,
) -> str:
    """A table of texts, its first column as row headers when ``row_headers``, in a box
    that scrolls sideways on a narrow screen (named ``label`` and reachable by keyboard,
    WCAG 2.1.1, when a label is given). ``grid``: the live app shows this table as a data
    grid (a canvas), not as text (class kd-grid; the tests compare the other tables' cells
    with the live page's text)."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = [
            f'<th scope="row">{esc(v)}</th>' if row_headers and i == 0 else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = text("caption", caption) if caption else ""
    inner = f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    wrapper = "kd-table kd-grid" if grid else "kd-table"
    if label:
        return el("div", inner, class_=wrapper, role="region", tabindex="0", aria_label=label)
    return el("div", inner, class_=wrapper)


def frame_table(frame: Any, **options: Any) -> str:
    """A pandas DataFrame of texts (the tables kawasaki.present makes) as a table."""
    return table(list(frame.columns), frame.itertuples(index=False, name=None), **options)


def section(heading: str, inner: str, level: int = 2, **attributes: Any) -> str:
    """A section with a text heading."""
    return el("section", text(f"h{level}", heading) + inner, **attributes)


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def locale_markdown(source: str) -> str:
    """The little Markdown the locale files use (paragraphs, "- " lists, **bold**) as HTML,
    every text escaped first. For the app's own texts, never for data.

    >>> locale_markdown("**a** <b>\\n- x\\n- y")
    '<p><strong>a</strong> &lt;b&gt;</p><ul><li>x</li><li>y</li></ul>'
    """
    out, bullets = [], []
    for block in source.strip().split("\n"):
        line = block.strip()
        if line.startswith("- "):
            bullets.append(_bold(line[2:]))
            continue
        if bullets:
            out.append(items(bullets))
            bullets = []
        if line:
            out.append(f"<p>{_bold(line)}</p>")
    if bullets:
        out.append(items(bullets))
    return "".join(out)


def _bold(line: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", esc(line))


def filled(template: str, **values: str) -> str:
    """A locale line whose placeholders are still ``{name}`` (its **bold** as HTML) with
    ``values`` put in: HTML the caller made (data escaped), never read as Markdown.

    >>> filled("**評価**：{words}", words=esc("**<b>**"))
    '<strong>評価</strong>：**&lt;b&gt;**'
    """
    return _bold(template).format(**values)


def select(label: str, name: str, options: Iterable[tuple[str, str]], chosen: str | None) -> str:
    """A labelled select of (value, text) options, ``chosen`` selected."""
    opts = "".join(
        el("option", esc(shown), value=value, selected=value == chosen) for value, shown in options
    )
    return el("label", text("span", label) + el("select", opts, name=name), class_="kd-field")


def get_form(action: str, fields: Sequence[str], button: str, hidden: dict[str, str] | None = None) -> str:
    """A GET form of selects (``fields``, each from ``select``) and a submit button: a view
    can be chosen without JavaScript, and the answer is the same URL the app uses."""
    keep = "".join(
        f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">' for k, v in (hidden or {}).items()
    )
    return el(
        "form",
        "".join(fields) + keep + text("button", button, type="submit"),
        method="get",
        action=action,
        class_="kd-form",
    )
