"""A test app that fails with an uncaught exception carrying a secret-looking message.

Served with the project's .streamlit/config.toml (showErrorDetails = "none"): the
browser must get a generic notice only, and the server's log the whole traceback.
"""

import streamlit as st

st.title("boom")
raise RuntimeError("SECRET-DETAIL /srv/kawasaki/data/kawasaki.duckdb must stay in the log")
