"""The ward map in plain Python (no Streamlit; the view is kawasaki/web/wards.py), one
module per job, each using only those before it: ``queries`` (the SQL, functions taking
a cursor), ``model`` (normalisation, classes, colours, ranks: the ``WardMap``),
``texts`` (what people read: values, dates, summary, tables, sources, legend),
``polygons`` (label points, no-data hatching, the fitted view) and ``choropleth`` (the
pydeck deck). docs/wards.md gives the rules for readers.
"""
