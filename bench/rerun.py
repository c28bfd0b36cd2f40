"""Figure 1: warm rerun of every page (AppTest) vs an empty Streamlit page, same process.

A warm rerun is what a visitor's every click costs the server once the caches are
full: the script runs top to bottom and every element is serialised again. Each page
is opened the way the page tests did at first (run app.py, switch to the page, set its query
parameters), run twice to fill the caches, then rerun ``n`` times, each page rerun
followed by one rerun of bench/apps/empty.py, so that both medians see the same
machine load. Target: every page <= 10x the empty page.

``python -m bench.rerun`` prints the figures; ``python -m bench.profile`` profiles them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from bench import APPS, ROOT, Context, Figure, Page, median, ms, pages

TARGET = 10.0


def open_app(page: Page):
    """An AppTest showing ``page`` with its query parameters, caches warm."""
    from streamlit.testing.v1 import AppTest

    from kawasaki.web.frame import use_navigation

    use_navigation()  # as `python -m kawasaki serve` does: every URL through the frame
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page.url_path:
        at.switch_page(page.file).run()
    for k, v in page.query:
        at.query_params[k] = v
    at.run()
    at.run()
    _check(at, page.name)
    return at


def _check(at, name: str) -> None:
    if at.exception:
        raise RuntimeError(f"{name}: {[e.message for e in at.exception]}")


def timed(run: Callable[[], object]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def run(ctx: Context) -> list[Figure]:
    """Median warm rerun of each page next to the empty page's, measured in turns."""
    from streamlit.testing.v1 import AppTest

    os.environ["KAWASAKI_DB"] = str(ctx.db)
    n = ctx.n(40, 10)
    empty = AppTest.from_file(str(APPS / "empty.py"), default_timeout=60).run()
    for _ in range(3):
        empty.run()
    figures = []
    for page in pages(ctx.db):
        at = open_app(page)
        page_times, empty_times = [], []
        for _ in range(n):
            page_times.append(timed(at.run))
            empty_times.append(timed(empty.run))
        _check(at, page.name)
        value, ref = ms(median(page_times)), ms(median(empty_times))
        figures.append(
            Figure(
                "1 warm rerun (AppTest)",
                page.name,
                value,
                "ms",
                ref,
                "empty page",
                f"≤ {TARGET:g}× empty",
                value <= TARGET * ref,
                f"median of {n}",
            )
        )
    return figures


if __name__ == "__main__":
    from bench.run import main

    main(["rerun"])
