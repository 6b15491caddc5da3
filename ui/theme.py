"""Design tokens (shared/design/ui.md) and the one QSS built from them.

Widgets pick styles by objectName or a dynamic ``role`` property; no widget carries its own
stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tokens:
    background: str = "#F5F6F8"
    surface: str = "#FFFFFF"
    text: str = "#1B1D21"
    muted: str = "#6B7280"
    border: str = "#E2E5EA"
    primary: str = "#2563EB"
    primary_dark: str = "#1D4ED8"
    danger: str = "#DC2626"
    warning: str = "#F59E0B"
    success: str = "#16A34A"
    selected: str = "#DBEAFE"
    disabled_bg: str = "#E5E7EB"
    disabled_text: str = "#6B7280"
    target: int = 48  # minimum touch target, px
    menu_target: int = 64  # menu items and payment buttons
    body_px: int = 16
    item_px: int = 18
    total_px: int = 32
    radius: int = 8
    spacing: int = 8
    # restaurant floor: a table's state as its tile's fill (text stays `text`: ≥ 4.5:1)
    table_empty: str = "#FFFFFF"
    table_ordering: str = "#BFDBFE"
    table_billed: str = "#FDE68A"
    table_paying: str = "#BBF7D0"
    table_selected: str = "#1B1D21"  # the editor's chosen table, the picker's target


TOKENS = Tokens()
FONT_FAMILIES = ["Noto Sans CJK KR", "NanumGothic", "NanumBarunGothic", "Noto Sans KR",
                 "Malgun Gothic", "Apple SD Gothic Neo", "sans-serif"]


def build_qss(t: Tokens = TOKENS) -> str:
    """The application stylesheet."""
    return f"""
* {{ font-size: {t.body_px}px; color: {t.text}; }}
QMainWindow, QDialog, #Screen {{ background: {t.background}; }}
QWidget#Panel {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: {t.radius}px; }}
QWidget#Surface {{ background: {t.surface}; }}
QWidget#Sheet {{ background: {t.background}; }}
QLabel[role="muted"] {{ color: {t.muted}; }}
QLabel[role="title"] {{ font-size: 20px; font-weight: bold; }}
QLabel[role="total"] {{ font-size: {t.total_px}px; font-weight: bold; }}
QLabel[role="total-caption"] {{ font-size: 20px; font-weight: bold; }}
QLabel[role="big-amount"] {{ font-size: 40px; font-weight: bold; }}
QLabel[role="change"] {{ font-size: 40px; font-weight: bold; color: {t.success}; }}
QLabel[role="error"] {{ color: {t.danger}; font-weight: bold; }}
QLabel[role="success"] {{ color: {t.success}; font-weight: bold; }}
QLabel[role="banner-training"] {{ background: {t.warning}; color: #1B1D21; padding: 0 8px;
    font-size: 14px; font-weight: bold; border-radius: 4px; }}
QLabel[role="banner-warning"] {{ background: {t.warning}; color: #1B1D21; padding: 8px 16px;
    font-weight: bold; border-radius: {t.radius}px; }}
QLabel[role="banner-danger"] {{ background: {t.danger}; color: #FFFFFF; padding: 8px 16px;
    font-weight: bold; border-radius: {t.radius}px; }}
QLabel[role="status"] {{ color: {t.muted}; font-size: 14px; }}
QLabel[role="status-warning"] {{ background: {t.warning}; color: #1B1D21; font-size: 14px;
    font-weight: bold; padding: 0 8px; border-radius: 4px; }}
QLabel[role="caption"] {{ color: {t.muted}; font-size: 13px; }}
QLabel[role="stat"] {{ font-size: 17px; font-weight: bold; }}
QLabel[role="amount-ok"] {{ font-size: 32px; font-weight: bold; color: {t.success}; }}
QLabel[role="amount-bad"] {{ font-size: 32px; font-weight: bold; color: {t.danger}; }}
QPushButton[role="count-row"] {{ text-align: left; padding: 0 16px; font-size: 18px; }}
QPushButton[role="count-row"]:checked {{ background: {t.selected}; border: 2px solid {t.primary}; }}
QListWidget#ItemGrid::item, QListWidget#CategoryList::item {{ border: 1px solid {t.border};
    border-radius: {t.radius}px; margin: 2px; background: {t.surface}; }}
QListWidget#ItemGrid::item:selected, QListWidget#CategoryList::item:selected {{
    background: {t.selected}; border: 2px solid {t.primary}; color: {t.text}; }}
QPushButton {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: {t.radius}px; min-height: {t.target}px; min-width: {t.target}px;
    padding: 0 12px; font-weight: bold; }}
QPushButton:pressed {{ background: {t.selected}; }}
QPushButton:disabled {{ background: {t.disabled_bg}; color: {t.disabled_text}; }}
QPushButton[role="primary"] {{ background: {t.primary}; color: #FFFFFF; border: none; }}
QPushButton[role="primary"]:pressed {{ background: {t.primary_dark}; }}
QPushButton[role="primary"]:disabled {{ background: {t.disabled_bg}; color: {t.disabled_text}; }}
QPushButton[role="danger"] {{ color: {t.danger}; border: 1px solid {t.danger}; }}
QPushButton[role="danger"]:disabled {{ color: {t.disabled_text}; border: 1px solid {t.border}; }}
QPushButton[role="pay"] {{ background: {t.primary}; color: #FFFFFF; border: none;
    min-height: {t.menu_target}px; font-size: 18px; }}
QPushButton[role="pay"]:disabled {{ background: {t.disabled_bg}; color: {t.disabled_text}; }}
QPushButton[role="key"] {{ min-height: 56px; font-size: 22px; }}
QPushButton[role="choice"]:checked {{ background: {t.primary}; color: #FFFFFF;
    border: none; }}
QPushButton[role="tab"] {{ min-height: 56px; padding: 0 20px; font-size: 18px;
    border-radius: {t.radius}px; }}
QPushButton[role="tab"]:checked {{ background: {t.text}; color: #FFFFFF; border: none; }}
QToolButton[role="menu-item"] {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: {t.radius}px; min-height: 88px; font-size: {t.item_px}px;
    font-weight: bold; padding: 6px; }}
QToolButton[role="menu-item"]:pressed {{ background: {t.selected}; }}
QToolButton[role="menu-item"]:disabled {{ background: {t.disabled_bg}; color: {t.disabled_text}; }}
QListWidget, QTableWidget, QTableView {{ background: {t.surface}; border: none;
    selection-background-color: {t.selected}; selection-color: {t.text}; }}
QHeaderView::section {{ background: {t.background}; border: none; padding: 6px;
    font-weight: bold; color: {t.muted}; }}
QLineEdit, QSpinBox, QComboBox, QDateEdit {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: {t.radius}px; min-height: {t.target}px; padding: 0 8px; }}
QMenu {{ background: {t.surface}; border: 1px solid {t.border}; padding: 4px; }}
QMenu::item {{ min-height: {t.target}px; padding: 0 24px 0 16px; font-size: 17px; }}
QMenu::item:selected {{ background: {t.selected}; }}
QMenu::indicator {{ width: 20px; height: 20px; left: 4px; }}
QMenu::separator {{ height: 1px; background: {t.border}; margin: 4px 8px; }}
QListWidget[touch="true"]::item {{ min-height: {t.target}px; padding: 0 8px;
    border-bottom: 1px solid {t.border}; }}
QListWidget[touch="true"]::item:selected {{ background: {t.selected}; color: {t.text}; }}
QCalendarWidget QToolButton {{ min-height: {t.target}px; min-width: {t.target}px;
    font-weight: bold; }}
QCalendarWidget QAbstractItemView {{ font-size: 17px; }}
QScrollBar:vertical {{ width: 14px; background: {t.background}; }}
QScrollBar::handle:vertical {{ background: #C4C9D1; border-radius: 6px; min-height: 40px; }}
QWidget[role="device-card"] {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: {t.radius}px; }}
QLabel[role="card-title"] {{ font-size: {t.item_px}px; font-weight: bold; }}
QPushButton[compact="true"] {{ padding: 0 4px; }}
QLabel[role="dot-ok"] {{ background: {t.success}; border-radius: 8px; }}
QLabel[role="dot-warn"] {{ background: {t.warning}; border-radius: 8px; }}
QLabel[role="dot-bad"] {{ background: {t.danger}; border-radius: 8px; }}
QLabel[role="dot-busy"] {{ background: {t.primary}; border-radius: 8px; }}
QLabel[role="dot-unknown"] {{ background: #C4C9D1; border-radius: 8px; }}
QLabel[role="status-words"] {{ font-size: 17px; font-weight: bold; }}
QLabel[role="status-bad"] {{ font-size: 17px; font-weight: bold; color: {t.danger}; }}
QLabel[role="spec"] {{ color: {t.muted}; font-size: 14px; }}
QLabel[role="result"] {{ font-size: 15px; }}
QLabel[role="result-bad"] {{ font-size: 15px; color: {t.danger}; }}
QLabel[role="result-busy"] {{ font-size: 15px; color: {t.muted}; }}
QLabel[role="legend-empty"] {{ background: {t.table_empty}; border: 1px solid {t.border};
    border-radius: 4px; }}
QLabel[role="legend-ordering"] {{ background: {t.table_ordering}; border-radius: 4px; }}
QLabel[role="legend-billed"] {{ background: {t.table_billed}; border-radius: 4px; }}
QLabel[role="legend-paying"] {{ background: {t.table_paying}; border-radius: 4px; }}
QLabel[role="round-header"] {{ color: {t.muted}; font-size: 14px; font-weight: bold;
    padding: 6px 12px 2px 12px; }}
QTableWidget#check-lines::item {{ padding: 0 8px; }}
QLabel[role="due"] {{ font-size: 22px; font-weight: bold; color: {t.danger}; }}
QWidget#CustomerDisplay {{ background: {t.background}; }}
QLabel[role="cd-store"] {{ font-size: 56px; font-weight: bold; }}
QLabel[role="cd-caption"] {{ font-size: 24px; color: {t.muted}; font-weight: bold; }}
QLabel[role="cd-total"] {{ font-size: 56px; font-weight: bold; }}
QLabel[role="cd-amount"] {{ font-size: 48px; font-weight: bold; color: {t.primary}; }}
QLabel[role="cd-prompt"] {{ font-size: 36px; font-weight: bold; }}
QLabel[role="cd-change"] {{ font-size: 48px; font-weight: bold; color: {t.success}; }}
QLabel[role="cd-done"] {{ font-size: 44px; font-weight: bold; color: {t.success}; }}
QLabel[role="cd-order-no"] {{ font-size: 140px; font-weight: bold; }}
QTableWidget#cd-lines {{ font-size: 26px; }}
QTableWidget#cd-lines::item {{ padding: 0 12px; }}
QTableWidget#cd-lines QHeaderView::section {{ font-size: 20px; }}
QTableWidget#TrafficTable {{ font-size: 13px; }}
QDialog#ReceiptChoiceDialog QPushButton {{ min-height: 96px; min-width: 200px; font-size: 24px;
    font-weight: bold; }}
QPushButton[role="pickup-tile"] {{ min-height: 132px; min-width: 180px; text-align: left;
    border: 2px solid {t.border}; }}
QPushButton[role="pickup-tile"]:disabled {{ background: {t.selected}; }}
QLabel[role="pickup-number"] {{ font-size: 44px; font-weight: bold; }}
QLabel[role="pickup-lines"] {{ font-size: 15px; color: {t.muted}; }}
QLabel[role="pickup-ready"] {{ font-size: 28px; font-weight: bold; color: {t.success};
    padding: 0 4px 0 12px; }}
QPlainTextEdit#TrafficDump {{ font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace;
    font-size: 12px; background: {t.background}; border: 1px solid {t.border};
    border-radius: {t.radius}px; }}
"""
