"""CelebA is for non-commercial research only: no CelebA image may be tracked by git (tests read ../shared/data)."""

import subprocess


def test_no_celeba_image_or_any_jpeg_is_tracked(project_root):
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=project_root, capture_output=True, check=True).stdout
    paths = [p for p in tracked.decode().split("\0") if p]
    assert len(paths) > 100  # the listing worked
    assert not [p for p in paths if "img_align_celeba" in p or p.startswith("data/01_raw/celeba/")]
    jpegs = []
    for path in paths:
        file = project_root / path
        if file.is_file() and not file.is_symlink():
            with open(file, "rb") as handle:
                if handle.read(3) == b"\xff\xd8\xff":  # the JPEG signature, whatever the file is called
                    jpegs.append(path)
    assert jpegs == []
