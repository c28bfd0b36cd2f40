"""Figure builders in plain Python (no Streamlit): Plotly figures and small HTML
fragments made from query results, one module per job. Each builder takes rows and a
language and returns a ``go.Figure`` (or an escaped HTML string) that a page renders.

- ``layout``: what every Plotly figure shares: fonts, colours, the trimmed template,
  the common layout and the one-call constructor
- ``labels``: long texts broken into lines for chart labels (escaped for Plotly)
- ``progress``: the progress chart (a bar per KPI, baseline to target), its names
  beside the bars or above them
- ``timeseries``: one KPI's baseline, actual values and target over the years
- ``heatmap``: the goals × initiatives heatmap of counts
- ``tiles``: the 17 goal tiles and a goal's banner, as HTML
"""
