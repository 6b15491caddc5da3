"""Sales reports: summaries for any range of business days, X/Z slips, 부가세 신고 자료, exports.

What the numbers mean (the contract of ``kspos report sales`` and of the 판매집계 screen):

* A **sale** counts on its order's business day (영업일, ``business_day.day``) once it is paid
  (``sale_order.paid_at`` set), whatever happened to it later. Training orders never count.
* A **refund** counts in the period in which it was made, not in the period of the sale:
  on the business day that was open when it was made, or on its calendar date when no day
  was open. So yesterday's sale refunded today lowers today's 순매출, and a closed day's
  figures (and its Z report) never change afterwards.
* ``net_sales`` (순매출) = gross − discounts − 서비스 − refunds = what customers paid, net of
  what was given back. Every grouping (day, hour, category, item, tender) splits exactly this
  number: its rows sum to ``totals.net_sales``.

  - by item / category: each line's amount after its own discount, minus its share of the
    order discount (split over the order's lines in proportion to their amounts, largest
    remainder first), minus its share of refunds (split over the refunded lines the same way);
  - by hour: sales by the hour they were paid in, refunds by the hour they were made in;
  - by tender: payments minus refunds on that tender; cash counts what was kept (the amount
    applied to the sale), never what was handed over. Cash with a 현금영수증 is its own row
    (``cash_receipt``), so the 부가세 신고 자료 split falls out of the same numbers.
* VAT: each order's stored supply/VAT/tax-free split (rounded once per sale); a refund takes
  its tax-free share in proportion (as the cancel telegram does) and splits the rest as VAT
  inclusive. supply + vat + tax_free == net_sales always.
* ``qty`` and ``service_qty`` are net of refunded units; ``orders`` counts paid orders only
  (a refund is not an order).

Speed: a closed business day's sales are immutable, so they are kept per day in the
``report_rollup`` table (sealed at day close, or lazily by the first report that meets the
day); the open day and all refunds are computed from the indexed base tables. Nothing here
imports SQLAlchemy: reports read SQLite through the standard library so that ``kspos report``
starts fast.
"""
