"""Korean is the source language; English comes from a Qt translator switchable at runtime.

Widgets write Korean through ``tr()`` and rebuild their texts on ``QEvent.LanguageChange``.
A refusal from the core is a :class:`kspos.messages.DomainError` (a code and parameters):
:func:`message` gives its whole sentence in the current language. Other texts from the core
(device and host words) are written "한국어 (English)"; :func:`localize` shows the part for
the current language, and :func:`won` writes an amount the way each language reads it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from kspos.messages import DomainError
from kspos.money import won_in
from ui.i18n.en import EN

# What a message label or dialog takes: a text, or an error from the core to say in words.
Shown = str | BaseException


class DictTranslator(QTranslator):
    """A QTranslator backed by a ko → en table (no compiled .qm needed)."""

    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return self.table.get(source, source)  # untranslated stays readable, never blank

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


_installed: DictTranslator | None = None


def install_language(app: QCoreApplication, lang: str) -> None:
    """Switch the running app to ``lang`` ("ko" or "en"); widgets get LanguageChange."""
    global _installed
    app.setProperty("kspos_lang", lang)  # before the translator: LanguageChange handlers ask
    # Calendars, date pickers and file dialogs speak the language of the rest of the screen.
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
                       if lang == "en" else
                       QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if lang == "en":
        _installed = DictTranslator(EN)
        app.installTranslator(_installed)


def current_language() -> str:
    app = QCoreApplication.instance()
    return str(app.property("kspos_lang") or "ko") if app else "ko"


def t(text: str) -> str:
    """Translate a Korean UI string for the current language."""
    return QCoreApplication.translate("kspos", text)


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_LOWER = re.compile(r"[a-z]")  # a gloss is words ("sold out"), not a code ("ICE", "VISA")
_SEGMENT = re.compile(r"( · |\n| — )")


def has_hangul(text: str) -> bool:
    """Whether ``text`` holds any Korean letters."""
    return bool(_HANGUL.search(text))


def _split_pair(segment: str) -> tuple[str, str] | None:
    """("한국어", "English") when ``segment`` ends in an English gloss in parentheses."""
    stripped = segment.rstrip()
    if not stripped.endswith(")"):
        return None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(stripped[index], 0)
        if depth == 0:
            break
    else:
        return None
    korean, english = stripped[:index].rstrip(), stripped[index + 1:-1].strip()
    if not has_hangul(korean) or has_hangul(english) or not _LOWER.search(english):
        return None
    return korean, english


def _localize_segment(segment: str, lang: str) -> str:
    pair = _split_pair(segment)
    if pair is None:
        return segment
    korean, english = pair
    if lang != "en":
        return korean
    head, colon, _rest = korean.partition(": ")
    lead = f"{head}: " if colon and not has_hangul(head) else ""  # "Printer: " stays
    return lead + english[:1].upper() + english[1:]


def localize(text: str, lang: str | None = None) -> str:
    """A message for the screen in one language: each "한국어 (English)" part of ``text``
    (parts joined by " · ", " — " or lines) becomes the Korean or the English half."""
    if not text or "(" not in text:
        return text
    lang = lang or current_language()
    parts = _SEGMENT.split(text)
    return "".join(part if n % 2 else _localize_segment(part, lang)
                   for n, part in enumerate(parts))


def message(shown: Shown, lang: str | None = None) -> str:
    """The sentence for the screen: a core error's template in the current language (or
    ``lang``), any other error or text through :func:`localize` (a host's or a device's
    words nested in an error are localized the same way)."""
    lang = lang or current_language()
    if isinstance(shown, DomainError):
        return localize(shown.text(lang), lang)
    return localize(str(shown), lang)


def won(amount: int, lang: str | None = None) -> str:
    """``4,500원`` in Korean, ``4,500 won`` in English."""
    return won_in(amount, lang or current_language())


def waiting_to_print(count: int) -> str:
    """``인쇄 대기 3건`` / ``3 waiting to print``."""
    return f"인쇄 대기 {count}건" if current_language() != "en" else f"{count} waiting to print"


def printed_count(count: int) -> str:
    """``2건 인쇄`` / ``2 printed``."""
    return f"{count}건 인쇄" if current_language() != "en" else f"{count} printed"


_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(day: str) -> str:
    """``2026-11-25 (수)`` / ``2026-11-25 (Wed)``."""
    from datetime import date

    from kspos.reports.periods import day_label

    if current_language() != "en":
        return day_label(day)
    return f"{day} ({_EN_WEEKDAYS[date.fromisoformat(day).weekday()]})"
