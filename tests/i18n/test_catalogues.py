"""Every message in the sources is in each complete catalogue, with the same placeholders; the build's
compiled catalogues say what the sources say; the language is chosen as documented."""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

import pytest

from qvupload import i18n

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import catalogs  # noqa: E402  (packaging/catalogs.py: the build's own extraction and compilation)

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\w*\}")


def source_messages() -> dict[str | tuple[str, str], str]:
    """Message id -> where it is, read from the sources now (not from the template, which may be stale)."""
    from babel.messages.extract import extract_from_dir

    found: dict[str | tuple[str, str], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "qvupload"),
        method_map=[("sandbox/**.py", "ignore"), ("**.py", "python")],
        keywords=catalogs.KEYWORDS,
    ):
        key = message if isinstance(message, str) else (message[0], message[1])
        found.setdefault(key, f"qvupload/{filename}:{lineno}")
    return found


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0).replace(m.group(0), m.group(1) or m.group(0)) for m in PLACEHOLDER.finditer(text))


def test_sources_have_hundreds_of_messages() -> None:
    assert len(source_messages()) > 400


@pytest.mark.parametrize("lang", i18n.COMPLETE)
def test_every_source_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    po = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "qvupload.po"
    singles, plurals, header = i18n.parse_po(po.read_text(encoding="utf-8"))
    assert "Plural-Forms" in header
    missing, wrong = [], []
    for key, where in source_messages().items():
        if isinstance(key, tuple):
            count = int(re.search(r"nplurals=\s*(\d+)", header).group(1))  # type: ignore[union-attr]
            forms = [plurals.get((key[0], n)) for n in range(count)]
            if not all(forms):
                missing.append(f"{where}: {key[0]!r}")
                continue
            wrong += [f"{where}: {f!r}" for f in forms if placeholders(f or "") != placeholders(key[1])]
        else:
            text = singles.get(key)
            if not text:
                missing.append(f"{where}: {key!r}")
            elif placeholders(text) != placeholders(key):
                wrong.append(f"{where}: {key!r} -> {text!r}")
    assert not missing, f"{len(missing)} messages have no {lang} translation:\n" + "\n".join(missing[:40])
    assert not wrong, f"{len(wrong)} {lang} translations change the placeholders:\n" + "\n".join(wrong[:40])


@pytest.mark.parametrize("lang", ["es", "pt_BR"])
def test_the_other_catalogues_exist_and_hold_every_message(lang: str) -> None:
    """Spanish and Brazilian Portuguese: the machinery is there (every id, possibly untranslated)."""
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "qvupload.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    ids = {m.id if isinstance(m.id, str) else (m.id[0], m.id[1]) for m in catalog if m.id}
    absent = [k for k in source_messages() if k not in ids]
    assert not absent, f"{lang} is behind the sources (run packaging/catalogs.py extract, update): {absent[:10]}"


def test_compiled_catalogues_say_what_the_sources_say(tmp_path: Path) -> None:
    written = catalogs.compile_all(tmp_path)
    assert {p.parent.parent.name for p in written} >= {"de", "fr", "es", "pt_BR"}
    for lang in i18n.COMPLETE:
        with (tmp_path / lang / "LC_MESSAGES" / "qvupload.mo").open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        source = i18n.load_catalog(lang)
        assert isinstance(source, i18n.PoTranslations)
        for key in source_messages():
            if isinstance(key, tuple):
                for n in (0, 1, 2, 5, 1_000_000):
                    assert compiled.ngettext(key[0], key[1], n) == source.ngettext(key[0], key[1], n)
            else:
                assert compiled.gettext(key) == source.gettext(key), key


def test_a_compiled_catalogue_is_preferred_when_it_is_current(tmp_path: Path) -> None:
    catalogs.compile_all(tmp_path)
    assert isinstance(i18n.load_catalog("de", tmp_path), gettext.GNUTranslations)
    assert i18n.load_catalog("xx", tmp_path) is None


def test_the_language_follows_lang_then_preference_then_the_environment() -> None:
    env = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}
    assert i18n.choose(env=env) == "fr"
    assert i18n.choose(preference="de", env=env) == "de"
    assert i18n.choose("pt-BR", preference="de", env=env) == "pt_BR"
    assert i18n.choose(preference="system", env={"LANGUAGE": "sv:de"}) == "de"
    assert i18n.choose(env={"LC_ALL": "C", "LANG": "de_DE.UTF-8"}) == "en"
    assert i18n.choose(env={"LANG": "ja_JP.UTF-8"}) == "en"
    assert i18n.choose(env={"LANG": "pt_PT.UTF-8"}) == "pt_BR"


def test_plural_forms_follow_the_language() -> None:
    try:
        i18n.set_language("fr")
        assert i18n.ngettext("%(count)d day", "%(count)d days", 1) % {"count": 1} == "1 jour"
        assert i18n.ngettext("%(count)d day", "%(count)d days", 0) % {"count": 0} == "0 jour"  # French: 0 is singular
        i18n.set_language("de")
        assert i18n.ngettext("%(count)d day", "%(count)d days", 0) % {"count": 0} == "0 Tage"
    finally:
        i18n.set_language("en")


def test_the_pseudo_locale_marks_accents_and_lengthens_but_keeps_placeholders() -> None:
    text = "Could not %(action)s: the tenant answered HTTP %(status)s."
    shown = i18n.pseudo(text)
    assert i18n.is_pseudo(shown)
    assert placeholders(shown) == placeholders(text)
    assert shown % {"action": "x", "status": 500}  # still formats
    visible = len(PLACEHOLDER.sub("", text))
    assert len(shown) - len(text) >= 0.4 * visible - 1  # about 40 % more of what a reader sees
    assert any(ch in shown for ch in "àéîöûç")
    assert i18n.pseudo("&File").startswith("⟦&F")  # the shortcut letter stays a letter Qt can use
