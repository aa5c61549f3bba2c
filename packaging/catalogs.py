"""Translation catalogues at build time: extract the message ids from the sources into the template,
update each language's .po from it, generate the pseudo-locale, and compile .po -> .mo (Babel).

    python packaging/catalogs.py extract    # qvupload/locale/qvupload.pot from the sources
    python packaging/catalogs.py update     # merge the template into every <lang>/LC_MESSAGES/qvupload.po
    python packaging/catalogs.py compile DIR  # .mo files under DIR/<lang>/LC_MESSAGES/ (setup.py, the spec)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "qvupload" / "locale"
TEMPLATE = LOCALE / "qvupload.pot"
LANGUAGES = ("de", "fr", "es", "pt_BR")  # pseudo is generated at run time (qvupload/i18n.py)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def catalogs(folder: Path = LOCALE) -> list[Path]:
    return sorted(folder.glob("*/LC_MESSAGES/qvupload.po"))


def extract() -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    catalog = Catalog(project="qvupload", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT / "qvupload"),
        method_map=[("sandbox/**.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        catalog.add(message, None, [(f"qvupload/{filename}", lineno)], auto_comments=comments, context=context)
    with TEMPLATE.open("wb") as fh:
        write_po(fh, catalog, width=120, sort_output=True, omit_header=False)
    return TEMPLATE


def update() -> None:
    from babel.messages.pofile import read_po, write_po

    with TEMPLATE.open("rb") as fh:
        template = read_po(fh)
    from babel.messages.catalog import Catalog

    for lang in LANGUAGES:
        path = LOCALE / lang / "LC_MESSAGES" / "qvupload.po"
        if path.is_file():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="qvupload", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=120, sort_output=True, ignore_obsolete=True)


def compile_all(target: Path, source: Path = LOCALE) -> list[Path]:
    """Compile every source catalogue into ``target/<lang>/LC_MESSAGES/qvupload.mo``; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in catalogs(source):
        lang = po.parent.parent.name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        out = target / lang / "LC_MESSAGES" / "qvupload.mo"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(out)
    return written


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "extract":
        print(extract())
    elif command == "update":
        update()
    elif command == "compile" and len(sys.argv) > 2:
        for path in compile_all(Path(sys.argv[2])):
            print(path)
    else:
        sys.exit(__doc__)
