"""The ward map: pure rules (classes, colours, normalisation), places.csv checks, and the /wards page."""

from __future__ import annotations

import json
import re

import duckdb
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from kawasaki.build import build
from kawasaki.i18n import LOCALES, _flatten
from kawasaki.present import relative_luminance
from kawasaki.problems import DataError
from kawasaki.wards import choropleth, model, polygons, texts
from kawasaki.wards import queries as ward_queries
from kawasaki.web.frame import page_script, use_navigation
from kawasaki.web.wards import INITIATIVE_PAGE
from tests.apptest_helpers import preformatted_texts, tables
from tests.conftest import ROOT
from tests.helpers import append_row, drop_column, duplicate_row, read_rows, set_cell
from tests.test_ward_svg import svg_root, svg_wards

PLACES = "wards/places.csv"
VALUES = "wards/values.csv"
GREY = model.hex_to_rgb(model.NO_DATA)

# The 2020 Census population (data/wards/values.csv, from the shared ward_census_2020.csv), by hand.
CENSUS_2020 = {
    "14131": 232965,
    "14132": 171119,
    "14133": 263683,
    "14134": 234328,
    "14135": 221734,
    "14136": 233728,
    "14137": 180705,
}
MEAN_2020 = sum(CENSUS_2020.values()) / 7  # 1,538,262 / 7 = 219,751.7
# The 2015 Census population (the comparison column of the city's 2020 preliminary release):
# 4 wards, 多摩区, 宮前区 and 麻生区 missing.
CENSUS_2015 = {"14131": 223378, "14132": 160890, "14133": 247529, "14134": 228141}


# --- pure rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values,expected",
    [
        ([1, 2, 3, 4, 5, 6, 7], [(1, 2), (3, 3), (4, 5), (6, 6), (7, 7)]),
        ([10, 20, 30], [(10, 10), (20, 20), (30, 30)]),
        ([5, 5, 9, 9], [(5, 5), (9, 9)]),
        ([42], [(42, 42)]),
        ([], []),
        (
            list(CENSUS_2015.values()),
            [(160890,) * 2, (223378,) * 2, (228141,) * 2, (247529,) * 2],
        ),
    ],
)
def test_quantile_classes(values, expected):
    assert model.quantile_classes(values) == expected


@pytest.mark.parametrize(
    "k,expected",
    [
        (0, []),
        (1, ["#41B6C4"]),
        (2, ["#FFFFCC", "#253494"]),
        (5, list(model.PALETTE)),
    ],
)
def test_class_colours(k, expected):
    assert model.class_colours(k) == expected


def test_palette_gets_darker_and_no_data_is_none_of_its_colours():
    lum = [relative_luminance(c) for c in model.PALETTE]
    assert lum == sorted(lum, reverse=True)
    assert model.NO_DATA not in model.PALETTE


@pytest.mark.parametrize(
    "values,expected",
    [([3, None, 5, 3], [2, None, 1, 2]), ([None, None], [None, None]), ([1.5], [1])],
)
def test_ranks(values, expected):
    assert model.ranks(values) == expected


@pytest.mark.parametrize(
    "value,date,denominator,denominator_date,factor,expected",
    [
        (217328, "2010-10-01", 39.21, "2010-10-01", 1, 217328 / 39.21),
        (128414, "2025-03-01", 231640, "2025-03-01", 10_000, 128414 / 231640 * 10_000),
        (231640, "2025-03-01", 10.01, None, 1, None),  # the area's date is not stated
        (231640, "2025-03-01", 10.01, "2024-10-01", 1, None),  # different dates are never divided
        (None, "2010-10-01", 39.21, "2010-10-01", 1, None),
        (100, "2010-10-01", 0, "2010-10-01", 1, None),
        (100, None, 5, None, 1, None),
    ],
)
def test_normalise_only_same_ward_same_date(value, date, denominator, denominator_date, factor, expected):
    result = model.normalise(value, date, denominator, denominator_date, factor)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    "date,lang,expected",
    [
        ("2020-10-01", "ja", "2020年10月1日"),
        ("2020-10-01", "en", "1 Oct 2020"),
        ("2024-04", "ja", "2024年4月"),
        ("2005", "en", "2005"),
        (None, "ja", "時点の記載なし"),
        (None, "en", "date not stated"),
    ],
)
def test_date_text(date, lang, expected):
    assert texts.date_text(date, lang) == expected


def test_label_points_lie_inside_their_ward(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    for code, geometry in ward_queries.geometries(con).items():
        x, y = polygons.label_point(geometry)
        assert any(polygons.inside(x, y, polygon) for polygon in polygons.rings(geometry)), code


# --- queries and the prepared map on the real data ---------------------------------------------


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def _prepared(con, indicator_id, per=None):
    inds = ward_queries.indicators(con)
    row = model.indicator_row(inds, indicator_id)
    denoms = ward_queries.denominators(con, indicator_id)
    options = {o.normaliser.key: o for o in model.normalisation_options(row["kind"], denoms)}
    option = options[per] if per else None
    return model.prepare(ward_queries.indicator_values(con, indicator_id), row, option, denoms), options


@pytest.mark.parametrize(
    "indicator_id,per",
    [
        ("population_census_2010", None),
        ("population_census_2010", "per_km2"),
        ("households_estimate", "per_10k"),
        ("households_census_2020", "per_10k"),
        ("population_change_2010_2020", None),
        ("kayoi_no_ba", None),
    ],
)
def test_ward_map_and_facts_from_a_cursor_are_the_prepared_map(con, indicator_id, per):
    """What the view asks q for (model.ward_map, model.indicator_facts) is what the rules give."""
    wm, options = _prepared(con, indicator_id, per)
    assert model.ward_map(con, indicator_id, per) == wm
    facts = model.indicator_facts(con, indicator_id)
    assert facts.options == options and facts.indicator == wm.indicator
    assert facts.has_values == bool(_prepared(con, indicator_id)[0].present)


@pytest.mark.parametrize(
    "indicator_id,expected",
    [
        ("population_census_2010", {"per_km2": ("area_km2_2010", 7)}),  # same date: 2010-10-01
        ("population_census_2020", {}),  # no area of 2020-10-01 (the census density is its own indicator)
        ("households_census_2020", {"per_10k": ("population_census_2020", 7)}),  # not per 65+: not named
        ("density_census_2020", {}),  # a density is not divided again
        ("population_change_2010_2020", {}),
        ("population_estimate", {}),  # areas have no stated date: never divided
        ("crime_recognized_2005", {}),  # no population of 2005
        ("households_estimate", {"per_10k": ("population_estimate", 1)}),  # 川崎区, 2025-03-01
        ("aging_rate_census_2010", {}),  # a share is not divided
        # its fixed denominator, whatever the date: 2020 Census population × share aged 65+
        ("kayoi_no_ba", {"per_1k_65": ("population_65plus_census_2020", 7)}),
    ],
)
def test_normalisation_is_offered_only_with_same_date_denominators(con, indicator_id, expected):
    _, options = _prepared(con, indicator_id)
    assert {k: (o.denominator_id, o.wards) for k, o in options.items()} == expected


def test_density_by_hand(con):
    wm, _ = _prepared(con, "population_census_2010", "per_km2")
    kawasaki = next(r for r in wm.rows if r["ward_code"] == "14131")
    assert kawasaki["value"] == pytest.approx(217328 / 39.21)
    table = texts.ward_table(wm, "ja")
    assert table.iloc[0].tolist()[:2] == ["川崎区", "5,543人/km²"]
    assert table.iloc[0]["元の値"] == "217,328人" and table.iloc[0]["分母"] == "39.21km²"
    assert wm.unit_en == "people per km²"


def test_households_per_10000_residents_covers_only_the_ward_with_a_same_date_population(con):
    wm, _ = _prepared(con, "households_estimate", "per_10k")
    assert [r["ward_code"] for r in wm.present] == ["14131"]
    assert wm.present[0]["value"] == pytest.approx(128414 / 231640 * 10_000)
    assert texts.row_value_text(wm, wm.present[0], "en") == "5,543.7 households per 10,000 residents"


def test_ranks_and_differences_by_hand(con):
    wm, _ = _prepared(con, "population_census_2020")
    assert wm.mean == pytest.approx(MEAN_2020)
    by_ward = {r["ward_code"]: r for r in wm.rows}
    assert {c: by_ward[c]["rank"] for c in CENSUS_2020} == {
        "14133": 1,
        "14134": 2,
        "14136": 3,
        "14131": 4,
        "14135": 5,
        "14137": 6,
        "14132": 7,
    }
    assert by_ward["14132"]["difference"] == pytest.approx(171119 - MEAN_2020)
    assert texts.difference_text(wm, by_ward["14132"]["difference"], "ja") == "▲48,633人"
    assert texts.difference_text(wm, by_ward["14133"]["difference"], "en") == "+43,931 people"
    partial, _ = _prepared(con, "population_census_2015")
    tama = next(r for r in partial.rows if r["ward_code"] == "14135")
    assert tama["value"] is None and tama["rank"] is None


def test_mixed_dates_are_said(con):
    wm, _ = _prepared(con, "population_estimate")
    assert len(wm.dates) == 4
    assert texts.dates_text(wm, "en").startswith("differs by ward (1 Apr 2024")


def test_legend_lists_classes_unit_date_and_no_data(con):
    wm, _ = _prepared(con, "population_census_2015")
    legend = texts.legend_html(wm, "ja")
    for words in ("160,890人", "247,529人", "データなし", "3区", "単位：人", "時点：2015年10月1日", "分位"):
        assert words in legend
    full, _ = _prepared(con, "population_census_2010")
    assert f"background:{texts.NO_DATA_SWATCH}" in legend
    assert texts.NO_DATA_SWATCH not in texts.legend_html(full, "ja")


def test_legend_escapes_data(con):
    wm, _ = _prepared(con, "population_census_2010")
    wm.indicator["name_ja"] = "<script>x</script>"
    assert "<script>x" not in texts.legend_html(wm, "ja")


def test_download_table_keeps_numbers_and_iso_dates(con):
    wm, _ = _prepared(con, "population_census_2015")
    df = texts.download_table(wm)
    assert len(df) == 7
    row = df[df.ward_code == "14131"].iloc[0]
    assert (row.value, row.reference_date, row["rank"], row.source_type) == (
        223378,
        "2015-10-01",
        3,
        "official",
    )
    assert df[df.ward_code == "14135"].value.isna().all()


def test_default_indicator_is_the_2020_census_population(con):
    """Most wards, then the latest date, then the file's order: the 2020 Census population
    (before: the 2010 Census population from a ranking website)."""
    assert model.default_indicator(ward_queries.indicators(con)) == "population_census_2020"


def test_the_plans_indicator_is_linked_to_its_kpi(con):
    assert ward_queries.ward_kpi_indicator(con, "kayoi-no-ba") == "kayoi_no_ba"
    assert ward_queries.ward_kpi_indicator(con, "ghg-reduction") is None
    assert ward_queries.indicators(con).indicator_id.iloc[0] == "kayoi_no_ba"  # the plan's own first


def test_deck_has_no_basemap_and_small_geojson(con):
    wm, _ = _prepared(con, "population_census_2010")
    deck = choropleth.ward_deck(wm, ward_queries.geometries(con), "ja")
    spec = deck.to_json()
    assert json.loads(spec)["mapStyle"] == "__MAP_STYLE__"  # map_provider=None: Streamlit draws no basemap
    assert "cartocdn" not in spec and "mapbox" not in spec
    polygons, hatch, names = json.loads(spec)["layers"]
    assert (polygons["id"], hatch["id"], names["id"]) == ("wards", "no-data-hatch", "ward-names")
    # literal strings stay literal (pydeck turns plain strings into "@@=" accessors)
    assert polygons["lineWidthUnits"] == "pixels"
    assert names["characterSet"] == "auto" and not names["fontFamily"].startswith("@@=")
    assert choropleth.geojson_bytes(spec) <= 60_000
    assert len(spec.encode()) <= 64_000  # polygons, the no-data hatching and the labels


def test_no_data_wards_are_hatched(con):
    wm, _ = _prepared(con, "population_census_2015")
    geoms = ward_queries.geometries(con)
    hatch = json.loads(choropleth.ward_deck(wm, geoms, "ja").to_json())["layers"][1]["data"]["features"]
    assert len(hatch) == 3  # 多摩区, 宮前区 and 麻生区
    tama = geoms["14135"]
    for a, b in hatch[0]["geometry"]["coordinates"]:
        middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        assert any(polygons.inside(*middle, polygon) for polygon in polygons.rings(tama))
    assert "repeating-linear-gradient" in texts.legend_html(wm, "ja")


# --- places.csv ------------------------------------------------------------------------------


def test_places_name_the_wards_the_plan_and_sources_support(con):
    got = {(r["place_id"], r["ward_code"]) for r in ward_queries.places(con).to_dict("records")}
    assert {
        ("king-skyfront", "14131"),
        ("ogishima", "14131"),
        ("minami-watarida", "14131"),
        ("kawasaki-station", "14131"),
        ("shin-kawasaki-souzou-no-mori", "14132"),
        ("kosugi-station", "14133"),
        ("mizonokuchi", "14134"),
        ("ikuta-ryokuchi", "14135"),
        ("shin-yurigaoka-station", "14137"),
    } <= got
    for r in ward_queries.places(con).to_dict("records"):
        assert r["plan_section_ja"] and r["plan_section_en"] and r["note_ja"], r["place_id"]


def test_places_have_no_coordinates():
    """No coordinates column: there is no sourced coordinate for any place, so none is drawn."""
    header = read_rows(ROOT / "data" / PLACES)[0]
    assert not {"lat", "lon", "latitude", "longitude", "x", "y"} & set(header)


PLACE_CASES = [
    ("unknown ward", lambda d: set_cell(d / PLACES, 2, "ward_code", "14138"), "wards/places.csv:2: ward_code:", "not a Kawasaki ward code"),
    ("unknown initiative", lambda d: set_cell(d / PLACES, 3, "initiative_id", "9-9"), "wards/places.csv:3: initiative_id:", "initiative '9-9' is not in plan/structure.yaml"),
    ("circled initiative", lambda d: set_cell(d / PLACES, 3, "initiative_id", "4-②"), "wards/places.csv:3: initiative_id:", "write it like 4-1"),
    ("no plan section", lambda d: set_cell(d / PLACES, 4, "plan_section_ja", " "), "wards/places.csv:4: plan_section_ja:", "is empty"),
    ("no name", lambda d: set_cell(d / PLACES, 4, "name_ja", ""), "wards/places.csv:4: name_ja:", "is empty"),
    ("duplicate place in a ward", lambda d: duplicate_row(d / PLACES, 2), "wards/places.csv:13: place_id+ward_code:", "duplicate king-skyfront/14131"),
    ("missing column", lambda d: drop_column(d / PLACES, "initiative_id"), "wards/places.csv:1: initiative_id:", "column is missing"),
]  # fmt: skip


@pytest.mark.parametrize("name,edit,where,words", PLACE_CASES, ids=[c[0] for c in PLACE_CASES])
def test_places_checks_name_file_row_and_column(data_copy, tmp_path, name, edit, where, words):
    edit(data_copy)
    with pytest.raises(DataError) as info:
        build(data_copy, tmp_path / "out.duckdb")
    lines = [line for line in info.value.report().splitlines() if line.startswith(where)]
    assert any(words in line for line in lines), info.value.report()
    assert not (tmp_path / "out.duckdb").exists()


def test_a_place_in_two_wards_is_two_rows(con):
    rows = ward_queries.places(con)
    assert sorted(rows[rows.place_id == "ikuta-ryokuchi"].ward_code) == ["14135", "14136"]


def test_staff_add_one_row_per_ward_and_the_map_fills(data_copy, tmp_path):
    """The workflow the page shows for 通いの場: the 7 rows of its staff template in
    values.csv, then build; the map fills, and per 1,000 residents aged 65+ divides by the
    same ward's 2020 Census population × share aged 65+ although the dates differ.

    The numbers here are made up for the test (101..107), in a private copy of data/.
    """
    build(data_copy, data_copy.parent / "before.duckdb")
    before = duckdb.connect(str(data_copy.parent / "before.duckdb"), read_only=True)
    template = texts.staff_rows(
        model.indicator_row(ward_queries.indicators(before), "kayoi_no_ba"), ward_queries.wards(before), "ja"
    )
    before.close()
    rows = template.splitlines()
    assert rows[0] == ",".join(read_rows(data_copy / VALUES)[0])  # the template's header is the file's
    for n, line in enumerate(rows[1:], start=101):
        cells = dict(zip(rows[0].split(","), line.split(","), strict=True))
        cells.update(reference_date="2025-03-31", value=str(n), source_title="test", source_url="")
        append_row(data_copy / VALUES, cells)
    build(data_copy, tmp_path / "k.duckdb")
    c = duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True)
    wm, options = _prepared(c, "kayoi_no_ba")
    assert [r["value"] for r in wm.rows] == [101, 102, 103, 104, 105, 106, 107]
    assert GREY not in [model.hex_to_rgb(r["colour"]) for r in wm.rows]
    per65, _ = _prepared(c, "kayoi_no_ba", "per_1k_65")
    kawasaki = per65.rows[0]
    assert kawasaki["denominator"] == 49622  # 232,965 × 21.3% = 49,621.545, rounded half up
    assert kawasaki["value"] == pytest.approx(101 / 49622 * 1000)
    assert (kawasaki["reference_date"], kawasaki["denominator_date"]) == ("2025-03-31", "2020-10-01")
    assert texts.row_value_text(per65, kawasaki, "ja") == "2.0か所/65歳以上人口千人"
    note = texts.fixed_denominator_note(options["per_1k_65"], "ja")
    assert "2020年10月1日" in note and "時点が異なります" in note


def test_staff_rows_template(con):
    inds = ward_queries.indicators(con)
    text = texts.staff_rows(model.indicator_row(inds, "kayoi_no_ba"), ward_queries.wards(con), "ja")
    lines = text.splitlines()
    assert lines[0] == ",".join(read_rows(ROOT / "data" / VALUES)[0])
    assert (
        lines[0]
        == "ward_code,indicator_id,reference_date,value,unit,source_title,source_url,source_type,attribution"
    )
    assert len(lines) == 8
    assert lines[1] == "14131,kayoi_no_ba,YYYY-MM-DD,<川崎区の値>,places,<出典の名称>,<URL>,official,"


# --- locale files -----------------------------------------------------------------------------


def _keys(lang: str) -> set[str]:
    with open(LOCALES / lang / "wards.yaml", encoding="utf-8") as fh:
        return set(_flatten(yaml.safe_load(fh)))


def test_both_locales_have_the_same_ward_keys():
    assert _keys("ja") == _keys("en")
    assert all(k.startswith("wardmap.") for k in _keys("ja"))


def test_every_wardmap_key_used_in_code_exists():
    pattern = re.compile(r"""\bt\(\s*f?["'](wardmap\.[a-z_0-9.]+)""")
    used = set()
    paths = [
        *(ROOT / "kawasaki" / "wards").glob("*.py"),
        ROOT / "kawasaki/web/wards.py",
        ROOT / "pages/wards.py",
    ]
    for path in paths:
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    keys = _keys("ja")
    assert len(used) > 20
    for key in used:
        if key.endswith("."):  # f"wardmap.per.{key}": a family of keys
            assert any(k.startswith(key) for k in keys), key
        else:
            assert key in keys, key


# --- the page ---------------------------------------------------------------------------------


pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def app_env(built_db, monkeypatch):
    """The app on the test database, run through app.py as the server runs it.

    (``kawasaki.web.frame.use_navigation``: every URL through app.py, as
    ``python -m kawasaki serve`` runs it.)
    """
    monkeypatch.setenv("KAWASAKI_DB", str(built_db))
    use_navigation()


def open_wards(**params: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page_script("wards")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def deck_of(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def map_markup(at: AppTest) -> str:
    """The SVG map the page draws by default (a Markdown element of raw HTML)."""
    found = [m.value for m in at.markdown if 'class="kd-wm"' in m.value]
    assert len(found) == 1, f"{len(found)} SVG maps"
    return found[0]


def wards_drawn(at: AppTest) -> dict[str, dict]:
    """Each ward of the default SVG map: fill (hex), classes, tooltip, label."""
    return svg_wards(map_markup(at))


def interactive(at: AppTest) -> AppTest:
    """The page after the visitor turns on the interactive (pydeck) map."""
    at.toggle[0].set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def features(at: AppTest) -> dict[str, dict]:
    layer = deck_of(at)["layers"][0]
    assert layer["@@type"] == "GeoJsonLayer"
    return {f["properties"]["ward_code"]: f["properties"] for f in layer["data"]["features"]}


def test_page_map_table_and_colours(app_env):
    at = open_wards(indicator="population_census_2015")
    assert not at.get("deck_gl_json_chart")  # the SVG map by default: no deck.gl chunk to load
    props = wards_drawn(at)
    assert len(props) == 7
    # a larger value is darker
    order = sorted(CENSUS_2015, key=CENSUS_2015.get)
    lums = [relative_luminance(props[c]["fill"]) for c in order]
    assert lums == sorted(lums, reverse=True) and lums[0] > lums[-1]
    # 多摩区, 宮前区 and 麻生区 have no value: grey, and "no data", never 0
    for code in ("14135", "14136", "14137"):
        assert props[code]["fill"] == model.NO_DATA and "：データなし" in props[code]["title"]
    table = tables(at)[0].set_index("区")
    assert table.loc["多摩区", "値"] == "データなし" and table.loc["麻生区", "値"] == "データなし"
    assert table.loc["中原区", "順位（大きい順）"] == "4区中1位"
    assert table.loc["幸区", "順位（大きい順）"] == "4区中4位"
    assert table.loc["川崎区", "値"] == "223,378人"
    assert table.loc["川崎区", "出典の種類"] == "公的統計" and table.loc["多摩区", "出典の種類"] == "—"
    alt = svg_root(map_markup(at)).get("aria-label")
    assert "中原区" in alt and "3区" in alt
    assert len(at.get("download_button")) == 2
    assert at.query_params["indicator"] == "population_census_2015"
    chart = interactive(at).get("deck_gl_json_chart")[0].proto  # on demand: the same map as a deck
    assert "中原区" in chart.alt and "3区" in chart.alt
    assert choropleth.geojson_bytes(chart.json) <= 60_000  # what the browser receives for the polygons
    assert features(at)["14135"]["fill"] == GREY and features(at)["14135"]["value"] == "データなし"
    assert not any('class="kd-wm"' in m.value for m in at.markdown)  # one map at a time
    assert "per" not in at.query_params and len(at.query_params) == 1  # a session choice


def test_page_tooltip_names_both_languages_value_and_date(app_env):
    at = open_wards(indicator="population_census_2020")
    assert wards_drawn(at)["14131"]["title"].splitlines() == [
        "川崎区 Kawasaki-ku",
        "人口（令和2年国勢調査・確定）：232,965人",
        "時点：2020年10月1日",
    ]
    tooltip = json.loads(interactive(at).get("deck_gl_json_chart")[0].proto.tooltip)["html"]
    assert all(f"{{{k}}}" in tooltip for k in ("name_ja", "name_en", "value", "date"))
    assert features(at)["14131"]["date"] == "2020年10月1日"


def test_page_invalid_indicator_falls_back_with_a_notice(app_env):
    at = open_wards(indicator="nope")
    assert any("indicator" in w.value and "nope" in w.value for w in at.warning)
    assert at.selectbox[0].value == "population_census_2020"
    assert len(wards_drawn(at)) == 7


def test_page_in_english(app_env):
    at = open_wards(indicator="population_census_2015", lang="en")
    assert [s.label for s in at.selectbox] == ["Indicator", "Your ward"]
    table = tables(at)[0].set_index("Ward")
    assert table.loc["Tama-ku", "Value"] == "no data"
    assert table.loc["Nakahara-ku", "Rank (largest first)"] == "1 of 4"
    assert "Population (2015 Census" in wards_drawn(at)["14135"]["title"]
    assert wards_drawn(at)["14135"]["title"].endswith(": no data\nReference date: —")
    assert wards_drawn(at)["14135"]["label"] == "Tama"
    assert at.toggle[0].label == "Interactive map (pan, zoom)"
    assert at.title[0].value == "Ward map"


def test_page_kayoi_no_ba_says_no_ward_data_and_how_to_add_it(app_env):
    at = open_wards(indicator="kayoi_no_ba")
    assert any("区別のデータはまだありません" in i.value for i in at.info)
    assert all(p["fill"] == model.NO_DATA for p in wards_drawn(at).values())
    assert not at.code, "st.code loads the code highlighter (400 KB)"
    code = preformatted_texts(at)[0]
    assert "14131,kayoi_no_ba,YYYY-MM-DD" in code and len(code.splitlines()) == 8
    assert (tables(at)[0]["値"] == "データなし").all()


def test_page_lists_the_plan_in_kawasaki_ku(app_env):
    at = open_wards(ward="14131")
    text = " ".join(m.value for m in at.markdown)
    for name in ("キングスカイフロント", "扇島地区", "南渡田地区", "川崎駅周辺"):
        assert name in text
    assert "生田緑地" not in text and "新百合ヶ丘" not in text
    assert any("殿町" in c.value for c in at.caption)  # how the ward was checked
    assert at.query_params["ward"] == "14131"
    assert "wm-sel" in wards_drawn(at)["14131"]["classes"]  # the chosen ward is outlined
    assert "wm-sel" not in wards_drawn(at)["14132"]["classes"]
    assert features(interactive(at))["14131"]["line"] == 3  # on the deck too


def test_page_attribution_under_the_map(app_env):
    at = open_wards(indicator="population_census_2015")
    captions = " ".join(c.value for c in at.caption)
    assert "国土数値情報" in captions and "を加工して作成" in captions
    assert "令和2年国勢調査結果（人口速報集計）" in captions
    assert "mu373" not in captions  # the census compilation's credit only with its values
    census = " ".join(c.value for c in open_wards().caption)  # the default: the 2020 Census
    assert "出典：総務省統計局「令和2年国勢調査」" in census and "CC0" in census


def test_page_normalisation_names_its_denominator(app_env):
    at = open_wards(indicator="population_census_2010")
    control = next(b for b in at.button_group if b.key and b.key.startswith("wardmap_per_"))
    assert control.value == "none"
    control.set_value("per_km2").run()
    assert not at.exception
    table = tables(at)[0].set_index("区")
    assert table.loc["川崎区", "値"] == "5,543人/km²"
    assert any("面積（平成22年国勢調査時の表）" in c.value for c in at.caption)
    assert "per" not in at.query_params  # a session choice, not part of the URL


def test_page_picking_an_indicator_updates_the_url(app_env):
    at = open_wards()
    at.selectbox[0].select("aging_rate_census_2010").run()
    assert at.query_params["indicator"] == "aging_rate_census_2010"
    assert "：20.1%" in wards_drawn(at)["14131"]["title"]


def test_kpi_ward_map_for_the_progress_page(app_env):
    def script():
        import streamlit as st

        from kawasaki.state import ViewState
        from kawasaki.web.wards import render_kpi_ward_map

        st.session_state["drawn"] = [
            render_kpi_ward_map("kayoi-no-ba", ViewState()),
            render_kpi_ward_map("ghg-reduction", ViewState()),
        ]

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["drawn"] == [True, False]
    assert not at.get("deck_gl_json_chart")  # the SVG map: the KPI page loads no deck.gl either
    assert len(wards_drawn(at)) == 7
    assert any("区別のデータはまだありません" in i.value for i in at.info)


def test_initiative_links_are_valid_urls_of_the_matrix_page(con):
    """Each place links to /matrix?row=initiative:<id>; the URL parser must accept it."""
    from kawasaki import queries
    from kawasaki.state import parse_params

    vocabulary = queries.vocabulary(con)
    assert (ROOT / page_script(INITIATIVE_PAGE)).exists()
    for initiative_id in set(ward_queries.places(con).initiative_id):
        state = parse_params({"row": f"initiative:{initiative_id}"}, vocabulary)
        assert not state.notices and state.row == f"initiative:{initiative_id}"


# --- the 2020 Census, derived indicators, secondary sources (issue #15) ---------------------


CENSUS_INDICATORS = (
    "population_census_2020",
    "households_census_2020",
    "aging_share_census_2020",
    "child_share_census_2020",
    "foreign_share_census_2020",
    "single_household_share_census_2020",
    "density_census_2020",
)


def test_the_2020_census_covers_all_seven_wards_with_its_credit(con):
    rows = con.execute(
        """SELECT indicator_id, count(DISTINCT ward_code), min(reference_date), max(reference_date),
                  bool_and(source_type = 'official' AND attribution = 'census2020'), sum(value)
           FROM ward_indicators WHERE indicator_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1""",
        [list(CENSUS_INDICATORS)],
    ).fetchall()
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == set(CENSUS_INDICATORS)
    assert all(r[:4] == (7, "2020-10-01", "2020-10-01", True) for r in got.values())
    assert got["population_census_2020"][4] == 1_538_262  # the city's final 2020 total
    assert got["households_census_2020"][4] == 747_452
    assert {
        r["ward_code"]: r["value"] for r in _prepared(con, "population_census_2020")[0].rows
    } == CENSUS_2020
    inds = ward_queries.indicators(con).set_index("indicator_id")
    assert inds.loc["density_census_2020", "kind"] == "density"  # never divided by an area again
    assert all(inds.loc[i, "description_ja"] and inds.loc[i, "description_en"] for i in CENSUS_INDICATORS)


def test_superseded_and_secondary_2020_figures_are_gone(con):
    """The final census replaces the city's preliminary count and タウンニュース's three-ward
    shares; older or secondary figures stay only where nothing better exists."""
    ids = set(ward_queries.indicators(con).indicator_id)
    assert not ids & {"population_census_2020_prelim", "aging_rate_census_2020", "youth_rate_census_2020"}
    assert {"population_census_2010", "mean_age_census_2020", "working_age_rate_census_2020"} <= ids


def test_population_change_2010_2020_is_derived_by_hand(con):
    """(P2020 − P2010) ÷ P2010 × 100, half up to 1 decimal; secondary, because the 2010 figures are."""
    p2010 = {r["ward_code"]: r["value"] for r in _prepared(con, "population_census_2010")[0].rows}
    wm, _ = _prepared(con, "population_change_2010_2020")
    got = {r["ward_code"]: r["value"] for r in wm.rows}
    for code, p2020 in CENSUS_2020.items():
        exact = (p2020 - p2010[code]) / p2010[code] * 100
        assert got[code] == pytest.approx(exact, abs=0.05), code
    assert got["14132"] == 11.0  # 10.963…: half up, one decimal
    assert got["14135"] == 3.7
    assert all(r["derived"] and r["source_type"] == "secondary" for r in wm.rows)
    assert texts.source_kind(wm.rows[0], "ja") == "算出値（二次資料を含む）"
    assert "算出値" in texts.legend_html(wm, "ja") and "Calculated" in texts.legend_html(wm, "en")


def test_population_65plus_is_the_census_population_times_its_share(con):
    wm, _ = _prepared(con, "population_65plus_census_2020")
    assert [r["value"] for r in wm.rows][:2] == [49622, 36619]  # 232,965 × 21.3%; 171,119 × 21.4%
    assert model.indicator_row(ward_queries.indicators(con), "population_65plus_census_2020")["kind"] == (
        "population_65plus"
    )


@pytest.mark.parametrize(
    "how,a,b,expected",
    [
        ("percent_change", ("2010-10-01", "100"), ("2020-10-01", "107.25"), ("7.3", 1, "2020-10-01")),
        ("percent_change", ("2020-10-01", "100"), ("2010-10-01", "110"), None),  # B not after A
        ("percent_change", (None, "100"), ("2020-10-01", "110"), None),  # A's date unknown
        ("population_x_share", ("2020-10-01", "232965"), ("2020-10-01", "21.3"), ("49622", 0, "2020-10-01")),
        ("population_x_share", ("2020-10-01", "1000"), ("2015-10-01", "20.0"), None),  # dates differ
    ],
)
def test_derived_values_combine_only_what_may_be_combined(how, a, b, expected):
    from kawasaki.numbers import parse_number
    from kawasaki.wards.derive import derived_values

    def value(indicator, when, number, kind):
        return {"ward_code": "14131", "indicator_id": indicator, "reference_date": when,
                "value": parse_number(number), "source_type": kind, "attribution": None}  # fmt: skip

    indicators = [
        {"indicator_id": "a", "name_ja": "A", "derivation": None, "derived_from": None, "unit": "persons"},
        {"indicator_id": "b", "name_ja": "B", "derivation": None, "derived_from": None, "unit": "%"},
        {"indicator_id": "d", "name_ja": "D", "derivation": how, "derived_from": ["a", "b"], "unit": "%"},
    ]
    rows = derived_values(indicators, [value("a", *a, "official"), value("b", *b, "secondary")])
    if expected is None:
        assert rows == []
        return
    (row,) = rows
    assert (str(row["value"].value), row["value"].decimals, row["reference_date"]) == expected
    assert row["source_type"] == "secondary" and row["derived"]


def test_secondary_sources_say_so_in_the_picker_legend_table_and_sources(con):
    inds = ward_queries.indicators(con).set_index("indicator_id", drop=False)
    assert (
        texts.indicator_option(inds.loc["population_census_2010"], "ja")
        == "人口（平成22年国勢調査）（7区・二次資料）"
    )
    assert texts.indicator_option(inds.loc["population_estimate"], "en").endswith(
        "(6 wards, partly secondary sources)"
    )
    assert (
        texts.indicator_option(inds.loc["population_census_2020"], "ja")
        == "人口（令和2年国勢調査・確定）（7区）"
    )
    wm, _ = _prepared(con, "population_census_2010")
    assert "出典：二次資料" in texts.legend_html(wm, "ja")
    assert set(texts.ward_table(wm, "en")["Source type"]) == {"Secondary source"}
    assert all(title.endswith("（二次資料）") for title, _ in texts.sources(wm, "ja"))
    mixed, _ = _prepared(con, "population_estimate")
    legend = texts.legend_html(mixed, "ja")
    assert "二次資料による値：幸区、中原区、多摩区、宮前区、麻生区" in legend  # 川崎区's is the city's own
    official, _ = _prepared(con, "population_census_2020")
    assert "二次資料" not in texts.legend_html(official, "ja")


def test_page_shows_the_definition_and_the_caution_of_a_census_share(app_env):
    at = open_wards(indicator="aging_share_census_2020")
    warning = " ".join(w.value for w in at.warning)
    assert "20\\.2%" in warning and "不詳補完" in warning  # another basis: never side by side unsaid
    assert any(c.value.startswith("定義：65歳以上人口 ÷ 総人口") for c in at.caption)
    single = open_wards(indicator="single_household_share_census_2020", lang="en")
    assert any("e\\-Stat" in w.value for w in single.warning)  # Markdown-escaped


def test_page_kayoi_no_ba_is_ready_for_per_1000_residents_aged_65(app_env):
    at = open_wards(indicator="kayoi_no_ba")
    ready = next(c.value for c in at.caption if c.value.startswith("値が入ると"))
    assert "65歳以上人口千人あたり" in ready and "2020年10月1日" in ready and "時点が異なります" in ready
    code = preformatted_texts(at)[0].splitlines()
    assert code[0].endswith(",source_type,attribution") and code[7].startswith("14137,kayoi_no_ba,")
