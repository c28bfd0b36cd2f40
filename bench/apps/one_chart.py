"""The reference for served throughput and first paint: a bare app with one Plotly chart.

A chart of the same kind and size the dashboard draws (a horizontal bar chart of 20
rows), built on every run as a page would, nothing cached, no data access.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="one chart", layout="wide")
st.title("One chart")
fig = go.Figure(go.Bar(x=list(range(20)), y=[f"row {i}" for i in range(20)], orientation="h"))
fig.update_layout(height=400, margin={"l": 8, "r": 8, "t": 8, "b": 8})
st.plotly_chart(fig, config={"displayModeBar": False})
