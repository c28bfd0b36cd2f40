"""Today in Kawasaki: the one clock of the library (Japan has one time zone, no DST).

Functions that judge dates take ``today`` as an argument (tests fix it); only their
callers at the edge ask this module.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def today_in_kawasaki() -> dt.date:
    """Today's date in Japan (the date a briefing is prepared, the date data are checked on)."""
    return dt.datetime.now(TOKYO).date()
