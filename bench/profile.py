"""Where a page's warm rerun spends its time: pyinstrument, in the script's own thread.

    python -m bench.profile                 # every page -> bench/profiles/<page>.txt
    python -m bench.profile progress wards  # some pages
    python -m bench.profile --reruns 20     # more samples

Needs ``pip install pyinstrument`` (a dev tool, not in requirements.txt). AppTest runs
the script in a thread of its own, so a profiler started in the test's thread sees only
``sleep``; this starts one in the script thread of each rerun and merges the sessions.
Frames of the app (app.py, pages/, kawasaki/) are shown with the library calls they
make; ``py-spy dump --pid <server pid>`` answers the same question for a served app.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench import BENCH, ROOT, build_db, pages
from bench.rerun import open_app

OUT = BENCH / "profiles"


def profile_page(page, reruns: int) -> str:
    """The merged profile of ``reruns`` warm reruns of ``page``, as text."""
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    sessions: list[Session] = []
    original = LocalScriptRunner._run_script_thread

    def profiled(self):  # noqa: ANN001, ANN202
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            return original(self)
        finally:
            profiler.stop()
            sessions.append(profiler.last_session)

    at = open_app(page)
    LocalScriptRunner._run_script_thread = profiled
    try:
        for _ in range(reruns):
            at.run()
    finally:
        LocalScriptRunner._run_script_thread = original
    merged = sessions[0]
    for s in sessions[1:]:
        merged = Session.combine(merged, s)
    text = ConsoleRenderer(unicode=True, color=False, show_all=False, short_mode=False).render(merged)
    return f"# {page.name} ({page.url}): {reruns} warm reruns, merged\n\n{text}"


def main(argv: list[str] | None = None) -> int:
    """Profile the chosen pages (all by default) into bench/profiles/."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page names as in RESULTS.md (default: all)")
    parser.add_argument("--reruns", type=int, default=10)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kawasaki-profile-"))
    db = tmp / "kawasaki.duckdb"
    build_db(ROOT / "data", db)
    os.environ["KAWASAKI_DB"] = str(db)
    OUT.mkdir(exist_ok=True)
    for page in pages(db):
        if args.pages and page.name not in args.pages:
            continue
        text = profile_page(page, args.reruns)
        out = OUT / f"{page.name.replace('?', '_').replace('=', '-')}.txt"
        out.write_text(text, encoding="utf-8")
        print(f"{page.name}: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
