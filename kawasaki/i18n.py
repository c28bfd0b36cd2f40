"""UI text in Japanese (default) and English, from kawasaki/locales/<lang>/*.yaml.

Each language folder holds one YAML file per part of the app (core.yaml, wards.yaml …);
they are merged, and a key defined in two files is an error.

Keys are dotted paths (``nav.home``). A key missing in English falls back to the
Japanese text; a key missing everywhere is returned as the key itself, so a typo is
visible on screen and caught by the tests rather than raising in front of a citizen.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"
LOCALES = Path(__file__).with_name("locales")


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = str(value)
    return flat


@cache
def messages(lang: str) -> dict[str, str]:
    """All UI strings of one language, flattened to dotted keys."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            flat = _flatten(yaml.safe_load(fh) or {})
        clash = merged.keys() & flat.keys()
        if clash:
            raise ValueError(f"{path}: keys defined twice: {sorted(clash)}")
        merged.update(flat)
    return merged


def t(key: str, lang: str = DEFAULT_LANG, /, **values: Any) -> str:
    """The UI string ``key`` in ``lang`` with ``{name}`` placeholders filled in.

    >>> t("lang.name", "en")
    'English'
    >>> t("no.such.key", "en")
    'no.such.key'
    """
    text = messages(lang if lang in LANGS else DEFAULT_LANG).get(key)
    if text is None:
        text = messages(DEFAULT_LANG).get(key, key)
    return text.format(**values) if values else text


def pick(row: Any, field: str, lang: str) -> str:
    """The ``field_ja`` / ``field_en`` value of a data row, English falling back to Japanese.

    >>> pick({"name_ja": "幸区", "name_en": ""}, "name", "en")
    '幸区'
    """
    value = row.get(f"{field}_{lang}") if lang != DEFAULT_LANG else None
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        value = row.get(f"{field}_{DEFAULT_LANG}")
    return "" if value is None else str(value)
