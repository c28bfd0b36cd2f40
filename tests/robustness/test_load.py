"""A short load test in ``make test``: 10 sessions interacting for 10 s, no error.

The long run (50 sessions, 60 s) is ``make soak`` (tests/robustness/soak.py); its figures
are in docs/reliability.md. Both use the visitors of tests/robustness/load.py against
the app served as production serves it, on 127.0.0.1.
"""

from __future__ import annotations

from tests.helpers import run_async
from tests.robustness.load import run_load
from tests.robustness.server import AppServer, health
from tests.robustness.soak import warm

SESSIONS, SECONDS = 10, 10.0


def test_ten_sessions_interacting_for_ten_seconds(built_db, tmp_path):
    log = tmp_path / "streamlit.log"
    with AppServer(built_db, log) as server:
        run_async(warm(server.base))
        report = run_async(run_load(server.base, SESSIONS, SECONDS, think=0.5))
        print(report.summary())
        assert report.errors == [], "\n".join(report.errors[:10])
        assert len(report.opens) == SESSIONS
        assert len(report.interactions) >= 2 * SESSIONS, report.summary()
        assert {"filter", "widget", "navigate"} <= set(report.by_kind), report.by_kind
        assert report.by_kind.get("widget, URL updated", 0) > 0, "no widget change reached the app"
        assert report.percentile(report.interactions, 95) < 30, report.summary()
        assert health(server.base) == "ok"
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
