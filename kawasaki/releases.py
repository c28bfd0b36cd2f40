"""Releases: every published build that changed something, with its change list.

A release is one small JSON file in ``data/releases/`` (UTF-8, keys sorted), written by
the build (kawasaki.publish) and kept under version control, so the history survives a
fresh clone and a rebuild from scratch. The build also copies every release into the
tables ``releases`` and ``release_changes`` for the app (the What changed page, a KPI's
history, the briefing's "changes since"). Each release has what a feed needs: an id, a
time, a title and a summary in both languages, and its changes in both languages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from kawasaki.changes import Change, count_by_part
from kawasaki.i18n import LANGS, pick, t
from kawasaki.problems import Problem

RELEASES_DIR = "releases"  # under the data folder
KINDS = ("initial", "build", "rollback", "preview")
ACTIONS = ("added", "changed", "removed")
TOKYO = ZoneInfo("Asia/Tokyo")
_STAMP = re.compile(r"^[0-9a-f]{12}$")
_TEXT_FIELDS = ("title_ja", "title_en", "summary_ja", "summary_en")
_OPTIONAL_FIELDS = ("data_as_of", "previous_stamp", "restored_release", "note_ja", "note_en")


class ReleaseError(Exception):
    """A rollback or a 'since' that cannot be done; ``key`` is its locale text."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Release:
    """One release: what was published when, and what it changed."""

    release_id: str  # '20261128T013000Z-ab12cd34ef56': its file's name without .json
    kind: str  # one of KINDS
    released_at: str  # ISO 8601 in UTC, to the microsecond
    stamp: str  # the build_stamp of the database it published (a rollback: restored)
    data_digest: str  # the data files' checksums (without the schema version)
    schema_version: int
    title_ja: str
    title_en: str
    summary_ja: str
    summary_en: str
    changes: tuple[Change, ...] = ()
    data_as_of: str | None = None
    previous_stamp: str | None = None  # the build_stamp served before it
    restored_release: str | None = None  # a rollback: the release it went back to
    note_ja: str | None = None
    note_en: str | None = None

    @property
    def time(self) -> dt.datetime:
        """When it was published (UTC)."""
        return dt.datetime.fromisoformat(self.released_at)

    def to_json(self) -> dict[str, Any]:
        """The release file's content (fields that are None left out)."""
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "changes"}
        data["changes"] = [c.to_json() for c in self.changes]
        return {k: v for k, v in data.items() if v is not None}

    def text(self, what: str, lang: str) -> str:
        """Its title, summary or note in ``lang``."""
        return getattr(self, f"{what}_{lang if lang in LANGS else 'ja'}") or ""


def local_time(moment: dt.datetime) -> str:
    """A moment as Kawasaki's clock shows it: '2026-11-28 10:30'.

    >>> local_time(dt.datetime(2026, 11, 28, 1, 30, tzinfo=dt.UTC))
    '2026-11-28 10:30'
    """
    return moment.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


# --- making a release -----------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """What a new release is about: the build it publishes and the changes it makes."""

    stamp: str
    data_digest: str
    schema_version: int
    data_as_of: str | None
    previous_stamp: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)


def new_release(
    kind: str,
    build: Published,
    changes: Iterable[Change],
    now: dt.datetime,
    *,
    restored: Release | None = None,
    note: str | None = None,
) -> Release:
    """A release of ``kind`` published at ``now``, its title and summary in both languages.

    ``note`` is a locale key (e.g. 'changes.note_no_previous').
    """
    changes = tuple(changes)
    moment = now.astimezone(dt.UTC)
    suffix = "" if kind == "build" else f"-{kind}"
    date = moment.astimezone(TOKYO).date().isoformat()
    words: dict[str, str] = {}
    for lang in LANGS:
        title_values = {"date": date, "stamp": build.stamp}
        if restored is not None:
            title_values["date"] = restored.time.astimezone(TOKYO).date().isoformat()
        words[f"title_{lang}"] = t(f"changes.title_{kind}", lang, **title_values)
        words[f"summary_{lang}"] = _summary(kind, changes, build.counts, lang)
        if note:
            words[f"note_{lang}"] = t(note, lang)
    return Release(
        release_id=f"{moment:%Y%m%dT%H%M%SZ}-{build.stamp}{suffix}",
        kind=kind,
        released_at=moment.isoformat(),
        stamp=build.stamp,
        data_digest=build.data_digest,
        schema_version=build.schema_version,
        changes=changes,
        data_as_of=build.data_as_of,
        previous_stamp=build.previous_stamp,
        restored_release=restored.release_id if restored else None,
        **words,
    )


def _summary(kind: str, changes: tuple[Change, ...], counts: Mapping[str, int], lang: str) -> str:
    """One line: how many changes of which sort; an initial release's size."""
    if kind == "initial":
        return t(
            "changes.summary_initial", lang, **{k: counts.get(k, 0) for k in ("kpis", "values", "wards")}
        )
    if not changes:
        return t("changes.summary_none", lang)
    parts = [t(f"changes.part.{part}", lang, n=n) for part, n in count_by_part(changes).items() if n]
    return t("changes.summary", lang, n=len(changes), parts=t("word.list_separator", lang).join(parts))


# --- the files ------------------------------------------------------------------------


def release_dir(data_dir: Path) -> Path:
    """The folder of release files: data/releases/."""
    return Path(data_dir) / RELEASES_DIR


def write_release(data_dir: Path, release: Release) -> tuple[Release, Path]:
    """Write ``release`` as a new file (never over another); return it as written and its path.

    Two releases in the same second with the same stamp get '-2', '-3' … after the id.
    The file is written to a temporary name and renamed, so no reader sees half of it.
    """
    folder = release_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    base, n = release.release_id, 1
    while (folder / f"{release.release_id}.json").exists():
        n += 1
        release = replace(release, release_id=f"{base}-{n}")
    path = folder / f"{release.release_id}.json"
    text = json.dumps(release.to_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # a file for version control, like the data files
        os.link(tmp, path)  # fails if the name was taken meanwhile: nothing is overwritten
    finally:
        os.unlink(tmp)
    return release, path


def load_releases(data_dir: Path, problems: list[Problem]) -> list[Release]:
    """Every release file of ``data_dir``, oldest first; a file that is not one is a problem."""
    folder = release_dir(data_dir)
    if not folder.is_dir():
        return []
    releases = []
    for path in sorted(folder.glob("*.json")):
        rel = f"{RELEASES_DIR}/{path.name}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            problems.append(Problem(rel, 0, "", f"is not a readable release file: {exc}"[:300]))
            continue
        before = len(problems)
        release = _release_of(data, path.stem, rel, problems)
        if release is not None and len(problems) == before:
            releases.append(release)
    return sorted(releases, key=lambda r: (r.time, r.release_id))


def _release_of(data: Any, stem: str, rel: str, problems: list[Problem]) -> Release | None:
    """A release from a file's JSON, or None with the problems found."""
    if not isinstance(data, dict):
        problems.append(Problem(rel, 0, "", "must be a JSON object"))
        return None
    before = len(problems)
    wanted = {"release_id": str, "kind": str, "released_at": str, "stamp": str, "data_digest": str}
    wanted |= {"schema_version": int, "changes": list, **dict.fromkeys(_TEXT_FIELDS, str)}
    for key, kind in wanted.items():
        if not isinstance(data.get(key), kind):
            problems.append(Problem(rel, 0, key, f"is missing or not {kind.__name__}"))
    for key in _OPTIONAL_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(Problem(rel, 0, key, "must be text"))
    if len(problems) > before:
        return None
    if data["release_id"] != stem:
        problems.append(Problem(rel, 0, "release_id", f"'{data['release_id']}' differs from the file's name"))
    if data["kind"] not in KINDS or not _STAMP.match(data["stamp"]):
        problems.append(
            Problem(rel, 0, "kind", f"kind must be one of {', '.join(KINDS)}, stamp 12 hex digits")
        )
    try:
        if dt.datetime.fromisoformat(data["released_at"]).tzinfo is None:
            raise ValueError("no time zone")
    except ValueError as exc:
        problems.append(Problem(rel, 0, "released_at", f"is not an ISO 8601 time with a zone ({exc})"))
    changes = []
    for n, c in enumerate(data["changes"], start=1):
        ok = isinstance(c, dict) and all(isinstance(c.get(k), str) for k in ("kind", "text_ja", "text_en"))
        if not ok or c.get("action") not in ACTIONS:
            problems.append(Problem(rel, 0, f"changes[{n}]", "needs kind, action, text_ja and text_en"))
            continue
        changes.append(Change.from_json(c))
    fields = {k: data.get(k) for k in Release.__dataclass_fields__ if k != "changes"}
    return Release(**fields, changes=tuple(changes))


def releases_since(history: list[Release], since: str | None) -> list[Release]:
    """The releases after ``since``: on or after a date (YYYY-MM-DD, Kawasaki's calendar),
    or after the (last) release of a stamp or id; without it, the latest release only."""
    if since is None:
        return history[-1:]
    if re.match(r"^\d{4}-\d{2}-\d{2}$", since):
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise ReleaseError("changes.since_unknown", since=since) from None
        return [r for r in history if r.time.astimezone(TOKYO).date() >= day]
    found = [n for n, r in enumerate(history) if since in (r.stamp, r.release_id)]
    if not found:
        raise ReleaseError("changes.since_unknown", since=since)
    return history[found[-1] + 1 :]


# --- the database's copy --------------------------------------------------------------


def release_rows(releases: Iterable[Release]) -> list[dict[str, Any]]:
    """The rows of the table ``releases``."""
    return [
        {
            "release_id": r.release_id,
            "kind": r.kind,
            "released_at": r.time,
            "stamp": r.stamp,
            "previous_stamp": r.previous_stamp,
            "data_as_of": dt.date.fromisoformat(r.data_as_of) if r.data_as_of else None,
            **{k: getattr(r, k) for k in (*_TEXT_FIELDS, "note_ja", "note_en")},
            "change_count": len(r.changes),
        }
        for r in releases
    ]


def release_change_rows(releases: Iterable[Release]) -> list[dict[str, Any]]:
    """The rows of the table ``release_changes``: every change of every release, in order."""
    columns = ("kind", "action", "kpi_id", "ward_code", "indicator_id", "period", "status_old", "status_new")
    return [
        {
            "release_id": r.release_id,
            "ord": n,
            **{c: getattr(change, c) for c in columns},
            "text_ja": change.text_ja,
            "text_en": change.text_en,
        }
        for r in releases
        for n, change in enumerate(r.changes, start=1)
    ]


def releases_table(ds: Any) -> list[dict[str, Any]]:
    """The build's rows of ``releases``: those of the Dataset's release files."""
    return release_rows(ds.releases)


def release_changes_table(ds: Any) -> list[dict[str, Any]]:
    """The build's rows of ``release_changes``."""
    return release_change_rows(ds.releases)


# --- queries (a connection or cursor of the built database) ---------------------------


def release_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every release, newest first."""
    return con.execute("SELECT * FROM releases ORDER BY released_at DESC, release_id DESC").df()


def release_changes(
    con: duckdb.DuckDBPyConnection,
    kpi_id: str | None = None,
    since: str | None = None,
    kpi_ids: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The changes of every release, newest release first, in each its own order; only one
    KPI's (``kpi_id``), only those of some KPIs (``kpi_ids``), or only those released on or
    after the date ``since`` (YYYY-MM-DD, Kawasaki's calendar)."""
    sql = (
        "SELECT c.*, r.released_at, r.kind AS release_kind FROM release_changes c "
        "JOIN releases r USING (release_id) WHERE TRUE"
    )
    params: list[Any] = []
    if kpi_id is not None:
        sql += " AND c.kpi_id = ?"
        params.append(kpi_id)
    if kpi_ids is not None:
        sql += " AND list_contains(?, c.kpi_id)"
        params.append(list(kpi_ids))
    if since is not None:
        sql += " AND CAST(timezone('Asia/Tokyo', r.released_at) AS DATE) >= CAST(? AS DATE)"
        params.append(since)
    sql += " ORDER BY r.released_at DESC, c.release_id DESC, c.ord"
    return con.execute(sql, params).df()


def history(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every release, newest first, each with its changes in order (``changes``) and its
    data-as-of date as text ('—' when none)."""
    releases = release_list(con).to_dict("records")
    by_release: dict[str, list[dict[str, Any]]] = {}
    for change in release_changes(con).to_dict("records"):
        by_release.setdefault(change["release_id"], []).append(change)
    return [
        {
            **r,
            "data_as_of": r["data_as_of"].strftime("%Y-%m-%d") if pd.notna(r["data_as_of"]) else "—",
            "changes": by_release.get(r["release_id"], []),
        }
        for r in releases
    ]


def kpi_change_lines(con: duckdb.DuckDBPyConnection, kpi_id: str, lang: str) -> tuple[str, ...]:
    """One KPI's changes in the release history, newest first: '2026-11-28 …' each, a change
    of a preview (not yet published) saying so."""
    pending = f" （{t('changes.kind.preview', lang)}）"
    return tuple(
        f"{local_time(r['released_at'])[:10]} {pick(r, 'text', lang)}"
        + (pending if r["release_kind"] == "preview" else "")
        for r in release_changes(con, kpi_id=kpi_id).to_dict("records")
    )


def changes_since(
    con: duckdb.DuckDBPyConnection, since: str, kpi_ids: tuple[str, ...], lang: str
) -> tuple[str, ...]:
    """The changes of these KPIs released on or after ``since``, one line each with its date."""
    rows = release_changes(con, since=since, kpi_ids=kpi_ids).to_dict("records")
    return tuple(f"{local_time(r['released_at'])[:10]} {r[f'text_{lang}'] or r['text_ja']}" for r in rows)
