"""The reference for warm reruns: an empty Streamlit page (the framework's floor)."""

import streamlit as st  # noqa: F401
