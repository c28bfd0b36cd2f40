"""The API's numbers are the pages' numbers: every KPI, observation, target, goal and ward
value against the same kawasaki functions the pages call, on the same database."""

from __future__ import annotations

import pytest

from kawasaki import coverage, queries
from kawasaki.present import kpi_latest, kpi_target, kpi_value, status_label
from kawasaki.wards import queries as ward_queries
from tests.api.conftest import get_csv, get_json

FILTERS = [
    ("goal=13", {"goals": [13]}),
    ("goal=13,14", {"goals": [13, 14]}),
    ("target=11.7", {"target": "11.7"}),
    ("status=no_actual", {"status": "no_actual"}),
    ("term=2", {"terms": (2,)}),
    ("term=3&goal=7", {"terms": (3,), "goals": [7]}),
]


def page_rows(con, terms=(3, 2), goals=(), target=None, status=None) -> list[dict]:
    """The KPIs as the pages list them (kawasaki.queries.kpis), this plan first."""
    rows = []
    for term in terms:
        rows += queries.kpis(con, plan_term=term, goals=goals, target=target, status=status).to_dict(
            "records"
        )
    return rows


@pytest.fixture(scope="module")
def kpis(front_door) -> dict:
    return get_json(front_door, "kpis.json")


def test_every_kpi_reads_as_on_the_pages(kpis, front_door, con):
    rows = page_rows(con)
    assert kpis["count"] == len(rows) == len(kpis["kpis"]) > 20
    csv_rows = {r["kpi_id"]: r for r in get_csv(front_door, "kpis.csv")}
    for page, api in zip(rows, kpis["kpis"], strict=True):
        assert api["kpi_id"] == page["kpi_id"] and api["name_ja"] == page["name_ja"]
        unit = page["unit_ja"]
        if api["baseline_value"] is None:
            assert api["baseline_printed"] is None and kpi_value(page, "baseline", "ja") == "データなし"
        else:
            assert api["baseline_printed"] + unit == kpi_value(page, "baseline", "ja")
        qualifier = api["target_qualifier"] or ""
        assert api["target_printed"] + unit + qualifier == kpi_target(page, "ja")
        if page["latest_kind"] == "actual":
            period = {"fiscal": "年度", "calendar": "年"}[page["period_type"]]
            shown = f"{api['latest_period']}{period} {api['latest_printed']}{unit}"
            assert shown == kpi_latest(page, "ja")
        else:  # no actual value yet: empty, never the baseline or 0
            assert api["latest_value"] is None and api["latest_printed"] is None
        assert api["status_ja"] == status_label(page["status"], "ja", page["plan_term"])
        assert api["status_en"] == status_label(page["status"], "en", page["plan_term"])
        assert api["sdg_targets"] == list(page["targets"])
        row = csv_rows[api["kpi_id"]]
        assert row["baseline_printed"] == (api["baseline_printed"] or "")
        assert row["sdg_targets"] == ";".join(api["sdg_targets"])
        assert row["latest_value"] == ("" if api["latest_value"] is None else str(api["latest_value"]))


def test_kpis_as_printed_by_the_plan(kpis):
    by_id = {k["kpi_id"]: k for k in kpis["kpis"]}
    ghg = by_id["ghg-reduction"]
    assert (ghg["baseline_printed"], ghg["baseline_value"]) == ("▲35.0", -35.0)
    assert ghg["period_type_ja"] == "年度"
    printed = [k["baseline_printed"] for k in kpis["kpis"] if k["baseline_printed"]]
    assert any("," in p for p in printed)  # thousands as the plan prints them (1,039)


@pytest.mark.parametrize(("query", "wanted"), FILTERS, ids=[f[0] for f in FILTERS])
def test_filters_select_what_the_pages_select(front_door, con, query, wanted):
    got = get_json(front_door, f"kpis.json?{query}")
    expected = page_rows(con, **wanted)
    assert [k["kpi_id"] for k in got["kpis"]] == [r["kpi_id"] for r in expected]
    assert [r["kpi_id"] for r in get_csv(front_door, f"kpis.csv?{query}")] == [r["kpi_id"] for r in expected]


def test_every_kpi_detail_has_its_observations(front_door, con):
    for kpi_id in queries.vocabulary(con)["kpi"]:
        got = get_json(front_door, f"kpis/{kpi_id}.json")
        obs = queries.kpi_observations(con, kpi_id).to_dict("records")
        assert [(o["kind"], o["period"], o["value"]) for o in got["observations"]] == [
            (o["kind"], o["period"], o["value"]) for o in obs
        ]
        assert [t["target_id"] for t in got["sdg_target_texts"]] == list(
            queries.kpi_sdg_targets(con, kpi_id).target_id
        )
        assert got["links"]["page"] == f"/progress?kpi={kpi_id}"


def test_observations_file_holds_every_value_and_no_made_up_zero(front_door, con):
    rows = get_csv(front_door, "observations.csv")
    expected = []
    for kpi_id in queries.vocabulary(con)["kpi"]:
        expected += [
            (kpi_id, o["kind"], str(o["period"]))
            for o in queries.kpi_observations(con, kpi_id).to_dict("records")
        ]
    assert [(r["kpi_id"], r["kind"], r["period"]) for r in rows] == expected
    assert all(r["value"] != "" and r["printed"] != "" for r in rows)
    assert any(r["note_ja"] == "" for r in rows)  # missing is an empty cell


def test_targets_goals_and_plan_are_the_pages(front_door, con):
    targets = get_json(front_door, "targets.json")["targets"]
    covered = coverage.by_target(coverage.links(con))
    assert len(targets) == 169 == len(covered)
    assert {t["target_id"]: t["kpis"] for t in targets} == dict(
        zip(covered.target_id, map(list, covered.kpi_ids), strict=True)
    )
    goals = get_json(front_door, "goals.json")["goals"]
    assert [(g["goal"], g["kpi_count"]) for g in goals] == list(
        queries.goals(con)[["goal", "kpi_count"]].itertuples(index=False, name=None)
    )
    plan = get_json(front_door, "plan.json")
    initiatives = [i for a in plan["policy_areas"] for i in a["initiatives"]]
    assert len(plan["policy_areas"]) == len(queries.policy_areas(con))
    assert [i["initiative_id"] for i in initiatives] == list(queries.initiatives(con).initiative_id)
    measures = queries.measures(con, list(queries.initiatives(con).initiative_id))
    assert (
        sum(len(m["actions"]) for i in initiatives for m in i["measures"])
        == measures.action_number.notna().sum()
    )


def test_ward_values_hold_every_value_the_map_shows(front_door, con):
    rows = get_csv(front_door, "ward_values.csv")
    assert len(rows) == con.execute("SELECT count(*) FROM ward_indicators").fetchone()[0]
    held = {(r["ward_code"], r["indicator_id"], r["reference_date"]): r for r in rows}
    for indicator in ward_queries.indicators(con).indicator_id:
        for shown in ward_queries.indicator_values(con, indicator).to_dict("records"):
            if shown["value"] != shown["value"] or shown["value"] is None:
                continue  # the map says "no data"; the file has no row
            row = held[(shown["ward_code"], indicator, shown["reference_date"] or "")]
            assert float(row["value"]) == shown["value"] and row["source_title"] == shown["source_title"]
    geo = get_json(front_door, "wards.geojson")
    assert sorted(f["id"] for f in geo["features"]) == sorted(ward_queries.wards(con).ward_code)
    assert "国土数値情報" in geo["attribution"]["ja"]
