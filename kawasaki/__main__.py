"""``python -m kawasaki``: see kawasaki.cli."""

from kawasaki.cli import main

raise SystemExit(main())
