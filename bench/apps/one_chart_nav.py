"""A second reference for first paint: the bare one-chart page inside ``st.navigation``.

The same chart as one_chart.py, as the default page of a seven-page ``st.navigation``
app shown at the top, as the dashboard is, opened by its URL path (/chart) as a shared
link opens a dashboard page. What it adds to one_chart.py is the cost of Streamlit's
multipage navigation and routing itself (bench/browser.py reports both).
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="one chart", layout="wide")


def chart() -> None:
    st.title("One chart")
    fig = go.Figure(go.Bar(x=list(range(20)), y=[f"row {i}" for i in range(20)], orientation="h"))
    fig.update_layout(height=400, margin={"l": 8, "r": 8, "t": 8, "b": 8})
    st.plotly_chart(fig, config={"displayModeBar": False})


def other() -> None:
    st.write("another page")


pages = [st.Page(chart, title="chart", url_path="chart", default=True)]
pages += [st.Page(other, title=f"page {n}", url_path=f"page{n}") for n in range(2, 8)]
st.navigation(pages, position="top").run()
