"""The front door's routes in process (no server): what a visitor, a crawler or a link
preview gets when the database cannot be used or a view fails, and the address the
documents name. The served behaviour with a good database is in test_front_door.py."""

from __future__ import annotations

import logging

import pytest
from starlette.routing import Router

from kawasaki.i18n import t
from kawasaki.site.documents import Site
from kawasaki.web.frontdoor import FrontDoor, routes
from tests.helpers import run_async

from .conftest import Head


def asgi_get(app, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET through the ASGI app ``app``: status, headers (lower-case names), body."""
    target, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8501),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    run_async(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def door_on(monkeypatch):
    """The front door's routes on the database file given (KAWASAKI_DB), no public URL."""
    monkeypatch.delenv("KAWASAKI_PUBLIC_URL", raising=False)

    def make(db) -> Router:
        monkeypatch.setenv("KAWASAKI_DB", str(db))
        return Router(routes=routes(FrontDoor()))

    return make


def test_an_unusable_database_still_gives_every_page_its_shell_and_no_false_documents(
    door_on, tmp_path, caplog
):
    broken = tmp_path / "kawasaki.duckdb"
    broken.write_bytes(bytes(range(256)) * 64)
    app = door_on(broken)
    with caplog.at_level(logging.ERROR, logger="kawasaki.web"):
        status, _, body = asgi_get(app, "/progress?lang=en&kpi=ghg-reduction")
    head = Head.of(body.decode())
    # the shell the app then fills with its friendly page: the language and the site's name only
    assert status == 200 and head.lang == "en" and head.title == t("app.title", "en")
    assert head.canonical == "" and "ghg-reduction" not in body.decode()
    assert Head.of(asgi_get(app, "/")[2].decode()).lang == "ja"
    assert asgi_get(app, "/sitemap.xml")[0] == 503  # no sitemap of pages it cannot show
    status, _, robots = asgi_get(app, "/robots.txt", {"host": "sdgs.example.jp"})
    assert status == 200 and robots.decode() == (
        "User-agent: *\nAllow: /\nSitemap: http://sdgs.example.jp/sitemap.xml\n"
    )
    assert asgi_get(app, "/og/kpi/ghg-reduction.ja.png")[0] == 404
    assert any("cannot be used" in r.message for r in caplog.records), "the reason was not logged"


def test_a_view_that_fails_gives_the_shell_and_logs_why(door_on, built_db, monkeypatch, caplog):
    def fail(self, key):
        raise RuntimeError("a view broke")

    monkeypatch.setattr(Site, "render", fail)
    app = door_on(built_db)
    with caplog.at_level(logging.ERROR, logger="kawasaki.web.frontdoor"):
        status, headers, body = asgi_get(app, "/matrix?lang=en")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert Head.of(body.decode()).title == t("app.title", "en")
    failed = [r for r in caplog.records if "rendering /matrix failed" in r.message]
    assert failed and failed[0].exc_info, "the failure and its traceback go to the log"


@pytest.mark.parametrize(
    "host, named",
    [
        ("sdgs.example.jp", "http://sdgs.example.jp"),
        ("[::1]:8501", "http://[::1]:8501"),
        ('evil.example"><script>', "http://localhost"),  # never reflected into the document
        ("", "http://localhost"),
    ],
)
def test_documents_name_the_requests_host_only_when_it_is_a_host(door_on, built_db, host, named):
    status, _, body = asgi_get(door_on(built_db), "/matrix?lang=en", {"host": host} if host else None)
    assert status == 200
    assert Head.of(body.decode()).canonical == f"{named}/matrix?lang=en"
    assert "evil.example" not in body.decode()
