"""Inline SVG charts and the ward map on a page. st.html sanitises with DOMPurify's HTML
profile, which drops every SVG element; Markdown with raw HTML keeps them. The markup
comes only from kawasaki.figures (seriessvg, heatmapsvg) and kawasaki.wards.svgmap: every
data string in it is escaped by kawasaki.figures.svg.esc and it is
one line that starts with its <style> (so Markdown reads all of it as raw HTML),
checked here.
"""

from __future__ import annotations

import streamlit as st


def svg_chart(markup: str) -> None:
    """Draw an SVG chart made by kawasaki.figures (its CSS in a <style> before it)."""
    # one line that starts with <style>: Markdown's raw HTML block (CommonMark type 1)
    # that ends with that line, so no part of it is read as Markdown
    if not markup.startswith("<style>") or "\n" in markup or "\r" in markup:
        raise ValueError("an SVG chart must be one line of markup starting with its <style>")
    st.markdown(markup, unsafe_allow_html=True)
