"""What staff see from the data commands when something is wrong: ``build --dry-run`` on
bad data, ``changes`` with no releases, an unknown ``--since`` or a broken release file
(the round trip that works is tests/test_releases.py)."""

from __future__ import annotations

import shutil

from kawasaki.cli import main
from kawasaki.i18n import t
from tests.helpers import set_cell


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``python -m kawasaki ARGS``."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_dry_run_on_bad_data_names_the_cell_and_writes_nothing(data_copy, tmp_path, capsys):
    set_cell(data_copy / "kpis/actuals.csv", 2, "value", "nine")
    db = tmp_path / "kawasaki.duckdb"
    releases = sorted((data_copy / "releases").iterdir())
    code, _, err = run(capsys, "build", "--dry-run", "--data", str(data_copy), "--db", str(db))
    assert code == 1
    assert any(
        line.startswith("kpis/actuals.csv:2: value:") and "nine" in line for line in err.splitlines()
    ), err
    assert "nothing was written" in err
    assert not db.exists() and sorted((data_copy / "releases").iterdir()) == releases


def test_changes_says_why_it_lists_nothing(data_copy, capsys):
    d = str(data_copy)
    (latest,) = (data_copy / "releases").glob("*.json")
    code, out, _ = run(capsys, "changes", "--data", d, "--since", latest.stem, "--lang", "en")
    assert code == 0 and out.strip() == t("changes.none_since", "en", since=latest.stem)
    code, _, err = run(capsys, "changes", "--data", d, "--since", "2026-02-30", "--lang", "en")
    assert code == 2 and err.strip() == t("changes.since_unknown", "en", since="2026-02-30")
    code, _, err = run(capsys, "changes", "--data", d, "--since", "no-such-build")
    assert code == 2 and err.strip() == t("changes.since_unknown", "ja", since="no-such-build")
    shutil.rmtree(data_copy / "releases")
    code, out, _ = run(capsys, "changes", "--data", d, "--lang", "en")
    assert code == 0 and out.strip() == t("changes.no_releases", "en")


def test_a_broken_release_file_is_named_and_nothing_is_listed(data_copy, capsys):
    (latest,) = (data_copy / "releases").glob("*.json")
    latest.write_text('{"kind": "initial", ', encoding="utf-8")
    code, out, err = run(capsys, "changes", "--data", str(data_copy), "--since", "2000-01-01")
    assert code == 1 and out == ""
    assert f"releases/{latest.name}" in err and "is not a readable release file" in err
