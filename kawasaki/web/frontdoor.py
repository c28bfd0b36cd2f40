"""The public front door: the app served through Streamlit's ASGI entry point
(``st.App``), with routes that answer every page's URL with a real HTML document
(kawasaki.site: language, title, description, canonical and alternate links, link
preview tags and the view's content), ``/sitemap.xml``, ``/robots.txt``, the link
preview images (``/og/<kind>/<id>.<lang>.png``), the open-data API (``/api/v1/``, kawasaki.web.api), and
security headers on every response (kawasaki.web.headers); ``/_stcore/metrics`` only for
this machine (kawasaki.web.guard). Everything under /_stcore/, /static/, /media/ and /component/
is Streamlit's.

Settings (environment): ``KAWASAKI_PUBLIC_URL`` (the address visitors use, e.g.
``https://sdgs.example.jp``; canonical links, the sitemap and preview images name it;
without it, the request's own scheme and host), ``KAWASAKI_FRAME_ANCESTORS``
(kawasaki.web.headers).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kawasaki import paths
from kawasaki.api.examples import public_base
from kawasaki.i18n import LANGS, t
from kawasaki.site.documents import Document, Site
from kawasaki.site.markup import esc
from kawasaki.site.shell import Shell, script_hash
from kawasaki.web import compress, guard, headers
from kawasaki.web.versions import PerVersion

_HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$")
# Single path segments that are Streamlit's, not pages (with or without a file extension).
_STREAMLIT_SEGMENTS = ("_stcore", "static", "media", "component", "app", "auth", "oauth2callback")
IMAGE_MAX_AGE = 24 * 3600  # an image URL carries the build stamp (?v=...)
_LOG = logging.getLogger(__name__)


class PageName(Convertor):
    """A single path segment that could be a page ("matrix", or an unknown name): no dot
    (files such as favicon.png stay Streamlit's) and none of Streamlit's own segments."""

    regex = r"(?!(?:" + "|".join(_STREAMLIT_SEGMENTS) + r")$)[A-Za-z0-9_-]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("kawasaki_page", PageName())


def streamlit_index() -> Path:
    """Streamlit's index.html, the shell of every document."""
    from streamlit import file_util

    return Path(file_util.get_static_dir()) / "index.html"


class FrontDoor:
    """The front door's state: Streamlit's shell, and one kawasaki.site.Site per database
    file version (made on the first request that needs it, off the event loop)."""

    def __init__(self, index: Path | None = None) -> None:
        self.shell_text = (index or streamlit_index()).read_text(encoding="utf-8")
        self.shell = Shell.parse(self.shell_text)
        self._sites: PerVersion[Site] = PerVersion(
            lambda cursor: Site(cursor, self.shell, self.shell_text), "front door"
        )

    def script_hashes(self) -> tuple[str, ...]:
        """The inline scripts the pages run: Streamlit's, and the frame's in each language."""
        from kawasaki.web.frame import a11y_script

        return (*self.shell.script_hashes(), *(script_hash(a11y_script(lang)) for lang in LANGS))

    async def site(self) -> Site | None:
        """The current database's Site (kawasaki.web.versions), made in a worker thread on
        first use; None when the file cannot be used (the app shows its friendly page)."""
        return await self._sites.get()

    # --- handlers ---------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        """A page's (or an unknown page's) document."""
        path = "/" + request.path_params.get("name", "")
        params: dict[str, list[str]] = {}
        for name, value in request.query_params.multi_items():
            params.setdefault(name, []).append(value)
        site = await self.site()
        if site is None:
            return self._respond(request, self._bare(params))
        key = site.key(path, params, base_url(request))
        doc = site.cached(key)
        if doc is None:
            try:
                doc = await run_in_threadpool(site.render, key)
            except Exception:  # noqa: BLE001 - a view that fails must not take the page down
                _LOG.error("front door: rendering %s failed", request.url.path, exc_info=True)
                doc = self._bare(params)
        return self._respond(request, doc)

    async def sitemap(self, request: Request) -> Response:
        """sitemap.xml."""
        site = await self.site()
        if site is None:
            return PlainTextResponse("unavailable", status_code=503)
        body = await run_in_threadpool(site.sitemap, base_url(request))
        return Response(body, media_type="application/xml", headers={"cache-control": "public, max-age=3600"})

    async def robots(self, request: Request) -> Response:
        """robots.txt (it does not need the database)."""
        site = await self.site()
        base = base_url(request)
        body = (
            site.robots(base) if site else f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode()
        )
        return Response(body, media_type="text/plain", headers={"cache-control": "public, max-age=3600"})

    async def image(self, request: Request) -> Response:
        """A link preview image: /og/<kind>/<id>.<lang>.png."""
        kind, name = request.path_params["kind"], request.path_params["file"]
        ident, _, rest = name.partition(".")
        lang, _, ext = rest.partition(".")
        site = await self.site()
        png = None
        if site is not None and ext == "png":
            png = await run_in_threadpool(site.image, kind, ident, lang)
        if png is None:
            return PlainTextResponse("not found", status_code=404)
        return Response(
            png, media_type="image/png", headers={"cache-control": f"public, max-age={IMAGE_MAX_AGE}"}
        )

    def _bare(self, params: dict[str, list[str]]) -> Document:
        """Streamlit's shell with only the language and the site's title: for a database
        that cannot be used (the app then shows why) or a view that failed."""
        lang = "en" if params.get("lang", [""])[0] == "en" else "ja"
        title = f"<title>{esc(t('app.title', lang))}</title>"
        return Document.of(self.shell.fill(lang, title, "", ""))

    @staticmethod
    def _respond(request: Request, doc: Document) -> Response:
        """The document, gzipped when the browser accepts it; 304 when it has it already."""
        common = {"cache-control": "no-cache", "etag": doc.etag, "vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == doc.etag:
            return Response(status_code=304, headers=common)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(
                doc.gzipped,
                doc.status,
                headers={**common, "content-encoding": "gzip"},
                media_type="text/html",
            )
        return Response(doc.body, doc.status, headers=common, media_type="text/html")


def base_url(request: Request) -> str:
    """The address the documents name: $KAWASAKI_PUBLIC_URL, else this request's scheme and
    host (uvicorn takes the scheme from X-Forwarded-Proto of a proxy on loopback)."""
    public = public_base(fallback="")
    if public:
        return public
    host = request.headers.get("host", "")
    if not _HOST.match(host):
        host = "localhost"
    scheme = "https" if request.url.scheme in ("https", "wss") else "http"
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{scheme}://{host}{root}"


def routes(door: FrontDoor, base_path: str = "") -> list[Route]:
    """The front door's routes under Streamlit's ``server.baseUrlPath``."""
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return [
        Route(prefix + "/sitemap.xml", door.sitemap, methods=["GET"]),
        Route(prefix + "/robots.txt", door.robots, methods=["GET"]),
        Route(prefix + "/og/{kind}/{file}", door.image, methods=["GET"]),
        Route(prefix + "/", door.page, methods=["GET"]),
        Route(prefix + "/{name:kawasaki_page}", door.page, methods=["GET"]),
    ]


def create_app(base_path: str = ""):
    """The app as production serves it: st.App running app.py for every session, with the
    open-data API's and the front door's routes, the security headers, and the private
    paths (/_stcore/metrics) refused to every client but this machine."""
    from streamlit.starlette import App

    from kawasaki.web import api

    door = FrontDoor()
    ancestors = headers.frame_ancestors()
    policy = headers.content_security_policy(door.script_hashes(), ancestors)
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    middleware = [
        Middleware(headers.SecurityHeaders, headers=headers.security_headers(policy, ancestors)),
        Middleware(guard.PrivatePaths),
        Middleware(api.OpenDataRoutes, data=api.OpenData(), prefix=prefix),
    ]
    if compress.enabled():  # Streamlit's JavaScript and CSS, compressed once per file
        middleware.append(Middleware(compress.CompressStatic, base_path=base_path))
    return App(str(paths.ROOT / "app.py"), routes=routes(door, base_path), middleware=middleware)
