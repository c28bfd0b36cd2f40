"""The ward map as a pydeck deck: the 7 ward polygons filled by class, the hatching of
the wards without data and the ward names, on a plain background (``map_provider=None``,
so no basemap is fetched), with a tooltip and a view fitted to the city; serialised
compactly (``CompactDeck``) so that the polygons stay small on the wire.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from kawasaki.i18n import pick, t
from kawasaki.wards.model import WardMap, hex_to_rgb
from kawasaki.wards.polygons import bounds, fit_view, hatch_lines, label_point
from kawasaki.wards.svgmap import OUTLINE, ward_fields
from kawasaki.wards.texts import map_label

LABEL_FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAGothic', 'Hiragino Sans', Meiryo, sans-serif"


class CompactDeck(pdk.Deck):
    """A pydeck Deck serialised without indentation and with UTF-8 text.

    pydeck indents its JSON, which puts every coordinate on its own line and makes the
    ward polygons about three times larger on the wire; this keeps them small.
    """

    def to_json(self) -> str:
        """The deck.gl JSON spec, compact."""
        return json.dumps(
            self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False
        )


def feature_collection(
    wm: WardMap, geoms: Mapping[str, Mapping[str, Any]], lang: str, selected: str | None
) -> dict:
    """The 7 wards as GeoJSON features carrying what the tooltip and the fill need."""
    features = []
    for r in wm.rows:
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "ward_code": r["ward_code"],
                    **ward_fields(wm, r, lang),
                    "fill": hex_to_rgb(r["colour"]),
                    "line": 3 if r["ward_code"] == selected else 1,
                },
                "geometry": geoms[r["ward_code"]],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def ward_deck(
    wm: WardMap,
    geoms: Mapping[str, Mapping[str, Any]],
    lang: str,
    selected: str | None = None,
) -> pdk.Deck:
    """A choropleth of the 7 wards on a plain background (no basemap is fetched)."""
    e = html.escape
    fc = feature_collection(wm, geoms, lang, selected)
    labels = []
    for r in wm.rows:
        x, y = label_point(geoms[r["ward_code"]])
        labels.append({"position": [x, y], "text": map_label(r, lang)})
    # pydeck turns plain strings into "@@=" accessors; literal strings need pdk.types.String.
    polygons = pdk.Layer(
        "GeoJsonLayer",
        data=fc,
        id="wards",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=hex_to_rgb(OUTLINE),
        get_line_width="properties.line",
        line_width_units=pdk.types.String("pixels"),
        auto_highlight=True,
        highlight_color=[0, 0, 0, 40],
    )
    no_data = pdk.Layer(
        "GeoJsonLayer",
        data={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "MultiLineString",
                        "coordinates": hatch_lines(geoms[r["ward_code"]]),
                    },
                }
                for r in wm.missing
            ],
        },
        id="no-data-hatch",
        stroked=True,
        get_line_color=[77, 77, 77, 170],
        get_line_width=1,
        line_width_units=pdk.types.String("pixels"),
        pickable=False,
    )
    names = pdk.Layer(
        "TextLayer",
        data=labels,
        id="ward-names",
        get_position="position",
        get_text="text",
        get_size=11,
        get_color=[26, 26, 26],
        character_set=pdk.types.String("auto"),
        font_family=pdk.types.String(LABEL_FONT),
        background=True,
        get_background_color=[255, 255, 255, 215],
        background_padding=[2, 0],
        line_height=1.15,
        pickable=False,
    )
    tooltip = {
        "html": (
            "<b>{name_ja}</b> {name_en}<br/>"
            f"{e(pick(wm.indicator, 'name', lang))}: <b>{{value}}</b><br/>"
            f"{e(t('word.date', lang))}: {{date}}"
        ),
        "style": {
            "backgroundColor": "#1A1A1A",
            "color": "#FFFFFF",
            "fontSize": "13px",
            "maxWidth": "240px",
            "whiteSpace": "normal",
            "lineHeight": "1.4",
        },
    }
    return CompactDeck(
        layers=[polygons, no_data, names],
        initial_view_state=fit_view(bounds(geoms)),
        views=[pdk.View("MapView", controller={"scrollZoom": False, "dragRotate": False})],
        map_provider=None,
        tooltip=tooltip,
    )


def geojson_bytes(deck_json: str) -> int:
    """Bytes of the ward GeoJSON inside a deck's JSON spec (what the browser receives for the map)."""
    spec = json.loads(deck_json)
    layer = next(x for x in spec["layers"] if x.get("@@type") == "GeoJsonLayer")
    return len(json.dumps(layer["data"], separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
