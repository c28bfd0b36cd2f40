"""The ward map drawn as SVG on the server (kawasaki/wards/svgmap.py): the same classes,
colours and texts as the deck, every string escaped, "no data" never a class, and text
that a phone can read."""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET

import duckdb
import pytest

from kawasaki.present import contrast_ratio
from kawasaki.wards import choropleth, model, polygons, svgmap, texts
from kawasaki.wards import queries as ward_queries

SVG = "{http://www.w3.org/2000/svg}"
PAYLOAD = '<b id="pwn">b</b><script>alert("pwn")</script>[pwn](https://evil.example/) & "q"'


def svg_root(markup: str) -> ET.Element:
    """The <svg> element of a map's markup, parsed as XML (so it must be well formed)."""
    start, end = markup.index("<svg"), markup.index("</svg>") + len("</svg>")
    return ET.fromstring(markup[start:end])


def svg_wards(markup: str) -> dict[str, dict]:
    """Each ward's area as drawn: fill, classes, tooltip (<title>), label text, hatched or not."""
    root = svg_root(markup)
    wards: dict[str, dict] = {}
    for path in root.iter(f"{SVG}path"):
        code = path.get("data-ward")
        if "wm-a" in path.get("class", "").split():
            title = path.find(f"{SVG}title")
            wards[code] = {
                "fill": path.get("fill"),
                "classes": path.get("class").split(),
                "title": "" if title is None else title.text,
                "hatched": False,
            }
        elif "wm-h" in path.get("class", "").split():
            wards[code]["hatched"] = True
    for label in root.iter(f"{SVG}text"):
        wards[label.get("data-ward")]["label"] = label.text
    return wards


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def _map(con, indicator_id: str, lang: str = "ja", selected: str | None = None) -> tuple[model.WardMap, str]:
    wm = model.ward_map(con, indicator_id, None)
    return wm, svgmap.ward_svg(wm, ward_queries.geometries(con), lang, texts.summary(wm, lang), selected)


def test_the_svg_draws_the_decks_classes_colours_and_tooltips(con):
    wm, markup = _map(con, "population_census_2020", selected="14133")
    wards = svg_wards(markup)
    deck = choropleth.feature_collection(wm, ward_queries.geometries(con), "ja", "14133")["features"]
    assert len(wards) == 7
    for feature in deck:
        p = feature["properties"]
        ward = wards[p["ward_code"]]
        assert model.hex_to_rgb(ward["fill"]) == p["fill"]  # the same class colour
        for field in ("name_ja", "name_en", "value", "date"):  # what the deck's tooltip says
            assert p[field] in ward["title"]
        assert ("wm-sel" in ward["classes"]) == (p["line"] == 3)  # the chosen ward stands out
    outline = [x for x in svg_root(markup).iter(f"{SVG}path") if x.get("class") in ("wm-so", "wm-si")]
    nakahara = next(x for x in svg_root(markup).iter(f"{SVG}path") if x.get("data-ward") == "14133")
    assert [x.get("d") for x in outline] == [nakahara.get("d")] * 2  # outlined dark on white, on top
    assert wards["14133"]["title"].splitlines() == [
        "中原区 Nakahara-ku",
        "人口（令和2年国勢調査・確定）：263,683人",
        "時点：2020年10月1日",
    ]
    assert wards["14131"]["label"] == "川崎区"
    root = svg_root(markup)
    assert root.get("role") == "img" and root.get("aria-label") == texts.summary(wm, "ja")


def test_english_labels_are_the_short_names(con):
    _, markup = _map(con, "population_census_2020", "en")
    wards = svg_wards(markup)
    assert wards["14131"]["label"] == "Kawasaki" and wards["14136"]["label"] == "Miyamae"
    assert wards["14131"]["title"].splitlines()[1] == "Population (2020 Census, final): 232,965 people"


def test_a_ward_without_a_value_is_no_data_not_the_lowest_class(con):
    wm, markup = _map(con, "population_census_2015")
    wards = svg_wards(markup)
    for code in ("14135", "14136", "14137"):  # 多摩区, 宮前区 and 麻生区 have no 2015 figure
        ward = wards[code]
        assert ward["fill"] == model.NO_DATA != wm.colours[0]
        assert ward["hatched"]  # the deck's hatching, drawn here too
        assert "データなし" in ward["title"] and not re.search(r"：0\b|0人", ward["title"])
    assert wards["14132"]["fill"] == wm.colours[0] and not wards["14132"]["hatched"]  # 幸区: the smallest


def test_hostile_ward_and_indicator_texts_stay_text(con):
    wm = model.ward_map(con, "population_census_2015", None)
    rows = [{**r, "name_ja": r["name_ja"] + PAYLOAD, "name_en": PAYLOAD} for r in wm.rows]
    indicator = {**wm.indicator, "name_ja": PAYLOAD, "name_en": PAYLOAD}
    hostile = dataclasses.replace(wm, rows=rows, indicator=indicator, unit_ja=PAYLOAD)
    for lang in ("ja", "en"):
        markup = svgmap.ward_svg(hostile, ward_queries.geometries(con), lang, PAYLOAD + '"><x', "14131")
        assert "<b" not in markup and "<script" not in markup and "[pwn](" not in markup
        root = svg_root(markup)  # well formed: nothing broke out of an attribute or element
        assert not list(root.iter(f"{SVG}b")) and not list(root.iter("b"))
        assert root.get("aria-label") == PAYLOAD + '"><x'
        wards = svg_wards(markup)
        assert PAYLOAD in wards["14131"]["title"] and PAYLOAD in wards["14131"]["label"]


def test_the_map_is_the_city_north_up_and_scales_to_the_column(con):
    geoms = ward_queries.geometries(con)
    project, height = svgmap.projection(polygons.bounds(geoms))
    west, south, east, north = polygons.bounds(geoms)
    assert project(west, north) == (svgmap.PAD, svgmap.PAD)
    assert project(east, south) == (svgmap.WIDTH - svgmap.PAD, round(height - svgmap.PAD, 1))
    assert 1.5 < svgmap.WIDTH / height < 2.0  # Kawasaki runs north-west to south-east
    _, markup = _map(con, "population_census_2020")
    assert f'viewBox="0 0 360 {height:.0f}"' in markup and "width:100%" in svgmap.CSS
    assert len(markup.encode()) <= 40_000  # the polygons at 0.1 unit, no simplification


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_two_names_overlap_and_each_stays_in_its_ward(con, lang):
    """The label points of 宮前区 and 高津区 are less than a name's height apart: the names
    move apart (the box estimated here; test_accessibility measures the drawn ones), each
    stays inside its ward, and none moves by a name's height or more."""
    geoms = ward_queries.geometries(con)
    project, _ = svgmap.projection(polygons.bounds(geoms))
    _, markup = _map(con, "population_census_2020", lang)
    names = {t.get("data-ward"): t for t in svg_root(markup).iter(f"{SVG}text")}
    boxes = {
        code: svgmap.label_box(t.text, float(t.get("x")), float(t.get("y"))) for code, t in names.items()
    }
    for a, b in itertools.combinations(sorted(boxes), 2):
        (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes[a], boxes[b]
        assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, f"{a} and {b} overlap: {boxes[a]} {boxes[b]}"
    for code, t in names.items():
        shapes = [
            [[project(*p) for p in ring] for ring in polygon] for polygon in polygons.rings(geoms[code])
        ]
        assert any(polygons.inside(float(t.get("x")), float(t.get("y")), shape) for shape in shapes), code
    centred = {code: project(*polygons.label_point(geoms[code])) for code in names}
    height = svgmap.label_box("区", 0, 0)[3] * 2
    for code, t in names.items():  # moved up or down, by less than a name's height
        x, y = centred[code]
        assert float(t.get("x")) == x and abs(float(t.get("y")) - y) < height, code
    assert any(float(t.get("y")) != centred[code][1] for code, t in names.items()), "no name had to move"


def test_labels_are_readable_on_every_class_colour():
    """The names are dark text on a white halo drawn under them (paint-order: stroke)."""
    assert contrast_ratio(svgmap.LABEL, svgmap.HALO) >= 4.5
    assert "paint-order:stroke" in svgmap.CSS and "stroke:" + svgmap.HALO in svgmap.CSS
    # without the halo the darkest classes would fail: the halo is what carries the contrast
    assert min(contrast_ratio(svgmap.LABEL, c) for c in model.PALETTE) < 4.5
