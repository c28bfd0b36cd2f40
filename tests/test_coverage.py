"""SDG coverage: the 169 targets, which the plan touches (kawasaki.coverage), and /coverage."""

from __future__ import annotations

import html
import re

import duckdb
import pytest

from kawasaki import coverage, queries
from kawasaki.present import md
from kawasaki.state import page_href
from tests.apptest_helpers import app_database, open_page, page_text, url  # noqa: F401


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def rows(con):
    return coverage.links(con)


def test_the_plan_touches_96_of_the_169_targets(rows):
    targets = coverage.by_target(rows)
    assert len(targets) == 169 and list(targets.sort_key) == sorted(targets.sort_key)
    assert coverage.totals(targets) == {"targets": 169, "touched": 96, "untouched": 73}


def test_a_target_lists_its_kpis_and_their_initiatives(rows):
    by_id = coverage.by_target(rows).set_index("target_id")
    assert by_id.loc["17.17", "kpi_count"] == 21  # printed beside every third-term KPI
    assert by_id.loc["13.2", "kpi_ids"] == ["ghg-reduction"]
    assert by_id.loc["13.2", "initiative_ids"] == ["3-1"]
    # 14.1: two pillar KPIs outside every initiative (plastic sorting, waste) add no initiative
    assert by_id.loc["14.1", "kpi_ids"] == ["plastic-sorting", "waste-per-capita"]
    assert by_id.loc["14.1", "initiative_count"] == 0
    assert by_id.loc["1.1", "kpi_count"] == 0 and by_id.loc["1.1", "initiative_ids"] == []


@pytest.mark.parametrize(
    "filters,touched,check",
    [
        ({"pillar": "environment"}, 35, ("14.1", ["waste-per-capita"])),
        ({"pillar": "economy"}, None, ("14.1", ["plastic-sorting"])),
        ({"area": 3}, 28, ("13.1", ["ghg-reduction", "trees-planted"])),
    ],
)
def test_filters_count_only_the_kpis_of_a_pillar_or_an_area(rows, filters, touched, check):
    targets = coverage.by_target(rows, **filters).set_index("target_id")
    if touched is not None:
        assert (targets.kpi_count > 0).sum() == touched
    target, kpis = check
    assert targets.loc[target, "kpi_ids"] == kpis
    if "area" in filters:  # only that area's initiatives
        assert all(i.startswith("3-") for ids in targets.initiative_ids for i in ids)


def test_per_goal_touched_and_untouched(rows, con):
    goals = coverage.by_goal(coverage.by_target(rows), queries.goals(con)).set_index("goal")
    assert list(goals.targets) == [7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19]
    assert (goals.loc[7, "touched"], goals.loc[7, "untouched_ids"]) == (5, [])
    assert goals.loc[14, "touched"] == 2
    assert goals.loc[13, "untouched_ids"] == ["13.a", "13.b"]
    assert sum(goals.touched) == 96


@pytest.mark.parametrize(
    "n,colour", [(0, "#EEEEEE"), (1, "#DCEAF5"), (2, "#B3D3EA"), (5, "#7FB2DA"), (21, "#4292C6")]
)
def test_shades(n, colour):
    assert coverage.shade(n)[0] == colour


def test_every_cell_number_meets_aa_contrast():
    assert coverage.min_contrast() >= 4.5


def test_the_grid_has_one_link_per_target_and_escapes_its_text(rows, con):
    targets = coverage.by_target(rows)
    goals = coverage.by_goal(targets, queries.goals(con))
    goals.loc[0, "name_ja"] = "<script>x</script>"
    grid = coverage.grid_html(
        targets,
        goals,
        "ja",
        lambda t: page_href("explore", "ja", target=t),
        lambda g: page_href("explore", "ja", goal=g),
    )
    cells = re.findall(r'class="cov-cell[^"]*" href="([^"]+)"[^>]*aria-label="([^"]+)"', grid)
    assert len(cells) == 169
    assert cells[0] == ("./explore?target=1.1", "ターゲット1.1：計画との関連なし（KPI 0件、取組 0件）")
    assert ("./explore?target=17.17", "ターゲット17.17：KPI 21件、取組 18件") in cells
    assert grid.count('class="cov-row"') == 17
    assert "<script>x" not in grid and html.escape("<script>x</script>") in grid


def test_page_shows_counts_grid_untouched_targets_and_downloads():
    at = open_page("coverage")
    assert not at.exception
    text = page_text(at)
    assert "169のターゲットのうち、計画が関連づけているのは96、関連づけていないのは73" in text
    grid = next(h.proto.body for h in at.get("html") if "cov-cell" in h.proto.body)
    assert len(re.findall(r'class="cov-cell( cov-none)?"', grid)) == 169
    goal_table = at.table[0].value  # per goal, real text
    row13 = goal_table[goal_table.iloc[:, 0].str.startswith("目標13")].iloc[0]
    assert list(row13) == [md("目標13 気候変動に具体的な対策を"), "3/5", md("13.a、13.b")]
    targets = at.table[1].value
    assert len(targets) == 169
    assert len(at.get("download_button")) == 2


def test_page_filters_are_in_the_url_and_narrow_the_counts():
    at = open_page("coverage", "en", pillar="environment", goal="14")
    assert not at.exception
    text = page_text(at)
    assert md("Of the 169 targets, the plan links to 35 and leaves 134 untouched.") in text
    assert md("Of the 10 targets of the goals shown, the plan links to 2 and leaves 8 untouched.") in text
    grid = next(h.proto.body for h in at.get("html") if "cov-cell" in h.proto.body)
    assert grid.count('class="cov-row"') == 1 and len(re.findall(r'class="cov-cell( cov-none)?"', grid)) == 10
    assert url(at) == {"lang": "en", "pillar": "environment", "goal": "14"}


def test_each_goal_links_to_its_coverage():
    at = open_page("explore", "ja", goal="14")
    links = [(p.proto.label, dict(p.proto.query_string and [kv.split("=") for kv in p.proto.query_string.split("&")]))
             for p in at.get("page_link")]  # fmt: skip
    assert any("目標14のターゲット" in label and q.get("goal") == "14" for label, q in links), links
    home = open_page("home")
    assert any(p.proto.page.endswith("coverage") or "coverage" in p.proto.page for p in home.get("page_link"))
