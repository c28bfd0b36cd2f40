#!/usr/bin/env bash
# Install what the browser tests, screenshots and PNG/PDF exports need and a fresh
# Debian machine lacks: headless Chromium and Japanese fonts; and nginx, which the proxy
# test (tests/robustness/test_nginx.py) and the bench run as a process of their own from
# a temp dir (the package's own service is not used). Does nothing when present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# (grep without -q reads all of fc-list's output: with -q, fc-list can die of SIGPIPE, and
# pipefail then reported the font as missing although it was installed.)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# Briefing PDFs (kawasaki/pdf.py): IPA P Gothic, a TrueType font whose embedded text every
# PDF reader extracts cleanly, and DejaVu Sans for the ✔ ⚠ ✖ status symbols it lacks.
[ -f /usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf ] || need+=(fonts-ipafont-gothic)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
