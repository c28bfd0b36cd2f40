"""The change list: a pure function over two databases' rows (kawasaki.changes.diff)."""

from __future__ import annotations

import datetime as dt

import pytest

from kawasaki.changes import Change, Table, diff

KPI = {
    "kpi_id": "ghg",
    "name_ja": "温室効果ガスの削減割合",
    "name_en": "GHG reduction",
    "unit_ja": "%",
    "unit_en": "%",
    "en_scale": 1,
    "period_type": "fiscal",
    "plan_term": 3,
    "source_en": "Survey",
    "sort_order": 1,
}
OBS_KEY = ("kpi_id", "period", "kind")


def obs(period: int, value: float, decimals: int = 1, kind: str = "actual") -> dict:
    return {"kpi_id": "ghg", "period": period, "kind": kind, "value": value, "decimals": decimals}


def tables(*observations: dict, status: str = "no_actual", wards=(), kpi=KPI, as_of=dt.date(2026, 11, 28)):
    """A database's rows: one KPI with its observations and status, ward values, the as-of date."""
    return {
        "kpis": Table(("kpi_id",), (kpi,)),
        "kpi_observations": Table(OBS_KEY, (obs(2023, -35.0, kind="baseline"), *observations)),
        "kpi_progress": Table(("kpi_id",), ({"kpi_id": "ghg", "status": status},)),
        "wards": Table(("ward_code",), ({"ward_code": "14132", "name_ja": "幸区", "name_en": "Saiwai-ku"},)),
        "ward_indicator_defs": Table(
            ("indicator_id",),
            (
                {
                    "indicator_id": "kayoi",
                    "name_ja": "通いの場の数",
                    "name_en": "Places",
                    "unit_ja": "か所",
                    "unit_en": "places",
                    "kpi_id": "ghg",
                },
            ),
        ),
        "ward_indicators": Table(
            ("ward_code", "indicator_id", "reference_date"),
            tuple(
                {
                    "ward_code": "14132",
                    "indicator_id": "kayoi",
                    "reference_date": d,
                    "value": v,
                    "decimals": 0,
                }
                for d, v in wards
            ),
        ),
        "build_info": Table((), ({"data_as_of": as_of, "plan_title_ja": "計画", "plan_title_en": "Plan"},)),
    }


BASE = tables()
CASES = [
    # (id, old tables, new tables, expected Japanese lines, expected English lines)
    ("nothing", BASE, BASE, [], []),
    (
        "an actual added, with the status it causes",
        BASE,
        tables(obs(2026, -43.0), status="on_track"),
        ["「温室効果ガスの削減割合」2026年度の実績値を追加：▲43.0%（状況：実績値なし → 順調）"],
        ["“GHG reduction”: actual value for FY2026 added: −43.0% (status: No actual value yet → On track)"],
    ),
    (
        "a value's printed decimals changed (40 → 40.0)",
        tables(obs(2026, 40.0, decimals=0)),
        tables(obs(2026, 40.0, decimals=1)),
        ["「温室効果ガスの削減割合」2026年度の実績値を変更：40% → 40.0%"],
        ["“GHG reduction”: actual value for FY2026 changed: 40% → 40.0%"],
    ),
    (
        "the status alone",
        BASE,
        tables(status="behind"),
        ["「温室効果ガスの削減割合」の状況：実績値なし → 遅れ"],
        ["“GHG reduction”: status No actual value yet → Behind"],
    ),
    (
        "a ward value added",
        BASE,
        tables(wards=[("2026-03-31", 120.0)]),
        ["区別の値「通いの場の数」幸区（2026-03-31）を追加：120か所"],
        ["Ward value “Places”, Saiwai-ku (2026-03-31) added: 120 places"],
    ),
    (
        "a KPI's English source changed",
        BASE,
        tables(kpi={**KPI, "source_en": "Survey by the Bureau"}),
        ["KPI「温室効果ガスの削減割合」の出典（英語）を変更：「Survey」→「Survey by the Bureau」"],
        ["KPI “GHG reduction”: source (English) changed: “Survey” → “Survey by the Bureau”"],
    ),
    (
        "the row order alone is not a change",
        BASE,
        tables(kpi={**KPI, "sort_order": 9}),
        [],
        [],
    ),
    (
        "the as-of date",
        BASE,
        tables(as_of=dt.date(2027, 6, 30)),
        ["データ時点を変更：2026-11-28 → 2027-06-30"],
        ["Data as of changed: 2026-11-28 → 2027-06-30"],
    ),
]


@pytest.mark.parametrize("old,new,ja,en", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_change_reads_in_plain_words(old, new, ja, en):
    changes = diff(old, new)
    assert [c.text_ja for c in changes] == ja
    assert [c.text_en for c in changes] == en


def test_a_change_and_its_reverse():
    """Removing what was added reads as a removal, with the status going back; the record
    keeps what the change is about (for a KPI's history and a feed)."""
    after = tables(obs(2026, -43.0), status="on_track", wards=[("2026-03-31", 120.0)])
    added, removed = diff(BASE, after), diff(after, BASE)
    assert [c.kind for c in added] == ["kpi_value", "ward_value"]
    assert added[0].kpi_id == "ghg" and added[0].period == 2026
    assert (added[0].status_old, added[0].status_new) == ("no_actual", "on_track")
    assert added[1].kpi_id == "ghg"  # the indicator breaks the KPI down by ward
    assert (
        removed[0].text_ja
        == "「温室効果ガスの削減割合」2026年度の実績値を削除（▲43.0%）（状況：順調 → 実績値なし）"
    )
    assert Change.from_json(added[0].to_json()) == added[0]


def test_other_tables_row_by_row():
    old = {
        "initiatives": Table(
            ("initiative_id",), ({"initiative_id": "1-4", "name_ja": "取組", "name_en": "x"},)
        )
    }
    new = {
        "initiatives": Table(
            ("initiative_id",),
            (
                {"initiative_id": "1-4", "name_ja": "取組", "name_en": "y"},
                {"initiative_id": "1-5", "name_ja": "新しい取組", "name_en": "z"},
            ),
        ),
        "census": Table(
            ("ward_code",), ({"ward_code": "14131", "people": 1},)
        ),  # a table the diff does not know
    }
    assert [c.text_ja for c in diff(old, new)] == [
        "取組「1-4」の名称（英語）を変更：「x」→「y」",
        "取組「1-5」を追加",
        "census「14131」を追加",
    ]
