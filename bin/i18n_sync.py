"""Merge each addon's ``i18n/<addon>.pot`` into its ``i18n/fr.po``.

Usage: ``python bin/i18n_sync.py`` after exporting the .pot files with Odoo
(``odoo-bin i18n export -d DB -o ADDON/i18n/ADDON.pot ADDON``). Existing French
translations are kept, entries gone from the template are dropped, and the
msgids still to translate are listed (exit 1 when there are any). A
translation can be fed from a Python file defining ``FR = {msgid: msgstr}``
with ``--add FILE``.
"""

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
HEADER = {
    "Project-Id-Version": "Odoo Server 19.0",
    "Language": "fr",
    "Language-Team": "French",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
}


def sync(pot_path, extra):
    po_path = pot_path.with_name("fr.po")
    old = polib.pofile(str(po_path)) if po_path.is_file() else []
    known = {entry.msgid: entry.msgstr for entry in old if entry.msgstr}
    known.update(extra)
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(HEADER)
    missing = []
    for entry in polib.pofile(str(pot_path)):
        entry.msgstr = known.get(entry.msgid, "")
        if not entry.msgstr:
            missing.append(entry.msgid)
        po.append(entry)
    po.save(str(po_path))
    return missing


def main(argv):
    extra = {}
    if "--add" in argv:
        extra = runpy.run_path(argv[argv.index("--add") + 1])["FR"]
    missing = {}
    for pot in sorted(ROOT.glob("*/i18n/*.pot")):
        untranslated = sync(pot, extra)
        if untranslated:
            missing[pot.parent.parent.name] = untranslated
    for addon, msgids in missing.items():
        print(f"{addon}: {len(msgids)} untranslated")
        for msgid in msgids:
            print(f"  {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
