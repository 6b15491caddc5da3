"""A sample cafe receipt (previews, benchmarks, golden tests) and the printer test page."""

from __future__ import annotations

from datetime import datetime

from kspos.money import vat_split
from kspos.receipts.layout import Builder, Layout, store_block
from kspos.receipts.model import (
    CardTender,
    CashReceipt,
    CashReceiptPurpose,
    CashTender,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    StoreHeader,
    Totals,
)

SAMPLE_STORE = StoreHeader(name="카페 예시", business_number="2208162517", owner="홍길동",
                           address="서울특별시 중구 세종대로 110 1층", phone="02-000-0000")


def sample_receipt(*, training: bool = False, reprint: bool = False,
                   kind: ReceiptKind = ReceiptKind.SALE) -> Receipt:
    """A cafe sale: options, a 서비스 line, a line and an order discount, a tax-free item,
    card + cash (with a 현금영수증) tenders."""
    lines = (
        ReceiptLine("아메리카노", 2, 10_000, options=("ICE", "샷 추가 +500")),
        ReceiptLine("카페라떼", 1, 5_500, options=("HOT", "오트밀크 변경 +500"), discount=500),
        ReceiptLine("제주 유기농 말차 크림 프라푸치노 (벤티)", 1, 6_900),
        ReceiptLine("유기농 바나나", 1, 1_000, tax_free=True),
        ReceiptLine("초코칩 쿠키", 1, 2_500, service=True),
    )
    total = 21_900
    return Receipt(
        store=SAMPLE_STORE,
        kind=kind,
        receipt_no="20261125-0042",
        issued_at=datetime(2026, 11, 25, 14, 3, 22),
        lines=lines,
        order_discount=1_000,
        totals=Totals.from_split(vat_split(total, tax_free=1_000)),
        tenders=(
            CardTender(15_000, issuer="신한카드", masked_pan="536510******0006",
                       approval_no="30012345", installment=0, merchant_no="123456789",
                       acquirer="신한카드", approved_at=datetime(2026, 11, 25, 14, 3, 20)),
            CashTender(6_900, received=10_000, change=3_100,
                       cash_receipt=CashReceipt(CashReceiptPurpose.DEDUCTION, "010****5678",
                                                "123456789")),
        ),
        training=training,
        reprint=reprint,
        qr="KSPOS 20261125-0042",
        footer=("교환·환불은 영수증 지참 시 7일 이내", "감사합니다. 또 오세요!"),
        original_receipt_no="20261125-0041" if kind is not ReceiptKind.SALE else "",
        cashier="김민지",
    )


def test_page(columns: int, spec: str, mode: str, when: datetime,
              store: StoreHeader = SAMPLE_STORE) -> Layout:
    """The ``kspos device print-test`` page: store header, Hangul and English lines, a ruler
    for every width, a sample item table, a QR code."""
    b = Builder(columns)
    store_block(b, store)
    b.rule("=")
    b.text("프린터 테스트", "center", bold=True, double=True)
    b.text("PRINTER TEST", "center", bold=True)
    b.field("프린터", spec)
    b.field("모드", f"{mode} / {columns} 칸 (columns)")
    b.field("시각", f"{when:%Y-%m-%d %H:%M:%S}")
    b.rule("-")
    b.text("한글 출력 확인: 가나다라마바사 아자차카타파하")
    b.text("English: The quick brown fox 0123456789")
    b.text("기호: ￦4,500원 (ICE) 50% #1 @home ※")
    b.text("KS X 1001 밖 글자: 똠 (이 줄은 이미지)")
    b.rule("-")
    for width in (32, 42, 48):
        if width <= columns:
            ruler = "".join(str(i % 10) for i in range(1, width + 1))
            b.text(f"{width} 칸 (columns)")
            b.text(ruler)
    b.rule("=")
    b.row("상품명", "수량", "금액")
    b.rule("-")
    b.row("아메리카노 (ICE)", "2", "9,000")
    b.indented("+ 샷 추가", 2)
    b.row("Croissant", "1", "3,800")
    b.row("서비스 쿠키", "1", "서비스")
    b.rule("-")
    b.pair("합계", "12,800", bold=True, double=True)
    b.rule("=")
    b.feed()
    b.qr("KSPOS PRINT TEST")
    b.text("QR 코드가 보이면 정상입니다", "center")
    return b.layout()
