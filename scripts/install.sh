#!/usr/bin/env bash
# Install everything painting_dreams needs on Debian/Ubuntu: MyPaint's brush engine and brushes
# (apt), then a virtual environment with the pinned Python stack. Safe to run again.
#   GPU=1 scripts/install.sh   the CUDA build of TensorFlow instead of the CPU one (needs an NVIDIA driver);
#                              remembered by the venv ($VENV/.installed-gpu): GPU=0 goes back to the CPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
if [ -z "${GPU:-}" ]; then
    GPU=0; [ -f "$VENV/.installed-gpu" ] && GPU=1
fi
case "$GPU" in 0|1) ;; *) echo "install.sh: GPU is '$GPU'; give GPU=1 (CUDA TensorFlow) or GPU=0 (CPU)" >&2; exit 2 ;; esac
# The TensorFlow version pyproject.toml pins for the CPU build; the CUDA build is the same version.
TF_VERSION="$(sed -n 's/.*"tensorflow-cpu==\([^"]*\)".*/\1/p' pyproject.toml)"
[ -n "$TF_VERSION" ] || { echo "install.sh: no tensorflow-cpu pin found in pyproject.toml" >&2; exit 2; }

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
PIP="$VENV/bin/pip"
if [ "$GPU" = 0 ] && [ -f "$VENV/.installed-gpu" ]; then
    echo "==> GPU=0: removing the CUDA build of TensorFlow (the CPU build follows)"
    "$PIP" uninstall -q -y tensorflow
    rm -f "$VENV/.installed-gpu"
fi
echo "==> installing the Python stack into $VENV (TensorFlow is large: first time takes a few minutes)"
"$PIP" install -q --upgrade pip
"$PIP" install -q -r requirements.txt
if [ "$GPU" = 1 ]; then
    # Both wheels install the same `tensorflow` package: the CPU one goes first, whole, then the CUDA one.
    echo "==> GPU=1: replacing tensorflow-cpu with tensorflow[and-cuda]==$TF_VERSION (CUDA and cuDNN from PyPI)"
    "$PIP" uninstall -q -y tensorflow-cpu
    "$PIP" install -q "tensorflow[and-cuda]==$TF_VERSION"
    touch "$VENV/.installed-gpu"
fi
touch "$VENV/.installed"
