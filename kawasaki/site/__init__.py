"""The front door, as plain Python: the HTML document every URL first answers with, before
Streamlit's JavaScript runs (and for a crawler, a link preview or a browser that runs none).
The ASGI glue that serves it is kawasaki.web.frontdoor; nothing here imports Streamlit.

- ``pages``: the app's pages (app.py's ``PAGES``), tab titles, canonical URL state
- ``shell``: Streamlit's index.html with the language, head and content filled in
- ``views``: each page's content as semantic HTML, from the app's own functions
- ``meta``: title, description, canonical and alternate links, Open Graph / Twitter tags
- ``images``: the 1200x630 link preview PNGs (Pillow, the PDF's Japanese font)
- ``sitemap``: sitemap.xml and robots.txt
- ``documents``: a document per URL state, images and sitemap, cached per database version
- ``markup``, ``style``: HTML builders (every text escaped) and the style sheet
"""
