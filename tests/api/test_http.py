"""The API over HTTP: conditional GET and caching headers, CORS, errors as JSON for hostile
input, the Atom feed of releases, the database download, the metrics guard; the data
package validated by frictionless and the whole description fuzzed by schemathesis."""

from __future__ import annotations

import email.utils
import json
import time
import xml.etree.ElementTree as ET

import pytest

from kawasaki import queries
from kawasaki.releases import history
from tests.api.conftest import get, get_json
from tests.frontdoor.conftest import fetch

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = [
    ("kpis.json?goal=<script>alert(1)</script>", 400),
    ("kpis.json?goal=13&goal=x", 400),
    ("kpis.json?target=13.1%27--", 400),
    ("kpis.json?status=on_track&status=behind", 400),
    ("kpis.json?term=3%00", 400),
    ("kpis.json?term=", 400),
    ("kpis.json?goal=" + ",".join(str(n) for n in range(40)), 400),
    ("kpis.json?" + "&".join(f"p{n}=1" for n in range(300)), 400),
    ("kpis.json?lang=en", 400),
    ("kpis/%27%20OR%201%3D1%20--.json", 404),
    ("kpis/%3Cimg%20src%3Dx%3E.json", 404),
    ("kpis/..%2F..%2Fetc%2Fpasswd.json", 404),  # a name, never a file path
    ("kpis.xml", 404),
    ("releases.atom?lang=fr", 400),
    ("kawasaki.duckdb?x=1", 400),
    ("kpis.json?goal=" + "9" * 5000, 414),
]


def test_conditional_get_and_cache_headers(front_door, con):
    first = get(front_door, "kpis.json")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    stamp = queries.build_info(con)["build_stamp"]
    assert etag.startswith(f'"{stamp}-')
    built = queries.build_info(con)["built_at"]
    assert email.utils.parsedate_to_datetime(modified) == built.replace(microsecond=0)
    assert first.headers["cache-control"] == "public, max-age=300"
    again = get(front_door, "kpis.json", {"If-None-Match": etag})
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == etag
    assert get(front_door, "kpis.json", {"If-None-Match": '"other"'}).status == 200
    assert get(front_door, "kpis.json", {"If-Modified-Since": modified}).status == 304
    other = get(front_door, "kpis.json?goal=13")
    assert other.headers["etag"] != etag  # a representation of its own
    gz = get(front_door, "kpis.json", {"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and json.loads(gz.text) == json.loads(first.body)


def test_cors_on_every_answer(front_door):
    for path, headers in [("kpis.csv", {}), ("kpis.csv", None), ("nope.json", {})]:
        assert get(front_door, path, headers).headers["access-control-allow-origin"] == "*"
    etag = get(front_door, "kpis.csv").headers["etag"]
    assert get(front_door, "kpis.csv", {"If-None-Match": etag}).headers["access-control-allow-origin"] == "*"
    pre = get(
        front_door,
        "kpis.json",
        {
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
        method="OPTIONS",
    )
    assert pre.status == 204 and "If-None-Match" in pre.headers["access-control-allow-headers"]
    assert "ETag" in get(front_door, "kpis.json").headers["access-control-expose-headers"]


@pytest.mark.parametrize(("path", "status"), HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_gets_a_json_error(front_door, path, status):
    started = time.perf_counter()
    got = get(front_door, path)
    assert got.status == status, (got.status, got.body[:200])
    assert got.headers["content-type"] == "application/json"
    error = json.loads(got.body)["error"]
    assert error["status"] == status and error["message"]
    assert "<" not in error["message"] and "Traceback" not in error["message"]
    assert time.perf_counter() - started < 2


def test_only_get(front_door):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        got = get(front_door, "kpis.json", method=method)
        assert got.status == 405 and got.headers["allow"] == "GET, HEAD"
    assert get(front_door, "kpis.json", method="HEAD").status == 200
    other = fetch(front_door, "/api/v2/kpis.json")
    assert other.status == 404 and other.headers["content-type"] == "application/json"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_atom_feed_lists_every_release(front_door, con, lang):
    got = get(front_door, "releases.atom" + ("?lang=en" if lang == "en" else ""))
    assert got.status == 200 and got.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(got.body)
    assert feed.tag == f"{ATOM}feed" and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    releases = history(con)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(releases) >= 1
    for entry, release in zip(entries, releases, strict=True):
        assert entry.findtext(f"{ATOM}title") == release[f"title_{lang}"]
        assert entry.findtext(f"{ATOM}id").endswith(release["release_id"])
        assert entry.findtext(f"{ATOM}updated").endswith("Z")
        assert (
            entry.find(f"{ATOM}link").get("href").endswith("/changes" + ("?lang=en" if lang == "en" else ""))
        )
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)


def test_changes_document_links_the_feed(front_door):
    doc = fetch(front_door, "/changes?lang=en").text
    assert 'rel="alternate" type="application/atom+xml"' in doc
    assert "/api/v1/releases.atom?lang=en" in doc


def test_database_download_is_the_file(front_door, built_db):
    got = get(front_door, "kawasaki.duckdb")
    assert got.status == 200 and got.body == built_db.read_bytes()
    assert "attachment" in got.headers["content-disposition"]
    assert get(front_door, "kawasaki.duckdb", {"If-None-Match": got.headers["etag"]}).status == 304


def test_metrics_only_for_this_machine(front_door):
    assert fetch(front_door, "/_stcore/metrics").status == 200  # loopback: monitoring
    for spelling in ("/_stcore/metrics", "/%5Fstcore/metrics", "/_stcore//metrics/"):
        away = fetch(front_door, spelling, headers={"X-Forwarded-For": "203.0.113.9"})
        assert away.status == 403, spelling
    assert fetch(front_door, "/_stcore/health", headers={"X-Forwarded-For": "203.0.113.9"}).status == 200


def test_datapackage_passes_frictionless(front_door):
    from frictionless import validate

    package = get_json(front_door, "datapackage.json")
    assert [r["path"] for r in package["resources"]] == ["kpis.csv", "observations.csv", "ward_values.csv"]
    assert "license" not in json.dumps(package["sources"])  # terms only where a source states them
    report = validate(f"{front_door}/api/v1/datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    assert [t.stats["rows"] for t in report.tasks][0] == get_json(front_door, "kpis.json")["count"]


def test_openapi_holds_under_schemathesis(front_door):
    import schemathesis
    from hypothesis import HealthCheck, Phase, settings

    schema = schemathesis.openapi.from_url(f"{front_door}/api/v1/openapi.json")
    schema = schema.exclude(path="/kawasaki.duckdb")  # 15 MB per example; tested above
    failures = []

    @settings(
        max_examples=15,
        database=None,  # nothing written into the working directory
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(base_url=f"{front_door}/api/v1")

    for result in schema.get_all_operations():
        operation = result.ok()
        test = operation.as_strategy()
        try:
            from hypothesis import given

            given(test)(check)()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {exc}"[:2000])
    assert not failures, "\n\n".join(failures)
