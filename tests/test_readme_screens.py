"""The README's screenshots exist, are PNGs of at most 1280 px and small."""

import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def images():
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+)\)", readme)


def test_the_main_screens_are_shown():
    names = {Path(path).stem for path in images()}
    assert {
        "contracts",
        "bill-run-preview",
        "bill-run-result",
        "invoice",
        "dunning-kanban",
        "fec-result",
    } <= names


def test_every_screenshot_is_a_small_png():
    for path in images():
        data = (ROOT / path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        width, _height = struct.unpack(">II", data[16:24])
        assert width <= 1280, path
        assert len(data) < 300_000, path
