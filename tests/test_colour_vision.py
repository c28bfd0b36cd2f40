"""Colours that everyone can tell apart and read: status colours, ward map classes, heatmap.

Method (docs/accessibility.md explains it for readers):

* Colour-vision deficiencies are simulated with the matrices of Machado, Oliveira &
  Fernandes (2009), "A physiologically-based model for simulation of color vision
  deficiency", IEEE TVCG 15(6), at severity 1.0 (dichromacy: protanopia, deuteranopia,
  tritanopia). The matrices act on linear RGB; the result is clipped to [0, 1].
* Differences are CIEDE2000 (ΔE00) in CIELAB (D65), checked here against the reference
  pairs of Sharma, Wu & Dalal (2005).
* Contrast is the WCAG 2.1 contrast ratio (kawasaki.present.contrast_ratio).

Thresholds: about 2.3 ΔE00 is a just-noticeable difference for large patches; small marks
(a thin bar, a map class next to another) need far more, so status colours must differ by
>= 12 and map classes by >= 10 in every vision, and the map's "no data" grey (which is also
hatched and labelled) by >= 8 from every class.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest

from kawasaki.figures.heatmap import HEATMAP_COLORSCALE
from kawasaki.figures.layout import TEXT
from kawasaki.figures.progress import TRACK
from kawasaki.i18n import LANGS, t
from kawasaki.present import STATUS_STYLE, STATUS_SYMBOL, contrast_ratio, text_colour_on
from kawasaki.wards import model

ROOT = Path(__file__).resolve().parent.parent

# Machado et al. (2009), severity 1.0, on linear RGB.
MACHADO = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
VISIONS = ("normal", *MACHADO)

STATUS_MIN_DE = 12.0
CLASS_MIN_DE = 10.0
NO_DATA_MIN_DE = 8.0


# --- colour science -----------------------------------------------------------------------


def linear_rgb(hex_colour: str) -> np.ndarray:
    """#RRGGBB → linear RGB in [0, 1] (the sRGB transfer function undone)."""
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def simulate(hex_colour: str, vision: str) -> np.ndarray:
    """The linear RGB a person with ``vision`` perceives (Machado 2009, severity 1)."""
    rgb = linear_rgb(hex_colour)
    return rgb if vision == "normal" else np.clip(MACHADO[vision] @ rgb, 0, 1)


def lab(linear: np.ndarray) -> np.ndarray:
    """Linear sRGB → CIELAB (D65 white)."""
    m = np.array(
        [
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ]
    )
    xyz = (m @ linear) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), as in Sharma, Wu & Dalal (2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    else:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, c_bar_p = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    tt = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(c_bar_p**7 / (c_bar_p**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * tt
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return float(
        np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (dc / s_c) * (d_h / s_h))
    )


def delta_e(a: str, b: str, vision: str) -> float:
    """ΔE00 between two colours as seen with ``vision``."""
    return ciede2000(lab(simulate(a, vision)), lab(simulate(b, vision)))


def pair_table(colours: dict[str, str]) -> dict[str, list[tuple[float, str, str]]]:
    """Every pair's ΔE00 in every vision, smallest first (for the failure messages)."""
    return {
        v: sorted(
            (round(delta_e(colours[x], colours[y], v), 1), x, y)
            for x, y in itertools.combinations(colours, 2)
        )
        for v in VISIONS
    }


# --- the method itself ----------------------------------------------------------------------

# Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 17-20, 26-31 and 4.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_matches_the_published_reference_pairs(lab1, lab2, expected):
    assert ciede2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(np.array(lab2), np.array(lab1)) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_greys_and_merges_red_and_green():
    """Sanity of the matrices: each row sums to 1 (greys stay grey); a red and a green of
    similar lightness, far apart for normal vision, merge under deuteranopia and come
    much closer under protanopia, and stay apart under tritanopia."""
    for matrix in MACHADO.values():
        assert matrix.sum(axis=1) == pytest.approx([1, 1, 1], abs=1e-3)
    assert delta_e("#808080", "#808080", "deuteranopia") == 0
    red, green = "#C84B4B", "#6E8C3C"  # similar lightness, opposite on the red-green axis
    normal = delta_e(red, green, "normal")
    assert normal > 50
    assert delta_e(red, green, "deuteranopia") < 5
    assert delta_e(red, green, "protanopia") < normal / 2
    assert delta_e(red, green, "tritanopia") > 40


# --- status colours -----------------------------------------------------------------------


def status_colours() -> dict[str, str]:
    return {status: style[0] for status, style in STATUS_STYLE.items()}


@pytest.mark.parametrize("vision", VISIONS)
def test_status_colours_stay_distinguishable(vision):
    table = pair_table(status_colours())[vision]
    worst = table[0]
    assert worst[0] >= STATUS_MIN_DE, (
        f"{vision}: status colours {worst[1]} and {worst[2]} differ by ΔE00 {worst[0]} "
        f"(< {STATUS_MIN_DE}); closest pairs: {table[:3]}"
    )


@pytest.mark.parametrize("background", ["#FFFFFF", TRACK], ids=["white", "track"])
def test_status_colours_stand_out_from_their_background(background):
    """WCAG 1.4.11: a status bar has >= 3:1 contrast with the page and with its track."""
    low = {s: round(contrast_ratio(c, background), 2) for s, c in status_colours().items()}
    assert all(v >= 3 for v in low.values()), f"contrast with {background}: {low}"


@pytest.mark.parametrize("lang", LANGS)
def test_status_is_never_colour_alone(lang):
    """Every status has an icon, a symbol and a word in both languages."""
    for status, (_, icon, badge) in STATUS_STYLE.items():
        assert icon and badge and STATUS_SYMBOL[status]
        word = t(f"status.{status}", lang)
        assert word and word != f"status.{status}", f"no {lang} word for {status}"
    assert len(set(STATUS_SYMBOL.values())) == len(STATUS_SYMBOL)
    assert len({icon for _, icon, _ in STATUS_STYLE.values()}) == len(STATUS_STYLE)


# --- ward map classes ------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(2, model.MAX_CLASSES + 1))
@pytest.mark.parametrize("vision", VISIONS)
def test_ward_map_classes_stay_distinguishable_and_ordered(vision, k):
    """Every pair of classes differs, and light still means small: CIELAB lightness rises
    from the largest class to the smallest in every vision (a sequential scale)."""
    colours = {f"class {i + 1}": c for i, c in enumerate(model.class_colours(k))}
    table = pair_table(colours)[vision]
    assert table[0][0] >= CLASS_MIN_DE, f"{vision}, {k} classes: {table[:3]}"
    lightness = [lab(simulate(c, vision))[0] for c in colours.values()]
    assert all(a > b + 5 for a, b in itertools.pairwise(lightness)), (
        f"{vision}, {k} classes: lightness not falling from light to dark: {[round(x) for x in lightness]}"
    )


@pytest.mark.parametrize("vision", VISIONS)
def test_ward_map_no_data_differs_from_every_class(vision):
    """'No data' grey is hatched and labelled too; its colour alone still differs."""
    gaps = sorted((round(delta_e(model.NO_DATA, c, vision), 1), c) for c in model.PALETTE)
    assert gaps[0][0] >= NO_DATA_MIN_DE, f"{vision}: no-data grey vs classes {gaps[:3]}"


# --- text contrast (WCAG 1.4.3, 4.5:1) --------------------------------------------------------


def test_heatmap_numbers_are_readable_in_every_cell():
    """The cell numbers are TEXT on a colour of the scale; check the scale end to end
    (Plotly interpolates between the stops in sRGB)."""
    srgb = [np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)]) for _, c in HEATMAP_COLORSCALE]
    assert len(srgb) >= 2
    worst = (99.0, "")
    for c0, c1 in itertools.pairwise(srgb):
        for f in np.linspace(0, 1, 21):
            colour = "#" + "".join(f"{v:02X}" for v in np.round(c0 + (c1 - c0) * f).astype(int))
            worst = min(worst, (contrast_ratio(TEXT, colour), colour))
    assert worst[0] >= 4.5, f"cell number on {worst[1]}: {worst[0]:.2f}:1"


def test_heatmap_scale_keeps_its_order_in_every_vision():
    ends = [c for _, c in HEATMAP_COLORSCALE[1:]]
    for vision in VISIONS:
        light, dark = (lab(simulate(c, vision))[0] for c in ends)
        assert light - dark > 30, f"{vision}: the heatmap's light and dark ends are too close"


def goal_colours() -> dict[int, str]:
    with open(ROOT / "data" / "sdg" / "goals.csv", encoding="utf-8") as fh:
        return {int(r["goal"]): r["color_hex"] for r in csv.DictReader(fh)}


def test_sdg_tiles_text_is_readable_on_every_goal_colour():
    """The tiles and goal banners write on the official goal colours (text_colour_on)."""
    low = {
        goal: round(contrast_ratio(text_colour_on(colour), colour), 2)
        for goal, colour in goal_colours().items()
        if contrast_ratio(text_colour_on(colour), colour) < 4.5
    }
    assert len(goal_colours()) == 17
    assert not low, f"goal tiles below 4.5:1: {low}"


def test_our_text_colours_meet_4_5_to_1():
    """Text colours set in our HTML and charts, on the backgrounds they sit on."""
    from kawasaki.web import frame

    caption = frame.CAPTION_COLOUR
    assert f"color:{caption}" in frame._A11Y_CSS
    pairs = {
        "chart text on white": (TEXT, "#FFFFFF"),
        "progress bar words on the track": (TEXT, TRACK),
        "caption on white": (caption, "#FFFFFF"),
        "caption on Streamlit's grey panels": (caption, "#F8F8F7"),
        "legend counts (#555)": ("#555555", "#FFFFFF"),
        "legend notes (#333)": ("#333333", "#FFFFFF"),
        "map tooltip": ("#FFFFFF", "#1A1A1A"),
        "focus outline on white (3:1 is enough)": (frame.FOCUS_COLOUR, "#FFFFFF"),
    }
    low = {
        name: round(contrast_ratio(a, b), 2) for name, (a, b) in pairs.items() if contrast_ratio(a, b) < 4.5
    }
    assert not low, low
