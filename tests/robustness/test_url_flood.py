"""A flood of URL values: bounded parsing, a bounded number of notices, a query string
Streamlit drops said so, and a websocket message size the server refuses.

The CPU and memory of the worst URL are measured by bench/url_flood.py (figures in
docs/reliability.md); here the behaviour a visitor sees is checked: at most
``MAX_NOTICES`` notices and one that counts the rest, the valid values of the link still
applied, and a page that says so when Streamlit read none of the link.
"""

from __future__ import annotations

import asyncio

import pytest
from streamlit.runtime import app_session
from websockets.exceptions import ConnectionClosed

from bench.ws_driver import Session, stream_url
from kawasaki.i18n import t
from kawasaki.state import DROPPED, MAX_NOTICES, MAX_VALUES, parse_params
from kawasaki.web.urlstate import report_dropped_queries
from tests.apptest_helpers import app_database, open_page, url  # noqa: F401 - the fixture
from tests.helpers import run_async

FLOOD = 3000  # the URL: 3,000 unknown values of goal and 3,000 of target
GOALS = {"goal": [str(g) for g in range(1, 18)], "target": ["13.2", "14.1"]}


@pytest.mark.parametrize(
    "params,kept,more",
    [
        ({"goal": ",".join(f"x{n}" for n in range(FLOOD))}, 3, FLOOD - 3),
        ({"target": [f"x{n}" for n in range(FLOOD)]}, 3, FLOOD - 3),
        (
            {"goal": ",".join(f"x{n}" for n in range(FLOOD)), "target": [f"x{n}" for n in range(FLOOD)]},
            3,
            2 * FLOOD - 3,
        ),
        ({"goal": "x," * 200_000}, 3, 200_001 - 3),  # ~400 KB in one value
        ({"kpi": ["y" * 100_000] * 500}, 3, 500 - 3),  # long values: refused unread
        ({"goal": "13,14"}, 0, 0),
    ],
    ids=[
        "goal list",
        "target repeated",
        "both (the issue's URL)",
        "400 KB of commas",
        "long values",
        "valid",
    ],
)
def test_a_flood_gives_a_few_notices_and_one_count(params, kept, more):
    state = parse_params(params, GOALS)
    detailed = [n for n in state.notices if n.reason != "more"]
    counted = [n for n in state.notices if n.reason == "more"]
    assert len(detailed) == kept <= MAX_NOTICES
    assert [int(n.value) for n in counted] == ([more] if more else [])


def test_valid_values_in_a_flood_still_apply():
    """The first MAX_VALUES values are read: a valid goal among them is the filter."""
    state = parse_params({"goal": "13," + ",".join(f"x{n}" for n in range(FLOOD))}, GOALS)
    assert state.goals == (13,)
    values = [f"x{n}" for n in range(MAX_VALUES)] + ["14"]
    assert parse_params({"goal": ",".join(values)}, GOALS).goals == (), "the 21st value is past the bound"


def test_the_page_shows_at_most_four_notices():
    flood = {"goal": ",".join(f"x{n}" for n in range(FLOOD)), "target": "x"}
    at = open_page("about", "en", **flood)
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == MAX_NOTICES + 1, warnings
    assert warnings[-1] == t("notice.more", "en", count=str(FLOOD + 1 - MAX_NOTICES))
    assert "goal" not in url(at) and "target" not in url(at), "the URL keeps only valid values"


def test_a_dropped_query_string_is_said_and_the_address_cleaned():
    at = open_page("explore", "ja", **{DROPPED: "1001"})
    assert [str(w.value) for w in at.warning] == [t("notice.dropped", "ja", count="1001")]
    assert DROPPED not in url(at), "the address is rewritten to what the page shows"


def test_the_server_reports_what_streamlit_drops(monkeypatch):
    monkeypatch.setattr(app_session, "sanitize_query_string", app_session.sanitize_query_string)
    report_dropped_queries()
    report_dropped_queries()  # twice is once
    sanitize = app_session.sanitize_query_string
    assert sanitize("&".join(["goal=13"] * 1001)) == f"{DROPPED}=1001"
    assert sanitize("goal=" + "1" * 600_000) == f"{DROPPED}=1"
    assert sanitize("goal=13&lang=en") == "goal=13&lang=en"
    assert sanitize("") == ""


# --- the served app: what reaches the script, and the websocket's size limit -----------


async def _open(base: str, page: str, query: str) -> tuple[list[str], list[str]]:
    """Open ``page?query`` over the websocket: (the alerts' texts, the errors)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    s = Session(stream_url(base), page, query, keep=True)
    await s.connect()
    try:
        stats = await s.run(timeout=60)
    finally:
        await s.close()
    alerts = []
    for frame in stats.frames:
        msg = ForwardMsg.FromString(frame)
        if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "alert":
            alerts.append(msg.delta.new_element.alert.body)
    return alerts, stats.errors


def test_served_flood_and_dropped_query(served_app):
    alerts, errors = run_async(
        _open(served_app.base, "about", "goal=" + ",".join(f"x{n}" for n in range(FLOOD)))
    )
    assert not errors and len(alerts) == MAX_NOTICES + 1, alerts
    alerts, errors = run_async(_open(served_app.base, "explore", "&".join(f"goal={n}" for n in range(1001))))
    assert not errors
    assert alerts == [t("notice.dropped", "ja", count="1001")]


async def _send_big_frame(base: str, size: int) -> int | None:
    """Send one binary frame of ``size`` bytes; the close code the server answers with."""
    s = Session(stream_url(base))
    await s.connect()
    try:
        await s.ws.send(b"\0" * size)
        await asyncio.wait_for(s.ws.recv(), 10)
    except ConnectionClosed as exc:
        return exc.rcvd.code if exc.rcvd else None
    finally:
        await s.close()
    return None


def test_a_frame_over_max_message_size_is_refused(served_app):
    """server.maxMessageSize (.streamlit/config.toml) bounds what one message may hold: a
    25 MB frame closes the connection with 1009 (message too big), unread."""
    assert run_async(_send_big_frame(served_app.base, 25 * 1024 * 1024)) == 1009
    alerts, errors = run_async(_open(served_app.base, "", ""))
    assert not errors, "the server serves on"
