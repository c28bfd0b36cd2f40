"""Browser tests: the served app in headless Chromium (marked ``browser``)."""
