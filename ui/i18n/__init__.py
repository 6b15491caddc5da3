"""Korean is the source language; English comes from a Qt translator switchable at runtime.

Widgets write Korean through ``tr()`` and rebuild their texts on ``QEvent.LanguageChange``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from ui.i18n.en import EN


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
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if lang == "en":
        _installed = DictTranslator(EN)
        app.installTranslator(_installed)
    app.setProperty("kspos_lang", lang)


def current_language() -> str:
    app = QCoreApplication.instance()
    return str(app.property("kspos_lang") or "ko") if app else "ko"


def t(text: str) -> str:
    """Translate a Korean UI string for the current language."""
    return QCoreApplication.translate("kspos", text)
