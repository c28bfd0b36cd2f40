"""Figure builders in plain Python (no Streamlit): Plotly figures and small HTML
fragments made from query results, one module per job. Each builder takes rows and a
language and returns a ``go.Figure`` (or an escaped HTML string) that a page renders.

- ``layout``: what every Plotly figure shares: fonts, colours, the trimmed template,
  the common layout and the one-call constructor
- ``labels``: long texts broken into lines for chart labels (escaped for Plotly)
- ``progress``: the progress chart (a bar per KPI, baseline to target), its names
  beside the bars or above them
- ``series``: what one KPI's chart over the years shows (baseline, actual values,
  target, the plan's other goals); ``timeseries`` draws it with Plotly (the briefing's
  PNG and PDF), ``seriessvg`` as inline SVG (the pages)
- ``heatmap``: what the goals × initiatives heatmap of counts shows; ``heatmapsvg``
  draws it as inline SVG
- ``svg``: what the SVG charts share (escaping, text widths, symbols, the root element)
- ``tiles``: the 17 goal tiles and a goal's banner, as HTML
"""
