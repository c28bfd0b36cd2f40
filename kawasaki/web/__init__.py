"""The Streamlit side of the app: the only part of kawasaki/ that imports Streamlit
(a test checks it). Everything else in kawasaki/ is plain Python, tested without it.

- ``db``: which database file is current, a read-only cursor on it, whether it is usable
- ``cache``: the one caching mechanism: ``q`` (queries), ``derived`` (what pages compute
  from them) and ``@section`` (widget-free page parts recorded once, replayed)
- ``urlstate``: the view's state in the URL
- ``widgets``: filters bound to URL parameters
- ``downloads``: CSV and Excel buttons
- ``frame``: the database check, navigation, header, page links, accessibility fixes
- ``wards``, ``briefing``: the ward map and the briefing on screen
- ``server``: ``python -m kawasaki serve``
"""
