"""The Streamlit side of the app: the only part of kawasaki/ that imports Streamlit
(a test checks it). Everything else in kawasaki/ is plain Python, tested without it.

- ``db``: which database file is current, a read-only cursor on it, whether it is usable
- ``cache``: the one caching mechanism: ``q`` (queries), ``derived`` (what pages compute
  from them) and ``@section`` (widget-free page parts recorded once, replayed)
- ``urlstate``: the view's state in the URL
- ``widgets``: filters bound to URL parameters
- ``downloads``: CSV and Excel buttons
- ``tables``: lists of KPIs as real text (st.table of escaped cells), not a canvas grid
- ``frame``: the database check, navigation, header, page links, accessibility fixes
- ``wards``, ``briefing``: the ward map and the briefing on screen
- ``server``: ``python -m kawasaki serve`` (Streamlit's ASGI server, st.App)
- ``frontdoor``, ``headers``: the routes that give every URL a real HTML document
  (kawasaki.site), sitemap.xml, robots.txt, link preview images; security headers
"""
