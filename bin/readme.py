"""Build each addon's README.rst from its readme/*.md fragments.

Usage: ``python bin/readme.py`` writes them; ``--check`` only reports addons
whose README.rst is out of date (exit 1). The fragments use the small common
subset of Markdown and reStructuredText (paragraphs, ``-`` and ``1.`` lists,
``*emphasis*``); single-backtick code becomes a reStructuredText literal.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
]


def heading(text, char, overline=False):
    line = char * len(text)
    return f"{line}\n{text}\n{line}\n" if overline else f"{text}\n{line}\n"


def to_rst(markdown):
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", markdown.strip()) + "\n"


def render(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    readme = addon_dir / "readme"
    parts = [heading(manifest["name"], "=", overline=True)]
    parts.append(f"*{manifest['summary']}*\n")
    parts.append(".. contents:: Table of contents\n   :local:\n")
    for filename, title in SECTIONS:
        fragment = readme / filename
        if fragment.is_file():
            if title:
                parts.append(heading(title, "="))
            parts.append(to_rst(fragment.read_text()))
    parts.append(heading("Credits", "="))
    parts.append(heading("Authors", "-"))
    parts.append("".join(f"- {a.strip()}\n" for a in manifest["author"].split(",")))
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.is_file():
        parts.append(heading("Contributors", "-"))
        parts.append(to_rst(contributors.read_text()))
    parts.append(heading("Maintainers", "-"))
    parts.append(
        f"This module is part of the Facturo subscription-billing suite, "
        f"{manifest['website']}, under the {manifest['license']} licence.\n"
    )
    return "\n".join(parts)


def addons():
    return sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))


def main(argv):
    check = "--check" in argv
    stale = []
    for addon_dir in addons():
        target = addon_dir / "README.rst"
        text = render(addon_dir)
        if target.is_file() and target.read_text() == text:
            continue
        stale.append(addon_dir.name)
        if not check:
            target.write_text(text)
    if check and stale:
        print("README.rst out of date (run python bin/readme.py):", *stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
