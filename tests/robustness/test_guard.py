"""The app's own rule for /_stcore/metrics (kawasaki/web/guard.py): loopback only.

For deployments without nginx; to be wired into the served app's ASGI middleware
(Streamlit's ``st.App``, kawasaki/web/server.py). The nginx side is tested in
test_nginx.py.
"""

from __future__ import annotations

import pytest

from kawasaki.web.guard import allowed

PUBLIC = "203.0.113.9"


@pytest.mark.parametrize(
    "path,client,expected",
    [
        ("/_stcore/metrics", "127.0.0.1", True),
        ("/_stcore/metrics", "127.0.0.2", True),
        ("/_stcore/metrics", "::1", True),
        ("/_stcore/metrics", "::ffff:127.0.0.1", True),
        ("/_stcore/metrics", PUBLIC, False),
        ("/_stcore/metrics", "2001:db8::1", False),
        ("/_stcore/metrics", "::ffff:203.0.113.9", False),
        ("/_stcore/metrics", "10.0.0.5", False),
        ("/_stcore/metrics", None, False),
        ("/_stcore/metrics", "", False),
        ("/_stcore/metrics", "not an address", False),
        ("/_stcore/metrics/", PUBLIC, False),
        ("//_stcore//metrics", PUBLIC, False),
        ("/_STCORE/Metrics", PUBLIC, False),
        ("/%5Fstcore/metrics", PUBLIC, False),
        ("/%255Fstcore/metrics", PUBLIC, False),
        ("/_stcore/%6detrics", PUBLIC, False),
        ("/x/../_stcore/metrics", PUBLIC, False),
        ("/_stcore/./metrics", PUBLIC, False),
        ("/dashboard/_stcore/metrics", PUBLIC, False),
        ("/_stcore/metrics?format=proto", PUBLIC, False),
        ("\\_stcore\\metrics", PUBLIC, False),
        ("/_stcore/health", PUBLIC, True),
        ("/_stcore/stream", PUBLIC, True),
        ("/_stcore/host-config", PUBLIC, True),
        ("/", PUBLIC, True),
        ("/explore", PUBLIC, True),
        ("/about?goal=13", PUBLIC, True),
        ("/_stcore/metricsx", PUBLIC, True),
        ("/static/metrics.js", PUBLIC, True),
    ],
)
def test_metrics_only_for_loopback(path, client, expected):
    assert allowed(path, client) is expected
