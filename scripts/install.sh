#!/usr/bin/env bash
# Install everything painting_dreams needs on Debian/Ubuntu: MyPaint's brush engine and brushes
# (apt), then a virtual environment with the pinned Python stack. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if ! ldconfig -p 2>/dev/null | grep -q "libmypaint-1.5.so.1" || [ ! -f /usr/share/mypaint-data/1.0/brushes/classic/dry_brush.myb ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "==> installing libmypaint-1.5-1 and mypaint-brushes with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libmypaint-1.5-1 mypaint-brushes
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
echo "==> installing the Python stack into $VENV (TensorFlow is large: first time takes a few minutes)"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q -r requirements.txt
touch "$VENV/.installed"
