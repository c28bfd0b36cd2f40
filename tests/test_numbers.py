"""Numbers as the plan prints them: parsing and printing back."""

from decimal import Decimal

import pytest

from kawasaki.numbers import NumberFormatError, format_period, format_value, parse_number


@pytest.mark.parametrize(
    "text,value,decimals",
    [
        ("0", "0", 0),
        ("19.8", "19.8", 1),
        ("50.0", "50.0", 1),
        ("1,039", "1039", 0),
        ("12,935", "12935", 0),
        ("▲35.0", "-35.0", 1),
        ("△13.1", "-13.1", 1),
        ("-13.1", "-13.1", 1),
        ("−13.1", "-13.1", 1),
        ("－13.1", "-13.1", 1),
        ("１，０３９", "1039", 0),
        ("８６．２", "86.2", 1),
        (" 185.1 ", "185.1", 1),
        ("▲ 45.4", "-45.4", 1),
    ],
)
def test_parse_number(text, value, decimals):
    number = parse_number(text)
    assert number.value == Decimal(value)
    assert number.decimals == decimals


@pytest.mark.parametrize(
    "text,words",
    [
        ("143万", "unit column"),
        ("35.6%", "unit column"),
        ("1,0,39", "thousands separator"),
        ("10,39", "thousands separator"),
        ("abc", "unit column"),
        ("", "empty"),
        ("1.2.3", "not a number"),
        ("▲", "not a number"),
    ],
)
def test_parse_number_rejects(text, words):
    with pytest.raises(NumberFormatError, match=words):
        parse_number(text)


@pytest.mark.parametrize(
    "value,decimals,unit_ja,unit_en,lang,scale,expected",
    [
        (-35.0, 1, "%", "%", "ja", 1, "▲35.0%"),
        (-45.4, 1, "%", "%", "en", 1, "−45.4%"),
        (1039, 0, "か所", "places", "ja", 1, "1,039か所"),
        (1039, 0, "か所", "places", "en", 1, "1,039 places"),
        (143, 0, "万本", "trees", "ja", 1, "143万本"),
        (143, 0, "万本", "trees", "en", 10000, "1,430,000 trees"),
        (185.1, 1, "万人/日", "people/day", "en", 10000, "1,851,000 people/day"),
        (12935, 0, "万円", "yen", "ja", 1, "12,935万円"),
        (40, 0, "%", "%", "ja", 1, "40%"),
        (50.0, 1, "%", "%", "ja", 1, "50.0%"),
        (0, 0, "%", "%", "ja", 1, "0%"),
        (None, 0, "%", "%", "ja", 1, "データなし"),
        (None, 0, "%", "%", "en", 1, "no data"),
    ],
)
def test_format_value(value, decimals, unit_ja, unit_en, lang, scale, expected):
    assert format_value(value, decimals, unit_ja, unit_en, lang=lang, en_scale=scale) == expected


@pytest.mark.parametrize(
    "period,kind,lang,expected",
    [
        (2024, "fiscal", "ja", "2024年度"),
        (2024, "calendar", "ja", "2024年"),
        (2027, "fiscal", "en", "FY2027"),
    ],
)
def test_format_period(period, kind, lang, expected):
    assert format_period(period, kind, lang=lang) == expected
