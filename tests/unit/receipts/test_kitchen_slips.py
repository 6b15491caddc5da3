"""Kitchen slips (주방 주문서) as the kitchen's printer reads them: text and raster bytes through
the decoder, and which printer gets which lines."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image

from kspos.config.kitchen import KitchenSettings
from kspos.receipts.decode import decode, images_to_png
from kspos.receipts.kitchen import (
    as_reprint,
    render_slip,
    route,
    slip_from_json,
    slip_layout,
    slip_to_json,
)
from kspos.receipts.kitchen_slip import KitchenSlip, SlipLine

AT = datetime(2026, 12, 6, 19, 5)
ROUND = KitchenSlip(
    table="T12", round_no=2, at=AT, server="김민수", guests=4, zone="홀",
    order_ref="20261206-01-0007", memo="빨리 부탁드려요",
    lines=(SlipLine("김치찌개", 2, "식사", options="곱빼기", memo="덜 맵게"),
           SlipLine("참이슬", 1, "주류")))
CANCEL = KitchenSlip(table="룸 3", round_no=1, at=AT, server="이서연", cancel=True,
                     reason="손님 요청", lines=(SlipLine("된장찌개", 1, "식사"),))
KITCHENS = (KitchenSettings("주방", "sim", categories=("식사", "고기류")),
            KitchenSettings("바", "sim", categories=("주류", "음료")))


def rows(slip: KitchenSlip, columns: int = 48) -> list[str]:
    return [row.strip() for row in decode(render_slip(slip, "text", columns)).rows]


@pytest.mark.parametrize("columns", [48, 42, 32])
def test_a_text_slip_prints_the_table_large_then_the_round_and_its_lines(columns: int) -> None:
    printout = decode(render_slip(ROUND, "text", columns))
    printed = [row.strip() for row in printout.rows]
    assert "주방 주문서" in printed and "T12" in printed
    assert "T12" in [row.strip() for row in printout.double_rows]  # double width and height
    assert any(row.startswith("홀  2차") and row.endswith("인원 4명") for row in printed)
    assert any("12-06 19:05" in row and "담당 김민수" in row for row in printed)
    at = printed.index("2 × 김치찌개")
    assert printed[at + 1:at + 3] == ["* 곱빼기", "* 덜 맵게"]  # under their line, indented
    assert "1 × 참이슬" in printed and "메모: 빨리 부탁드려요" in printed
    assert "2 × 김치찌개" in [row.strip() for row in printout.double_rows]
    assert printout.cuts == 1 and "재출력" not in " ".join(printed)
    assert not any("취소" in row for row in printed)


def test_options_and_memos_are_indented_two_columns() -> None:
    layout = slip_layout(ROUND, 48).as_text()
    assert "  * 덜 맵게" in [row.rstrip() for row in layout]


def test_a_cancel_slip_says_so_large_with_its_lines_and_reason() -> None:
    printout = decode(render_slip(CANCEL, "text", 42))
    double = [row.strip() for row in printout.double_rows]
    assert "** 주문 취소 **" in double and "룸 3" in double
    printed = [row.strip() for row in printout.rows]
    assert "취소 1 × 된장찌개" in printed and "취소 사유: 손님 요청" in printed
    assert "주방 주문서" not in printed and printout.cuts == 1


def test_a_reprint_is_marked_and_otherwise_the_same_slip() -> None:
    again = rows(as_reprint(ROUND))
    assert "[재출력]" in again
    assert [row for row in again if row != "[재출력]"] == rows(ROUND)


def test_a_name_outside_the_firmware_code_still_prints_as_an_image_row() -> None:
    slip = KitchenSlip(table="T1", round_no=1, at=AT, server="", lines=(
        SlipLine("똠양꿍", 1, "식사"),))
    printout = decode(render_slip(slip, "text", 48))
    assert any(row.startswith("[image") for row in printout.rows)
    assert "T1" in [row.strip() for row in printout.rows]


def need_font() -> None:
    from kspos.receipts.fonts import ReceiptFontMissing, find_korean_font

    try:
        find_korean_font()
    except ReceiptFontMissing:
        pytest.skip("no Korean font on this machine")


def _ink_rows(data: bytes) -> list[int]:
    """Rows of the raster image holding any ink."""
    image = Image.open(io.BytesIO(images_to_png(decode(data).images))).convert("L")
    width = image.width
    pixels = image.tobytes()
    return [y for y in range(image.height) if min(pixels[y * width:(y + 1) * width]) < 128]


@pytest.mark.parametrize("columns", [48, 32])
def test_a_raster_slip_is_one_image_as_tall_as_its_lines_and_cut(columns: int) -> None:
    need_font()
    data = render_slip(ROUND, "raster", columns)
    printout = decode(data)
    assert printout.cuts == 1 and printout.images
    assert all(w == (576 if columns == 48 else 384) for w, _, _ in printout.images)
    assert not any(r for r in printout.rows if not r.startswith("[image"))  # no text rows
    bigger = render_slip(as_reprint(ROUND), "raster", columns)
    assert len(_ink_rows(bigger)) > len(_ink_rows(data))  # the 재출력 mark is drawn too


def test_the_table_name_is_drawn_twice_as_tall_as_a_normal_row_in_raster() -> None:
    from kspos.receipts.layout import Layout, TextLine
    from kspos.receipts.raster import renderer_for

    need_font()
    layout = slip_layout(ROUND, 48)
    table = next(line for line in layout.lines
                 if isinstance(line, TextLine) and line.text.strip() == "T12")
    normal = next(line for line in layout.lines
                  if isinstance(line, TextLine) and line.text.strip() == "주방 주문서")
    renderer = renderer_for(48)
    height = {name: renderer.draw(Layout(48, (line,))).height
              for name, line in (("table", table), ("normal", normal))}
    assert height["table"] == 2 * height["normal"]


def test_each_printer_gets_only_its_categories_lines() -> None:
    routed = {kitchen.name: slip for kitchen, slip in route(ROUND, KITCHENS)}
    assert [ln.name for ln in routed["주방"].lines] == ["김치찌개"]
    assert [ln.name for ln in routed["바"].lines] == ["참이슬"]
    assert routed["바"].table == "T12" and routed["바"].round_no == 2


def test_a_printer_without_lines_in_the_slip_and_unrouted_lines_get_nothing() -> None:
    only_food = KitchenSlip(table="T2", round_no=1, at=AT, server="", lines=(
        SlipLine("공기밥", 1, "식사"), SlipLine("물티슈", 1, "기타"), SlipLine("?", 1, "")))
    routed = route(only_food, KITCHENS)
    assert [(k.name, [ln.name for ln in s.lines]) for k, s in routed] == [("주방", ["공기밥"])]
    assert route(KitchenSlip(table="T3", round_no=1, at=AT, server="",
                             lines=(SlipLine("물티슈", 1, "기타"),)), KITCHENS) == []


def test_a_slip_survives_its_json_as_it_was() -> None:
    for slip in (ROUND, CANCEL, as_reprint(ROUND)):
        assert slip_from_json(slip_to_json(slip)) == slip
