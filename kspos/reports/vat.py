"""부가세 신고 자료: a period's sales split the way the VAT return asks for them.

신용카드 매출 (card and easy-pay approvals: 신용카드매출전표 등 발행분), 현금영수증 발행분,
기타 현금 (cash without a receipt: 정규영수증 외 매출분); each with 공급가액 and 세액, and the
면세 (tax-free) part apart. Refunds in the period are netted per tender, as in 판매집계. The
rows add up to the period's 순매출, supply, VAT and tax-free exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from kspos.reports.summary import SalesSummary
from kspos.reports.tally import Tally

GROUPS = (("card", "신용카드·간편결제"), ("cash_receipt", "현금영수증"), ("cash", "기타 현금"))


@dataclass(frozen=True)
class FilingRow:
    key: str
    label: str
    count: int
    total: int
    supply: int
    vat: int
    tax_free: int


@dataclass(frozen=True)
class VatFiling:
    rows: tuple[FilingRow, ...]  # the three tender groups, then 합계

    def row(self, key: str) -> FilingRow:
        return next(r for r in self.rows if r.key == key)


def _group_of(tender: str) -> str:
    if tender.startswith("easypay:") or tender == "card":
        return "card"
    return tender


def vat_filing(summary: SalesSummary) -> VatFiling:
    sums = {key: Tally() for key, _ in GROUPS}
    for key, row in summary.facts.dims["tender"].items():
        sums.setdefault(_group_of(key), Tally()).__iadd__(row.tally)
    rows = [FilingRow(key, label, sums[key].qty, sums[key].net_sales, sums[key].supply,
                      sums[key].vat, sums[key].tax_free) for key, label in GROUPS]
    t = summary.totals
    rows.append(FilingRow("total", "합계", sum(r.count for r in rows), t.net_sales, t.supply,
                          t.vat, t.tax_free))
    return VatFiling(tuple(rows))
