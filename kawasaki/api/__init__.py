"""The open-data API (``/api/v1/``) as plain Python: rows, JSON, CSV, the Frictionless
data package, the OpenAPI description and the Atom feed of releases, from a DuckDB
cursor of the built database. No Streamlit, no Starlette here: the handlers are in
kawasaki/web/api.py; docs/api.md describes every endpoint.
"""
