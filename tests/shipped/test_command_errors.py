"""The commands as a user runs them, in processes of their own: damaged and odd inputs end with return code 1
and one line on stderr (no traceback), and libmypaint's C notes never reach stdout."""

import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
from PIL import Image, PngImagePlugin

from tests.targets.test_user_image import _chunk

# Run the commands as the installed script would, with libmypaint printing a note on every stroke (as it does
# now and then, "Time is running backwards!") through C's printf.
COMMAND = textwrap.dedent("""
    import ctypes, sys
    from painting_dreams.paint import libmypaint
    stroke, printf = libmypaint.Surface.stroke, ctypes.CDLL(None).printf
    def noisy_stroke(self, *args, **kwargs):
        printf(b"Time is running backwards!\\n")
        return stroke(self, *args, **kwargs)
    libmypaint.Surface.stroke = noisy_stroke
    sys.argv[0] = "painting-dreams"
    from painting_dreams.commands import main
    main()
""")


def _damaged_png(path):
    import io
    import zlib

    png = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 10, 10)).save(png, "PNG")
    text = zlib.compress(b"a" * (PngImagePlugin.MAX_TEXT_CHUNK + 10))
    path.write_bytes(png.getvalue()[:33] + _chunk(b"zTXt", b"comment\0\0" + text) + png.getvalue()[33:])


def test_damaged_inputs_end_in_one_line_and_c_notes_stay_off_stdout(tmp_path, shared_data):
    _damaged_png(tmp_path / "text.png")
    os.mkfifo(tmp_path / "pipe.png")
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    Image.new("RGB", (40, 40), (0, 90, 200)).save(pictures / "blue.png")
    _damaged_png(pictures / "text.png")
    faces = tmp_path / "faces"
    faces.mkdir()
    shutil.copy(shared_data / "celeba" / "img_align_celeba" / "000002.jpg", faces / "000002.jpg")
    (faces / "000003.jpg").write_bytes((faces / "000002.jpg").read_bytes()[:400])
    digits = np.random.default_rng(0).integers(0, 256, (2, 28, 28), dtype=np.uint8)
    np.savez(tmp_path / "two.npz", arr_0=digits)
    runs = {
        "damaged picture": (["paint", "text.png"], f"Error: image 'text.png' could not be decoded (Decompressed data "
                            "too large for PngImagePlugin.MAX_TEXT_CHUNK): the file is damaged or incomplete; export it again"),
        "fifo": (["paint", "pipe.png"], "Error: 'pipe.png' is a FIFO, not a regular file: give the path of one image file"),
        "damaged picture in a folder": (["evaluate", "--agent", "celeba_15", "--images", "pictures", "--out", "o1"],
                                        "Error: image 'pictures/text.png' could not be decoded (Decompressed data too "
                                        "large for PngImagePlugin.MAX_TEXT_CHUNK): the file is damaged or incomplete; "
                                        "export it again"),
        "truncated CelebA JPEG": (["evaluate", "--agent", "celeba_15", "--images", "faces", "--out", "o2"],
                                  "Error: expected a CelebA JPEG at faces/000003.jpg, but it cannot be decoded ("),
        "run outside the project": (["run", "--pipeline", "agent"], "Error: `painting-dreams run` runs the project's "
                                    "pipelines: run it inside the painting_dreams project (a clone of its repository); "
                                    "`paint`, `evaluate` and `models` work anywhere"),
        "a clean evaluation": (["evaluate", "--agent", "mnist_8", "--images", "two.npz", "--out", "o3"], None),
        "evaluate without a painter": (["evaluate", "--images", "two.npz", "--out", "o4"],
                                       "Error: give --agent NAME or --medium MEDIUM (or both): `painting-dreams models` "
                                       "lists the painters and their media"),
        "a medium nobody paints in": (["paint", "--medium", "classic/smudge", "--shipped", "pictures/blue.png"],
                                      "Error: no painter paints in --medium classic/smudge: the media here are "),
    }
    processes = {name: subprocess.Popen([sys.executable, "-c", COMMAND, *args], cwd=tmp_path, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True) for name, (args, _) in runs.items()}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        message = runs[name][1]
        if message is None:
            assert process.returncode == 0, stderr[-3000:]
            assert "Time is running backwards!" in stderr and "backwards" not in stdout, stdout
            assert stdout.splitlines()[0].startswith("Scoring agent mnist_8") and "2 images: real MyPaint MSE" in stdout
            continue
        assert process.returncode == 1, (name, stderr[-3000:])
        lines = [line for line in stderr.splitlines() if line.startswith("Error:") or "Traceback" in line]
        assert len(lines) == 1 and lines[0].startswith(message), (name, stderr[-3000:])
        assert stderr.splitlines()[-1] == lines[0] and "Traceback" not in stderr and stdout == "", (name, stdout)
