"""The keyboard-wedge filter in a real Qt event loop: a scanner burst becomes ``scanned`` and
never lands in the focused field; a person's typing reaches the field unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from ui.widgets.wedge import WedgeFilter, install_wedge


@pytest.fixture
def field(qapp, qtbot) -> Iterator[tuple[QLineEdit, WedgeFilter, list[str]]]:  # type: ignore[no-untyped-def]
    line = QLineEdit()
    qtbot.addWidget(line)
    line.show()
    line.setFocus()
    wedge = install_wedge(qapp)
    codes: list[str] = []
    wedge.scanned.connect(codes.append)
    yield line, wedge, codes
    qapp.removeEventFilter(wedge)
    wedge.deleteLater()


def test_a_scanner_burst_is_emitted_and_kept_out_of_the_field(field, qtbot) -> None:  # type: ignore[no-untyped-def]
    line, _, codes = field
    QTest.keyClicks(line, "2810061234567890")
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.wait(80)
    assert codes == ["2810061234567890"]
    assert line.text() == ""


def test_typing_reaches_the_field_in_order(field, qtbot) -> None:  # type: ignore[no-untyped-def]
    line, _, codes = field
    for char in "1500":
        QTest.keyClick(line, char)
        qtbot.wait(90)  # a person: far slower than a scanner
    qtbot.waitUntil(lambda: line.text() == "1500", timeout=1000)
    assert codes == []


def test_enter_after_typing_still_reaches_the_field(field, qtbot) -> None:  # type: ignore[no-untyped-def]
    line, _, codes = field
    pressed: list[str] = []
    line.returnPressed.connect(lambda: pressed.append(line.text()))
    QTest.keyClicks(line, "12")
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.wait(80)
    assert pressed == ["12"] and codes == []


def test_shortcuts_and_arrows_pass_untouched(field, qtbot) -> None:  # type: ignore[no-untyped-def]
    line, _, codes = field
    QTest.keyClicks(line, "ab")
    QTest.keyClick(line, Qt.Key.Key_Left)
    QTest.keyClick(line, "x")
    qtbot.wait(80)
    assert line.text() == "axb" and codes == []
