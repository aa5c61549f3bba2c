"""One translation system for the core, the command line and the window (Python's gettext, no Qt).

Messages are whole sentences with named placeholders (``%(name)s``) and plural forms::

    _("Uploaded %(name)s to your personal space.") % {"name": name}
    ngettext("%(count)d document", "%(count)d documents", n) % {"count": n}

Catalogues: the sources are ``qvupload/locale/<lang>/LC_MESSAGES/qvupload.po``; the build
(``setup.py``'s ``build_py``, the PyInstaller spec) compiles them to ``qvupload.mo`` next to them in the
wheel or bundle. A checkout has no ``.mo`` files: then the ``.po`` file is read directly (a small parser,
so neither the window nor a command imports Babel to start). ``pseudo`` is generated on the fly: every
message accented, lengthened by about 40 % and wrapped in brackets, so untranslated or clipped text shows.

The language: ``--lang`` > (window: its preference) > ``LANGUAGE`` > ``LC_ALL`` > ``LC_MESSAGES`` > ``LANG``.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

DOMAIN = "qvupload"
LOCALE_DIR = Path(__file__).with_name("locale")
# complete catalogues first; the others exist (machinery) and fall back to English where empty
LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
}
COMPLETE = ("de", "fr")
PSEUDO = "pseudo"
ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# the language in use, for processes this one starts: the scan's worker processes ("spawn") never call
# setup(), so without it their freshness reasons and errors would be English under --lang or a preference
INHERITED = "QVUPLOAD_ACTIVE_LANGUAGE"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_explicit: str | None = None  # --lang, which beats the window's preference


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (translate where it is shown)."""
    return message


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def language() -> str:
    """The language messages are shown in now: ``en``, ``de``, ``fr``, ``es``, ``pt_BR`` or ``pseudo``."""
    return _language


def normalize(tag: str) -> str | None:
    """``de_DE.UTF-8`` -> ``de``, ``pt-BR`` -> ``pt_BR``, ``C``/``POSIX`` -> ``en``; None if unknown."""
    code = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not code:
        return None
    if code in ("C", "POSIX"):
        return "en"
    if code.lower() == PSEUDO:
        return PSEUDO
    lang, _sep, region = code.partition("_")
    lang = lang.lower()
    full = f"{lang}_{region.upper()}" if region else lang
    if full in LANGUAGES:
        return full
    if lang == "pt":
        return "pt_BR"  # the one Portuguese catalogue there is
    return lang if lang in LANGUAGES else None


def choose(explicit: str | None = None, preference: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The language to use: an explicit choice, then a preference, then the environment, else English."""
    for tag in (explicit, preference):
        if tag and tag != "system":
            found = normalize(tag)
            if found:
                return found
    environ = os.environ if env is None else env
    for name in ENV_ORDER:
        value = environ.get(name, "")
        if not value:
            continue
        for tag in value.split(":"):  # LANGUAGE may list several: the first one we have wins
            found = normalize(tag)
            if found:
                return found
        if name != "LANGUAGE":
            return "en"  # the first locale variable that is set decides (as the C library does)
    return "en"


def set_language(lang: str) -> str:
    """Switch every later ``_()`` to ``lang`` (normalized); returns the language in use."""
    global _current, _language
    code = normalize(lang) or "en"
    if code == PSEUDO:
        _current = PseudoTranslations()
    elif code == "en":
        _current = gettext.NullTranslations()
    else:
        _current = load_catalog(code) or gettext.NullTranslations()
    _language = code
    os.environ[INHERITED] = code
    return code


def setup(explicit: str | None = None, preference: str | None = None) -> str:
    """Choose and switch; an explicit choice (``--lang``) is remembered for :func:`apply_preference`."""
    global _explicit
    if explicit:
        _explicit = explicit
    return set_language(choose(_explicit, preference))


def apply_preference(preference: str | None) -> str:
    """The window's language preference (``system`` or a code), unless ``--lang`` chose already."""
    return set_language(choose(_explicit, preference))


def load_catalog(code: str, folder: Path = LOCALE_DIR) -> gettext.NullTranslations | None:
    """The compiled catalogue when the build made one, else the source catalogue read directly."""
    base = folder / code / "LC_MESSAGES"
    mo, po = base / f"{DOMAIN}.mo", base / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        return PoTranslations(po)
    return None


# --- reading a .po file (a checkout or an editable install has no compiled catalogues) ---

_PLURAL = re.compile(r"plural=([^;]+)")
_NPLURALS = re.compile(r"nplurals=\s*(\d+)")


def parse_po(text: str) -> tuple[dict[str, str], dict[tuple[str, int], str], str]:
    """(singular messages, plural messages by (msgid, index), the Plural-Forms header); fuzzy entries are left out."""
    singles: dict[str, str] = {}
    plurals: dict[tuple[str, int], str] = {}
    header = ""
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.strip().splitlines()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if fuzzy and not any(line == 'msgid ""' for line in lines):
            continue
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
                continue
            key, _sep, rest = line.partition(" ")
            fields[key] = ast.literal_eval(rest)
        msgid = fields.get("msgid")
        if msgid is None:
            continue
        if msgid == "":
            header = fields.get("msgstr", "")
        elif "msgid_plural" in fields:
            for name, value in fields.items():
                if name.startswith("msgstr[") and value:
                    plurals[(msgid, int(name[7:-1]))] = value
        elif fields.get("msgstr"):
            singles[msgid] = fields["msgstr"]
    return singles, plurals, header


class PoTranslations(gettext.NullTranslations):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.singles, self.plurals, header = parse_po(path.read_text(encoding="utf-8"))
        rule = _PLURAL.search(header)
        self.plural: Callable[[int], int] = gettext.c2py(rule.group(1)) if rule else (lambda n: int(n != 1))

    def gettext(self, message: str) -> str:
        return self.singles.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self.plurals.get((msgid1, self.plural(n)))
        if found:
            return found
        return msgid1 if n == 1 else msgid2


# --- the pseudo-locale ---

_ACCENTS = str.maketrans(
    "aeiouycnsAEIOUYCNSz",
    "àéîöûÿçñšÅÉÎÖÛÝÇÑŠž",
)
_PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdifr]|%[sdif]|\{[a-z_0-9]*\}|&(?=\w)|<[^>]+>|\n")


def pseudo(message: str) -> str:
    """``Open %(name)s`` -> ``⟦Öpéñ %(name)s ·····⟧``: accented, about 40 % longer, placeholders and markup kept."""
    if not message:
        return message
    parts: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(message):
        parts.append(message[last : match.start()].translate(_ACCENTS))
        parts.append(match.group(0))
        last = match.end()
    parts.append(message[last:].translate(_ACCENTS))
    visible = len(_PLACEHOLDER.sub("", message))
    padding = "·" * max(1, round(visible * 0.4) - 2)
    return f"⟦{''.join(parts)} {padding}⟧"


def is_pseudo(text: str) -> bool:
    """Whether a piece of shown text came from a catalogue in the pseudo-locale."""
    return "⟦" in text and "⟧" in text


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


if os.environ.get(INHERITED, "en") != "en":  # a process started by one that speaks another language
    set_language(os.environ[INHERITED])
