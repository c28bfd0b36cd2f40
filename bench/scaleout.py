"""Scale-out: two Streamlit processes behind nginx vs one, on loopback.

nginx runs the production file deploy/nginx.conf itself, with only its lines marked
``bench:`` replaced (the upstream servers, the listen address, the cache path), as a
foreground process of ours from a temp dir (``nginx -c <tmp>/nginx.conf -g 'daemon off;'``),
stopped at the end. Two nginx instances run side by side: one in front of one app
process, one in front of two (sharing the same read-only database file). The load is
new sessions of the landing page, each client with its own route cookie (as distinct
browsers), measured in turns. Reported: the throughput of two processes vs one, the
share of the work each process did (CPU time), proof that a route cookie sticks to one
process, the proxy's cost (one process through nginx vs direct), and what nginx's gzip
does to the JavaScript a first visit downloads.

On a 2-core machine the load generator, nginx and the processes share two cores,
so two processes cannot double the throughput here; docs/deploy.md says what does.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import shutil
import urllib.request
from pathlib import Path

from bench import ROOT, Context, Figure, Server, app_server, free_port
from bench.ws_driver import LoadResult, combine, open_page, session_load, stream_url

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx.conf"
COOKIE = "kawasaki_route"
CLIENTS = 20


def site_config(upstreams: list[int], port: int, cache: Path) -> str:
    """deploy/nginx.conf with its ``bench:`` lines pointed at our processes and port."""
    out, upstream_done = [], False
    for line in SITE.read_text(encoding="utf-8").splitlines():
        if "# bench: upstream" in line:
            if not upstream_done:
                out += [f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstreams]
                upstream_done = True
        elif "# bench: listen" in line:
            out.append(f"    listen 127.0.0.1:{port};")
        elif "# bench: cache" in line:
            out.append(re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {cache}", line.split("#")[0]))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def nginx_server(ctx: Context, name: str, upstreams: list[int]) -> Server:
    """An nginx of our own, in the foreground, from a temp dir, on a free loopback port."""
    port = free_port()
    home = ctx.tmp / name
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(home / sub, 0o777)  # workers run as nobody when we are root
    os.chmod(home, 0o755)
    os.chmod(ctx.tmp, 0o711)  # let those workers reach their cache dir, list nothing else
    (home / "kawasaki.conf").write_text(site_config(upstreams, port, home / "cache"), encoding="utf-8")
    (home / "nginx.conf").write_text(
        f"""worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {home}/client_body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    include {home}/kawasaki.conf;
}}
""",
        encoding="utf-8",
    )
    cmd = [NGINX, "-p", str(home), "-c", str(home / "nginx.conf"), "-g", "daemon off;"]
    return Server(cmd, port, log=home / "stdout.log", name=name)


def load(url: str, seconds: float, clients: int = CLIENTS) -> LoadResult:
    """New landing-page sessions, each with its own route cookie."""
    return asyncio.run(
        session_load(url, [("", "")], clients, max_sessions=3000, max_seconds=seconds, sticky_cookie=COOKIE)
    )


def static_bytes(base: str, *, accept_gzip: bool) -> int:
    """Bytes of the entry page and the files it references (JS, CSS, fonts) as sent."""
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    html = urllib.request.urlopen(urllib.request.Request(base + "/", headers=headers), timeout=30).read()
    page = gzip.decompress(html) if html[:2] == b"\x1f\x8b" else html
    total = len(html)
    for ref in sorted(set(re.findall(rb'(?:src|href)="\.?/?(static/[^"]+)"', page))):
        req = urllib.request.Request(f"{base}/{ref.decode()}", headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            total += len(r.read())
    return total


def run(ctx: Context) -> list[Figure]:
    """Two processes behind nginx vs one; stickiness; proxy cost; gzip."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    seconds = 2.0 if ctx.quick else 4.0
    rounds = 1 if ctx.quick else 2
    db = ctx.tmp / "scaleout" / "kawasaki.duckdb"  # its own: the rollout below replaces it
    db.parent.mkdir()
    shutil.copy(ctx.db, db)
    with app_server(ctx, db=db, name="app-a") as a, app_server(ctx, db=db, name="app-b") as b:
        with (
            nginx_server(ctx, "nginx-one", [a.port]) as one,
            nginx_server(ctx, "nginx-two", [a.port, b.port]) as two,
        ):
            u_one, u_two, u_direct = stream_url(one.base), stream_url(two.base), stream_url(a.base)
            for url in (u_one, u_two, u_two, u_direct):
                asyncio.run(open_page(url, cookie=f"{COOKIE}=warm-up"))
            load(u_two, 1.0)  # warm both processes
            r_one, r_two, r_direct = [], [], []
            cpu_a = cpu_b = 0.0
            for _ in range(rounds):
                r_one.append(load(u_one, seconds))
                ca, cb = a.cpu_seconds(), b.cpu_seconds()
                r_two.append(load(u_two, seconds))
                cpu_a += a.cpu_seconds() - ca
                cpu_b += b.cpu_seconds() - cb
                r_direct.append(load(u_direct, seconds))
            one_r, two_r, direct_r = combine(r_one), combine(r_two), combine(r_direct)
            sticky = stickiness(u_two, a, b)
            rolled = asyncio.run(rollout(ctx, db, u_two, seconds))
            plain = static_bytes(a.base, accept_gzip=True)
            zipped = static_bytes(two.base, accept_gzip=True)
    errors = one_r.errors + two_r.errors
    share = cpu_b / (cpu_a + cpu_b) if cpu_a + cpu_b else 0.0
    return [
        Figure(
            "6 scale-out (nginx, loopback)",
            "database rollout under load (build, rename)",
            rolled["errors"],
            "errors",
            None,
            "",
            "0 errors; open sessions see the new build",
            rolled["errors"] == 0 and rolled["seen"],
            rolled["note"],
        ),
        Figure(
            "6 scale-out (nginx, loopback)",
            f"2 processes behind nginx, {CLIENTS} clients",
            two_r.rate,
            "/s",
            one_r.rate,
            "1 process behind nginx",
            "",
            None,
            f"new landing-page sessions; CPU split {1 - share:.0%}/{share:.0%}; {sticky}"
            + (f"; {len(errors)} errors: {errors[0]}" if errors else ""),
        ),
        Figure(
            "6 scale-out (nginx, loopback)",
            f"1 process behind nginx, {CLIENTS} clients",
            one_r.rate,
            "/s",
            direct_r.rate,
            "1 process direct",
            "",
            None,
            "the proxy's cost",
        ),
        Figure(
            "5 bytes to the browser",
            "first visit's entry files through nginx (gzip)",
            zipped,
            "B",
            plain,
            "Streamlit direct",
            "",
            None,
            "index.html and the JS/CSS/fonts it names; lazy chunks come on top",
        ),
    ]


NEW_AS_OF = "2030-03-31"


async def rollout(ctx: Context, db: Path, url: str, seconds: float) -> dict:
    """Rebuild the database the two processes share while sessions arrive; check that no
    session fails and that a session opened before sees the new build on its next rerun."""
    from bench.ws_driver import Session
    from kawasaki.build import build

    data = ctx.tmp / "scaleout" / "data"
    shutil.copytree(
        ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb", "*.tmp", "*.wal", "scripts")
    )
    meta = data / "dataset.yaml"
    meta.write_text(
        re.sub(r"(?m)^data_as_of: .*$", f"data_as_of: {NEW_AS_OF}", meta.read_text("utf-8")), "utf-8"
    )
    old = Session(url, cookie=f"{COOKIE}=rollout", keep=True)
    await old.connect()
    before = await old.run()
    inode = db.stat().st_ino
    load_task = asyncio.create_task(
        session_load(url, [("", "")], 10, max_sessions=3000, max_seconds=seconds, sticky_cookie=COOKIE)
    )
    await asyncio.sleep(seconds / 4)
    await asyncio.to_thread(build, data, db)  # writes a temp file beside db, then renames it over db
    result = await load_task
    old.cached.clear()
    after = await old.run()
    await old.close()
    seen = NEW_AS_OF.encode() in b"".join(after.frames) and NEW_AS_OF.encode() not in b"".join(before.frames)
    errors = len(result.errors) + len(after.errors)
    return {
        "errors": errors,
        "seen": seen and db.stat().st_ino != inode,
        "note": f"{result.done} sessions during the rollout; a session opened before "
        + ("shows the new build on its next rerun" if seen else "did NOT show the new build")
        + (f"; {result.errors[0]}" if result.errors else ""),
    }


def stickiness(url: str, a: Server, b: Server) -> str:
    """Ten sessions with one cookie must all land on one process."""
    ca, cb = a.cpu_seconds(), b.cpu_seconds()
    for _ in range(10):
        asyncio.run(open_page(url, cookie=f"{COOKIE}=one-browser"))
    da, db = a.cpu_seconds() - ca, b.cpu_seconds() - cb
    moved = min(da, db) / max(da, db, 1e-9)
    verdict = "sticky" if moved < 0.1 else "NOT sticky"
    return f"one cookie × 10 sessions: CPU {da:.2f} s / {db:.2f} s ({verdict})"


if __name__ == "__main__":
    from bench.run import main

    main(["scaleout"])
