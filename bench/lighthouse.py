"""Figure 8: Lighthouse 12 on every page of the served app, beside a bare one-chart page.

Lighthouse (the npm package ``lighthouse``, installed into bench/.node/ when missing,
ignored by git) runs against the system Chromium (CHROME_PATH=/usr/bin/chromium, headless)
on ``python -m kawasaki serve`` and on bench/apps/one_chart.py served as the dashboard is,
in the same run. Mobile preset (Lighthouse's default: simulated slow 4G, 4x slower CPU):
the median of 3 runs per page of first contentful paint, largest contentful paint, total
blocking time, bytes transferred and the four category scores (fewer runs when
$KAWASAKI_LIGHTHOUSE_MINUTES, default 60, runs out: the notes say how many). Desktop
preset: largest contentful paint, one run. Targets (issue #18): FCP <= 2.5 s; LCP <= 0.4x the 'before'
(the issue's table; 18.0 s, its lowest, for pages it does not list); <= 1.5 MB; SEO and
accessibility 1.00, best practices >= 0.95; desktop LCP <= 2.0 s.

After the first round the bench waits until every static file it loaded is served
brotli-compressed (kawasaki.compression makes each copy once, in the background, and
keeps it in .cache/static/ across restarts), as every visitor after the first gets them. The
JavaScript chunks a page loads are named in the notes by their file name's stem
(``PlotlyChart``, ``DeckGlJsonChart``, ``DataFrame``...), those over 100 KB.

    python -m bench.run lighthouse --append
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench import BENCH, Context, Figure, bare_server, median
from bench import app_server as _app_server
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

NODE_DIR = BENCH / ".node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
VERSION = "12"
EXTRA = ("/progress?kpi=ghg-reduction", "/explore?goal=13")
# Largest contentful paint before issue #18 (mobile preset, its table), in ms.
BEFORE_LCP = {"/": 27_700, "/progress?kpi=ghg-reduction": 18_500, "/wards": 18_000}
DEFAULT_BEFORE = min(BEFORE_LCP.values())
TARGET_FCP = 2_500
TARGET_LCP_RATIO = 0.4
TARGET_BYTES = 1.5 * 1000 * 1000
TARGET_DESKTOP_LCP = 2_000
BIG_CHUNK = 100_000
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def install() -> Path:
    """bench/.node/node_modules/.bin/lighthouse, installed with npm when missing."""
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: install Node.js to run the Lighthouse bench")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(NODE_DIR),
             f"lighthouse@{VERSION}"],
            check=True,
        )  # fmt: skip
    return LIGHTHOUSE


def chrome_flags() -> str:
    """The test suite's Chromium flags, with the new headless mode Lighthouse needs."""
    flags = ["--headless=new" if f == "--headless" else f for f in CHROMIUM_ARGS]
    return " ".join([*flags, "--disable-dev-shm-usage"])


def audit(url: str, out: Path, desktop: bool = False, tries: int = 3) -> dict:
    """One Lighthouse run of ``url``: its JSON report (tried again when the run failed:
    on a busy machine Lighthouse sometimes loses the trace, NO_NAVSTART)."""
    for attempt in range(1, tries + 1):
        try:
            return _audit(url, out, desktop)
        except RuntimeError as exc:
            if attempt == tries:
                raise
            print(f"  ({exc}; again)", flush=True)
    raise AssertionError("unreachable")


def _audit(url: str, out: Path, desktop: bool) -> dict:
    """One Lighthouse run."""
    cmd = [
        str(install()),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={chrome_flags()}",
        "--max-wait-for-load=90000",
    ]
    if desktop:
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    out.unlink(missing_ok=True)
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    # Lighthouse exits 1 when one gatherer failed (on a busy machine: PROTOCOL_TIMEOUT
    # reading a large uncompressed body for its text-compression audit) but still writes
    # the report: keep it when the paints are in it.
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
        report["audits"]["largest-contentful-paint"]["numericValue"]  # noqa: B018
    except (OSError, ValueError, KeyError) as exc:
        tail = done.stderr.decode("utf-8", "replace")[-800:]
        raise RuntimeError(f"lighthouse {url} failed (exit {done.returncode}): {tail}") from exc
    if report.get("runtimeError"):
        print(f"  ({url}: {report['runtimeError'].get('code')}, report kept)", flush=True)
    return report


def summary(report: dict) -> dict:
    """The figures of one report: paints (ms), blocking time, bytes, scores, JS chunks."""
    audits = report["audits"]
    items = audits.get("network-requests", {}).get("details", {}).get("items", [])
    chunks = {
        chunk_name(i["url"]): i.get("transferSize", 0) for i in items if "/static/js/" in i.get("url", "")
    }
    return {
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "scores": {c: report["categories"][c]["score"] for c in CATEGORIES},
        "chunks": chunks,
        "urls": [i["url"] for i in items if "/static/" in i.get("url", "")],
    }


def chunk_name(url: str) -> str:
    """A Streamlit chunk's name without its content hash: ``PlotlyChart.D9Z0_fxz.js`` ->
    ``PlotlyChart``."""
    return urlsplit(url).path.rsplit("/", 1)[-1].split(".", 1)[0]


def wait_for_brotli(base: str, urls: set[str], timeout: float = 600) -> float:
    """Request each static file until it comes brotli-compressed; the seconds it took."""
    started = time.monotonic()
    left = {urlsplit(u).path for u in urls}
    while left and time.monotonic() - started < timeout:
        for path in sorted(left):
            req = urllib.request.Request(base + path, headers={"Accept-Encoding": "br, gzip"}, method="GET")
            with urllib.request.urlopen(req, timeout=60) as resp:
                resp.read()
                coding = resp.headers.get("content-encoding")
            if coding != "gzip":  # br, or a file that is sent as it is
                left.discard(path)
        if left:
            time.sleep(2)
    return time.monotonic() - started


def measure(base: str, paths: list[str], tmp: Path, runs: int, until: float) -> dict[str, dict]:
    """Every path's summaries: one mobile run of each, then one desktop run of each, then
    more mobile rounds up to ``runs`` while time is left (``until``, a time.monotonic()
    deadline; on a busy machine a run takes minutes). Before the second round the bench
    waits for the brotli copies of every static file the first round loaded. A run that
    fails (three tries) is left out. The reports are kept in ``tmp``."""
    got: dict[str, dict] = {path: {"mobile": [], "desktop": None} for path in paths}
    tmp.mkdir(parents=True, exist_ok=True)

    def one(n: int, path: str, name: str, desktop: bool = False) -> dict | None:
        try:
            return summary(audit(base + path, tmp / name, desktop=desktop))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"  {path}: left out ({exc})", flush=True)
            return None

    for r in range(runs):
        if r and time.monotonic() > until:
            print(f"  time is up after {r} mobile round(s)", flush=True)
            break
        for n, path in enumerate(paths):
            found = one(n, path, f"m{n}-{r}.json")
            if found:
                got[path]["mobile"].append(found)
                print(f"  {path} mobile {r + 1}: FCP {found['fcp']:.0f} ms, LCP {found['lcp']:.0f} ms, "
                      f"{found['bytes'] / 1024:.0f} KiB", flush=True)  # fmt: skip
        if r == 0:
            for n, path in enumerate(paths):
                got[path]["desktop"] = one(n, path, f"d{n}.json", desktop=True)
            urls = {u for g in got.values() for m in g["mobile"] for u in m["urls"] if u.startswith(base)}
            print(f"  brotli copies ready after {wait_for_brotli(base, urls):.0f} s", flush=True)
    return got


def figures_of(path: str, got: dict, bare: dict) -> list[Figure]:
    """One page's figures against the bare page's."""
    mobile, desktop = got["mobile"], got["desktop"] or {"lcp": float("nan"), "fcp": float("nan")}
    b_mobile = bare["mobile"]
    if not mobile:
        return []
    fcp, lcp = median([m["fcp"] for m in mobile]), median([m["lcp"] for m in mobile])
    nbytes = median([m["bytes"] for m in mobile])
    tbt = median([m["tbt"] for m in mobile])
    scores = {c: median([m["scores"][c] for m in mobile]) for c in CATEGORIES}
    before = BEFORE_LCP.get(path, DEFAULT_BEFORE)
    chunks = ", ".join(
        f"{name} {size / 1024:.0f} KB"
        for name, size in sorted(mobile[0]["chunks"].items())
        if size > BIG_CHUNK
    )
    spread = (
        f"{len(mobile)} runs: FCP {min(m['fcp'] for m in mobile):.0f}–{max(m['fcp'] for m in mobile):.0f} ms"
    )
    bare_name = "bare one-chart page"
    score_text = ", ".join(f"{c} {s:.2f}" for c, s in scores.items())
    sec = "8 Lighthouse (mobile, median of the runs)"
    return [
        Figure(sec, f"{path}: first contentful paint", fcp, "ms", median([m["fcp"] for m in b_mobile]),
               bare_name, f"≤ {TARGET_FCP} ms", fcp <= TARGET_FCP, spread),
        Figure(sec, f"{path}: largest contentful paint", lcp, "ms", median([m["lcp"] for m in b_mobile]),
               bare_name, f"≤ {TARGET_LCP_RATIO:g}× before ({before / 1000:.1f} s)",
               lcp <= TARGET_LCP_RATIO * before, f"total blocking time {tbt:.0f} ms"),
        Figure(sec, f"{path}: bytes transferred", nbytes, "B", median([m["bytes"] for m in b_mobile]),
               bare_name, "≤ 1.5 MB", nbytes <= TARGET_BYTES, f"JS chunks over 100 KB: {chunks or 'none'}"),
        Figure(sec, f"{path}: accessibility, best practices, SEO (lowest)",
               min(scores[c] for c in CATEGORIES[1:]), "", None, "",
               "SEO, accessibility 1.00; best practices ≥ 0.95",
               scores["seo"] >= 1 and scores["accessibility"] >= 1 and scores["best-practices"] >= 0.95,
               score_text),
        Figure("8 Lighthouse (desktop)", f"{path}: largest contentful paint", desktop["lcp"], "ms",
               (bare["desktop"] or {}).get("lcp"), bare_name, f"≤ {TARGET_DESKTOP_LCP} ms",
               desktop["lcp"] <= TARGET_DESKTOP_LCP, f"first contentful paint {desktop['fcp']:.0f} ms"),
    ]  # fmt: skip


def page_paths() -> list[str]:
    """Every page in app.PAGES, then the two detail views a shared link opens."""
    from kawasaki.site.pages import registered_pages

    found = ["/" if n == 0 else f"/{url_path}" for n, (_, _, _, url_path) in enumerate(registered_pages())]
    return [*found, *EXTRA]


def run(ctx: Context) -> list[Figure]:
    """Lighthouse on every page and on the bare page, in the same run."""
    install()
    runs = ctx.n(3, 1)
    minutes = float(os.environ.get("KAWASAKI_LIGHTHOUSE_MINUTES", "60"))
    until = time.monotonic() + 60 * minutes
    paths = page_paths()
    if ctx.quick:
        paths = paths[:2]
    out = ctx.tmp / "lighthouse"
    with bare_server(ctx, "one_chart.py", name="bare-lighthouse") as bare:
        bare_got = measure(bare.base, ["/"], out / "bare", runs, until)["/"]
    with _app_server(ctx, name="app-lighthouse") as app:
        got = measure(app.base, paths, out / "app", runs, until)
    (ctx.tmp / "lighthouse.json").write_text(json.dumps({"bare": bare_got, **got}, indent=1))
    figures: list[Figure] = []
    for path in paths:
        figures += figures_of(path, got[path], bare_got)
    return figures


if __name__ == "__main__":
    from bench.run import main

    main(["lighthouse"])
