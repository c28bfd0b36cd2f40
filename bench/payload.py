"""Figure 5: bytes sent to the browser per page, and the ward map in particular.

A fresh session per page over the websocket (bench/ws_driver.py), every frame kept:
the total, the largest element kinds, and for every map (``deck_gl_json_chart``) the
element's size and the GeoJSON inside it. Reference: the bare one-chart app.
Target: a map <= 60 KB.

Also shown: what websocket compression (``server.enableWebsocketCompression``,
permessage-deflate) would save, estimated by deflating the same frames with one
compressor per connection (context takeover, a flush per message) as browsers and
uvicorn negotiate it. The static files (JavaScript, CSS, fonts) are the same for
every page and cached after the first visit; the browser benchmark counts them.
"""

from __future__ import annotations

import asyncio
import json
import zlib

from bench import Context, Figure, app_server, bare_server, pages
from bench.ws_driver import Session, stream_url

MAP_TARGET = 60 * 1024


async def fetch(url: str, page_name: str, query: str):
    """One fresh session with every frame kept."""
    async with Session(url, page_name, query, keep=True) as s:
        return await s.run()


def deflated(frames: list[bytes]) -> int:
    """Bytes on the wire with permessage-deflate (context takeover), estimated."""
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return sum(len(z.compress(f) + z.flush(zlib.Z_SYNC_FLUSH)) - 4 for f in frames)


def maps(frames: list[bytes]) -> list[tuple[int, int]]:
    """(element bytes, GeoJSON bytes) of every deck.gl map in the frames."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found = []
    for frame in frames:
        msg = ForwardMsg.FromString(frame)
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        if element.WhichOneof("type") != "deck_gl_json_chart":
            continue
        spec = json.loads(element.deck_gl_json_chart.json)
        geo = sum(
            len(json.dumps(layer.get("data"), separators=(",", ":")))
            for layer in spec.get("layers", [])
            if "GeoJson" in str(layer.get("@@type", ""))
        )
        found.append((len(frame), geo))
    return found


def run(ctx: Context) -> list[Figure]:
    """Bytes per page vs the bare app; the map against its 60 KB budget."""
    figures: list[Figure] = []
    with app_server(ctx) as app, bare_server(ctx, "one_chart.py", name="bare") as bare:
        ref = asyncio.run(fetch(stream_url(bare.base), "", ""))
        for page in pages(ctx.db):
            stats = asyncio.run(fetch(stream_url(app.base), page.url_path, page.query_string))
            if stats.errors:
                raise RuntimeError(f"{page.name}: {stats.errors[0]}")
            top = ", ".join(
                f"{kind} {size / 1024:.1f} KB" for kind, size in stats.element_bytes.most_common(3)
            )
            figures.append(
                Figure(
                    "5 bytes to the browser",
                    page.name,
                    stats.bytes,
                    "B",
                    ref.bytes,
                    "bare one-chart app",
                    "",
                    None,
                    f"{stats.messages} messages; largest: {top}; "
                    f"≈ {deflated(stats.frames) / 1024:.1f} KB with websocket compression",
                )
            )
            for size, geo in maps(stats.frames):
                figures.append(
                    Figure(
                        "5 bytes to the browser",
                        f"map on {page.name} (deck.gl element)",
                        size,
                        "B",
                        MAP_TARGET,
                        "budget",
                        "≤ 60 KB",
                        size <= MAP_TARGET,
                        f"GeoJSON in it {geo / 1024:.1f} KB",
                    )
                )
    return figures


if __name__ == "__main__":
    from bench.run import main

    main(["payload"])
