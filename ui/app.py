"""The Qt application: fonts, theme, translations, the main window, and offscreen screenshots."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget, QWidget

from ui.i18n import install_language
from ui.ops import WorkerPool, install_pool
from ui.theme import FONT_FAMILIES, build_qss

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)


def ensure_app(lang: str = "ko") -> QApplication:
    """The one QApplication, themed, with a Hangul-capable font and the language installed."""
    app = QApplication.instance()
    created = app is None
    if app is None:
        # The style by argument, not setStyle(): touching QStyle from Python builds its
        # enums (~20 ms of start-up), and the argument gives the same Fusion style.
        app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    assert isinstance(app, QApplication)
    if not app.property("kspos_themed"):
        app.setApplicationName("KSPOS#")
        available = set(QFontDatabase.families())
        families = [f for f in FONT_FAMILIES if f in available] or ["sans-serif"]
        font = QFont()
        font.setFamilies(families)
        font.setPixelSize(16)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        app.setFont(font)
        if not created:
            app.setStyle("Fusion")
        app.setStyleSheet(build_qss())
        app.setProperty("kspos_themed", True)
        if not any(f in available for f in FONT_FAMILIES[:-1]):
            log.warning("no Korean font found (install fonts-nanum): Hangul may render as boxes")
    install_language(app, lang)
    return app


class MainWindow(QMainWindow):
    """Holds the screens in a stack; the cashier screen is home."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(f"KSPOS# — {context.settings.store.name}")
        self.setMinimumSize(QSize(1024, 768))
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.screens: dict[str, QWidget] = {}
        self.workers = WorkerPool()  # this window's device threads, stopped when it closes
        install_pool(self.workers)
        # A restaurant's home is its floor plan: the owner screens' back buttons (which ask
        # for "cashier") go there; 포장 주문 opens the cashier screen itself (exact=True).
        self.home = "tables" if getattr(context.settings.store, "kind", "cafe") == "restaurant" \
            and getattr(context, "checks", None) is not None else "cashier"
        cashier = self.show_screen("cashier", exact=True)
        if self.home != "cashier":
            self.show_screen(self.home)
        scanner = context.devices.scanner
        if scanner is not None and scanner.keyboard_wedge:
            from ui.widgets.wedge import install_wedge

            app = QApplication.instance()
            assert app is not None
            self.wedge = install_wedge(app)
            self.wedge.scanned.connect(cashier.scans.feed)  # type: ignore[attr-defined]
        self.customer_windows: list[QWidget] = []

    def open_customer_windows(self) -> None:
        """The windows facing the customer ([ui] customer_display, order_board = "screen:N"),
        each full screen on its screen. A screen that is not there is said on the device
        banner; the window is not put over the cashier's."""
        ui = self.context.settings.ui
        wanted: list[tuple[str, int | None, str]] = [
            ("customer_display", ui.customer_screen, "ui.screens.customer_display"),
            ("order_board", ui.board_screen, "ui.screens.order_call")]
        for name, index, module_name in wanted:
            if index is None:
                continue
            import importlib

            from ui.screens.customer_display import open_on_screen

            module = importlib.import_module(module_name)
            factory = module.CustomerDisplayWindow if name == "customer_display" \
                else module.OrderBoardWindow
            window = factory(self.context)
            problem = open_on_screen(window, index)
            if problem:
                log.warning("%s: %s", name, problem)
                self.context.devices.problems[name] = problem
                window.deleteLater()
                continue
            self.customer_windows.append(window)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        from ui.screens import RunsInBackground

        for screen in [*self.screens.values(), *self.customer_windows]:
            if isinstance(screen, RunsInBackground):  # no polls or saves against a closing store
                screen.stop_background()
        for window in self.customer_windows:
            window.close()
        super().closeEvent(event)
        self.workers.stop()  # their jobs end before the store's database closes after us

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._drop_untranslated_screens()
        super().changeEvent(event)

    def _drop_untranslated_screens(self) -> None:
        """After a live language switch, a screen that does not retranslate itself is built
        again, in the new language, when it is next shown (the switch is made on the cashier
        screen, so they are hidden; what they show is read again on every visit anyway)."""
        from ui.screens import Retranslates, RunsInBackground

        current = self.stack.currentWidget()
        for name, widget in list(self.screens.items()):
            if widget is current or isinstance(widget, Retranslates):
                continue
            if isinstance(widget, RunsInBackground):
                widget.stop_background()
            self.stack.removeWidget(widget)
            widget.deleteLater()
            del self.screens[name]

    def screen_widget(self, name: str) -> QWidget:
        if name not in self.screens:
            from ui.screens import create_screen

            widget = create_screen(name, self.context, self)
            self.screens[name] = widget
            self.stack.addWidget(widget)
        return self.screens[name]

    def show_screen(self, name: str, exact: bool = False) -> QWidget:
        """Show screen ``name``; "cashier" means the home screen unless ``exact``."""
        if name == "cashier" and not exact:
            name = self.home
        widget = self.screen_widget(name)
        self.stack.setCurrentWidget(widget)
        return widget


def run_app(context: AppContext, fullscreen: bool = False) -> int:
    """Open the main window and run the event loop until the cashier closes it."""
    app = ensure_app(context.lang)
    window = MainWindow(context)
    if fullscreen:
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()
    window.open_customer_windows()
    app.processEvents()
    context.start_background()  # after the first paint: finish old 망취소, warm the services
    try:
        return int(app.exec())
    finally:
        window.workers.stop()  # a print or a save still running ends before the store closes
        try:  # an order left on the counter is found in 보류목록 at the next start
            context.register.checkpoint()
        except Exception:  # noqa: BLE001 - closing must reach the database
            log.exception("saving the order on the counter at exit")
        context.close()


def _compose_dialogs(window: QMainWindow, pixmap: QPixmap) -> QPixmap:
    """Paint open dialogs over the dimmed window, as the cashier sees them."""
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible()]
    if not dialogs:
        return pixmap
    painter = QPainter(pixmap)
    painter.fillRect(pixmap.rect(), QColor(0, 0, 0, 110))
    for dialog in dialogs:
        dialog.adjustSize()
        image = dialog.grab()
        x = max(0, (pixmap.width() - image.width()) // 2)
        y = max(0, (pixmap.height() - image.height()) // 2)
        painter.drawPixmap(x, y, image)
    painter.end()
    return pixmap


def shoot_screen(context: AppContext, screen: str, out: Path, size: tuple[int, int]) -> None:
    """Render ``screen`` at ``size`` to a PNG, as a cashier would see it."""
    app = ensure_app(context.lang)
    window = MainWindow(context)
    window.setMinimumSize(QSize(320, 240))
    window.resize(*size)
    from ui.screens import prepare_for_shot

    widget = window.show_screen(screen, exact=True)
    prepare_for_shot(screen, widget, window)
    window.show()
    for _ in range(5):
        app.processEvents()
    pixmap = _compose_dialogs(window, window.grab())
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out), "PNG", 80):  # light compression (90+ writes it raw: 3 MB)
        raise OSError(f"Qt could not write {out}")
    for top in QGuiApplication.topLevelWindows():
        top.close()
    window.close()
    window.workers.stop()
    context.close()
