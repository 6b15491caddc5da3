"""Writing a summary out: JSON (the CLI contract), a text table, CSV for Excel, and XLSX."""

from __future__ import annotations

from kspos.reports.summary import GROUP_WORDS, KEY_WORDS, SalesSummary, other_info, overview

# ``kspos report --format json`` imports this module: csv, the text-width tables, pathlib and
# typing load only for the formats (and the screen's helpers) that use them.
TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

TOTAL_FIELDS = ("orders", "gross", "discounts", "service", "refunds", "net_sales", "vat",
                "supply", "tax_free", "refund_count", "guests")
ROW_HEADERS = ("순서", "", "건수", "수량", "서비스", "금액", "%")


def as_json(summary: SalesSummary, by: str) -> dict[str, Any]:
    """The ``kspos report sales --format json`` object (ARCHITECTURE.md field names)."""
    t = summary.totals
    return {
        "from": summary.date_from.isoformat(), "to": summary.date_to.isoformat(), "by": by,
        "totals": {**{name: getattr(t, name) for name in TOTAL_FIELDS},
                   "per_guest": t.per_guest},
        "rows": [{"key": r.key, "label": r.label, "orders": r.tally.orders, "qty": r.tally.qty,
                  "service_qty": r.tally.service_qty, "net_sales": r.tally.net_sales,
                  "guests": r.tally.guests, "share": r.share} for r in summary.rows(by)],
    }


def table_rows(summary: SalesSummary, by: str) -> list[list[Any]]:
    """Header, one row per group (순서, name, 건수, 수량, 서비스, 금액, %), and 합계."""
    header = list(ROW_HEADERS)
    header[1] = KEY_WORDS[by]
    rows: list[list[Any]] = [header]
    for n, r in enumerate(summary.rows(by), start=1):
        rows.append([n, r.label, r.tally.orders, r.tally.qty, r.tally.service_qty,
                     r.tally.net_sales, r.share])
    t = summary.totals
    rows.append(["합계", "", t.orders, t.qty, t.service_qty, t.net_sales,
                 100.0 if t.net_sales else 0.0])
    return rows


def as_text(summary: SalesSummary, by: str) -> str:
    """A terminal table: Hangul counted two columns wide, numbers right-aligned."""
    from kspos.receipts.textwidth import pad, text_width

    rows = table_rows(summary, by)
    cells = [[_cell(v, i) for i, v in enumerate(row)] for row in rows]
    widths = [max(text_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = [f"판매집계 {summary.date_from} ~ {summary.date_to} ({GROUP_WORDS[by]})", ""]
    for index, row in enumerate(cells):
        lines.append("  ".join(pad(text, widths[i], "left" if i == 1 else "right")
                               for i, text in enumerate(row)).rstrip())
        if index == 0 or index == len(cells) - 2:
            lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    lines.append("")
    for line in overview(summary):
        lines.append(f"{pad(line.label, 10)}{line.count:>10,}{line.amount:>16,}")
    for label, value in other_info(summary):
        lines.append(f"{pad(label, 14)}{value:>22}")
    return "\n".join(lines) + "\n"


def _cell(value: Any, column: int) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int) and column >= 2:
        return f"{value:,}"
    return str(value)


def as_csv(summary: SalesSummary, by: str) -> bytes:
    """CSV in UTF-8 with a BOM (Excel then reads Hangul right); plain numbers, no separators."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table_rows(summary, by):
        writer.writerow([f"{v:.2f}" if isinstance(v, float) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_path(data_dir: Path, summary: SalesSummary, ext: str) -> Path:
    """Where the 판매집계 screen saves an export: ``<data dir>/exports/판매집계_FROM_TO.ext``."""
    return data_dir / "exports" / f"판매집계_{summary.date_from}_{summary.date_to}.{ext}"


def write_xlsx(summary: SalesSummary, by: str | tuple[str, ...], path: Path) -> None:
    """An Excel workbook: 판매집계 (overview + 기타정보), one sheet per grouping in ``by``,
    and 부가세 신고 자료. Amounts are numbers (formatted #,##0), not text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    head = Font(bold=True)
    sheet = book.active
    sheet.title = "판매집계"
    sheet.append([f"판매집계 {summary.date_from} ~ {summary.date_to}"])
    sheet.append(["구분", "건수", "금액"])
    for line in overview(summary):
        sheet.append([line.label, line.count, line.amount])
    sheet.append([])
    sheet.append(["기타정보", "", "값"])
    for label, value in other_info(summary):
        sheet.append([label, "", value])
    _style(sheet, head, {1: 16, 2: 12, 3: 18}, (2, len(overview(summary)) + 4))
    for grouping in (by,) if isinstance(by, str) else [g for g in by
                                                         if g in summary.groupings()]:
        group = book.create_sheet(GROUP_WORDS[grouping])
        for row in table_rows(summary, grouping):
            group.append(row)
        _style(group, head, {1: 8, 2: 28, 3: 10, 4: 10, 5: 10, 6: 16, 7: 10}, (1, group.max_row))
        for cells in group.iter_rows(min_row=2, min_col=7, max_col=7):
            for cell in cells:
                cell.number_format = "0.00"
    _vat_sheet(book, summary, head)
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, int) and cell.number_format == "General":
                    cell.number_format = "#,##0"
                    cell.alignment = Alignment(horizontal="right")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _vat_sheet(book: Any, summary: SalesSummary, head: Any) -> None:
    from kspos.reports.vat import vat_filing

    tax = book.create_sheet("부가세 신고 자료")
    tax.append(["구분", "건수", "합계", "공급가액", "부가세", "면세"])
    for r in vat_filing(summary).rows:
        tax.append([r.label, r.count, r.total, r.supply, r.vat, r.tax_free])
    _style(tax, head, {1: 22, 2: 10, 3: 16, 4: 16, 5: 14, 6: 14}, (1, tax.max_row))


def _style(sheet: Any, head: Any, widths: dict[int, int], header_rows: tuple[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cell in sheet[header_rows[0]]:
        cell.font = head
    for cell in sheet[sheet.max_row]:
        if cell.value == "합계":
            for c in sheet[sheet.max_row]:
                c.font = head
