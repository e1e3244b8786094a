#!/usr/bin/env bash
# Open an OpenRaster file in the real MyPaint app on a virtual display and screenshot it.
#   scripts/check_ora_in_mypaint.sh out/photo.ora [shot.png]
# Needs: apt-get install -y mypaint xvfb imagemagick. Exits 1 unless MyPaint logs a successful load.
set -euo pipefail
ora=$(realpath "$1"); shot=${2:-${ora%.ora}-in-mypaint.png}
[ -f "$ora" ] || { echo "no such file: $1" >&2; exit 2; }
for tool in mypaint Xvfb import; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install -y mypaint xvfb imagemagick" >&2; exit 2; }
done
home=$(mktemp -d); display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 & xvfb=$!
trap 'kill $xvfb $app 2>/dev/null || true; rm -rf "$home"' EXIT
sleep 2
DISPLAY=$display HOME=$home mypaint "$ora" >"$home/mypaint.log" 2>&1 & app=$!
for _ in $(seq 60); do grep -q "Loaded from '$ora'" "$home/mypaint.log" && break; sleep 1; done
sleep 3
DISPLAY=$display import -window root "$shot"
if grep -q "Loaded from '$ora'" "$home/mypaint.log"; then
  echo "MyPaint opened $ora; screenshot: $shot"
else
  echo "MyPaint did not load $ora:" >&2; tail -20 "$home/mypaint.log" >&2; exit 1
fi
