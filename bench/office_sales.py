"""판매집계 at the office on a throwaway PostgreSQL (tests/pg_rig.py; Debian's postgresql).

Figures: :func:`office.store.sales.sales_summary` (what the 판매집계 page and ``kspos office
report sales`` call) for one store's year at 300 orders a day (goal ≤ 300 ms) and for a month
of 100 stores, 2.4 million orders (goal ≤ 500 ms); in-process wall time, the median of 5.

The history is generated inside PostgreSQL (``generate_series`` into ``orders``,
``order_lines``, ``payments``: minutes instead of the hours 2.4 million ingests would take)
and its rollups built by :data:`BULK_ROLLUP`, one ``INSERT ... SELECT ... GROUP BY``. That
bulk path is proved equal to the ingest's own (:func:`office.store.rollups.feed`) first: a
sample store-day of the same shape goes through ``store_batch`` and the bulk query over its
typed rows must give exactly the rollup rows the ingest made. The ``facts`` bodies of the
generated orders are not written (they are not read by the summary).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

STORES = int(os.environ.get("KSPOS_BENCH_SALES_STORES", "100"))
PER_DAY = int(os.environ.get("KSPOS_BENCH_SALES_PER_DAY", "800"))  # 100 × 30 × 800 = 2.4 M
YEAR_PER_DAY = 300
MONTH = (date(2026, 11, 1), date(2026, 11, 30))
YEAR = (date(2025, 12, 1), date(2026, 11, 30))
WALLET = "kakaopay"

# One shape for the generator, the sample and the bulk rollup: order n of store s on a day has
# item (7n + s) mod 40 once and, every third order, item (11n + s) mod 40 twice; item i costs
# 3,000 + 500·(i mod 10) and belongs to category i div 5; paid by card, cash or easy pay by
# n mod 10; VAT is total div 11; no discounts, 서비스 or refunds (the ingest's unit and parity
# tests cover those). Prices in SQL and in Python below must agree.
_PRICE = "(3000 + 500 * (({i}) % 10))"
_ITEM_A, _ITEM_B = "((7 * n + s) % 40)", "((11 * n + s) % 40)"
_METHOD = ("CASE WHEN n % 10 < 5 THEN 'card' WHEN n % 10 < 8 THEN 'cash' "
           "ELSE 'easypay' END")
_SERIES = ("FROM generate_series(CAST(:s0 AS int), CAST(:s1 AS int)) AS s, "
           "generate_series(CAST(:d0 AS date), CAST(:d1 AS date), interval '1 day') AS dd, "
           "generate_series(1, CAST(:per_day AS int)) AS n, "
           "LATERAL (SELECT CAST(dd AS date) AS d, "
           "'{p}' || lpad(CAST(s AS text), 4, '0') AS code, "
           "md5('{p}' || s || ':' || CAST(dd AS date) || ':' || n) AS id) AS k")


def _generate_sql(prefix: str) -> list[str]:
    series = _SERIES.format(p=prefix)
    total = (f"{_PRICE.format(i=_ITEM_A)} + CASE WHEN n % 3 = 0 THEN "
             f"2 * {_PRICE.format(i=_ITEM_B)} ELSE 0 END")
    paid = ("d + make_interval(hours => 8 + (n * 13) / CAST(:per_day AS int), "
            "secs => (n * 37) % 3600)")
    line = ("INSERT INTO order_lines (uuid, order_uuid, store_code, business_day, position, "
            "item_uuid, category, name, unit_price, qty, discount, complimentary, tax_free, "
            "amount) SELECT CAST(CAST(md5(id || '{pos}') AS uuid) AS text), "
            "CAST(CAST(id AS uuid) AS text), code, d, {pos}, "
            "CAST(CAST(md5('item' || {item}) AS uuid) AS text), '분류' || ({item} / 5), "
            "'메뉴' || {item}, {price}, {qty}, 0, false, false, {qty} * {price} "
            + series + "{where}")
    return [
        "INSERT INTO orders (uuid, store_code, terminal, receipt_no, business_day, day_uuid, "
        "state, training, created_at, paid_at, gross, discount_total, service_total, total, "
        "supply, vat, tax_free) SELECT CAST(CAST(id AS uuid) AS text), code, '01', "
        f"CAST(d AS text) || '-' || n, d, NULL, 'paid', false, {paid}, {paid}, t, 0, 0, t, "
        f"t - t / 11, t / 11, 0 {series}, LATERAL (SELECT {total} AS t) AS m",
        line.format(pos=0, item=_ITEM_A, price=_PRICE.format(i=_ITEM_A), qty=1, where=""),
        line.format(pos=1, item=_ITEM_B, price=_PRICE.format(i=_ITEM_B), qty=2,
                    where=" WHERE n % 3 = 0"),
        "INSERT INTO payments (uuid, order_uuid, store_code, terminal, receipt_no, method, "
        "amount, training, created_at, approval_no, approval_date, masked_pan, card_bin, "
        "issuer, acquirer, installment, wallet) SELECT CAST(CAST(md5(id || 'p') AS uuid) AS "
        "text), o.uuid, o.store_code, '01', o.receipt_no, "
        f"{_METHOD}, o.total, false, o.paid_at, NULL, NULL, NULL, NULL, NULL, NULL, 0, "
        f"CASE WHEN n % 10 >= 8 THEN '{WALLET}' END {series} "
        "JOIN orders AS o ON o.uuid = CAST(CAST(id AS uuid) AS text)",
    ]


_F = "orders, qty, service_qty, gross, discounts, service, refunds, refund_count, net_sales, " \
     "supply, vat, tax_free, discount_orders, service_orders"
BULK_ROLLUP = """
WITH o AS (SELECT * FROM orders WHERE store_code LIKE :like AND NOT training
           AND paid_at IS NOT NULL),
l AS (SELECT l.*, o.uuid AS ou FROM order_lines l JOIN o ON o.uuid = l.order_uuid),
q AS (SELECT order_uuid, sum(qty) AS qty FROM l GROUP BY order_uuid),
p AS (SELECT p.*, o.vat AS ovat, o.tax_free AS otf FROM payments p JOIN o
      ON o.uuid = p.order_uuid)
SELECT o.store_code, o.business_day, 'total', '', '', count(*), sum(q.qty), 0, sum(o.gross),
       0, 0, 0, 0, sum(o.total), sum(o.supply), sum(o.vat), sum(o.tax_free), 0, 0
FROM o JOIN q ON q.order_uuid = o.uuid GROUP BY 1, 2
UNION ALL
SELECT o.store_code, o.business_day, 'hour', lpad(CAST(extract(hour FROM o.paid_at) AS text),
       2, '0'), '', count(*), sum(q.qty), 0, sum(o.gross), 0, 0, 0, 0, sum(o.total),
       sum(o.supply), sum(o.vat), sum(o.tax_free), 0, 0
FROM o JOIN q ON q.order_uuid = o.uuid GROUP BY 1, 2, 4
UNION ALL
SELECT store_code, business_day, 'item', item_uuid, min(name), count(DISTINCT order_uuid),
       sum(qty), 0, sum(unit_price * qty), 0, 0, 0, 0, sum(amount), 0, 0, 0, 0, 0
FROM l GROUP BY 1, 2, 4
UNION ALL
SELECT store_code, business_day, 'category', 'name:' || category, min(category),
       count(DISTINCT order_uuid), sum(qty), 0, sum(unit_price * qty), 0, 0, 0, 0,
       sum(amount), 0, 0, 0, 0, 0
FROM l GROUP BY 1, 2, 4
UNION ALL
SELECT p.store_code, CAST(p.created_at AS date), 'tender',
       CASE WHEN method = 'easypay' THEN 'easypay:' || wallet ELSE method END,
       CASE WHEN method = 'card' THEN '신용카드' WHEN method = 'cash' THEN '현금'
            ELSE :wallet_label END,
       count(*), count(*), 0, 0, 0, 0, 0, 0, sum(amount), sum(amount - ovat - otf),
       sum(ovat), sum(otf), 0, 0
FROM p GROUP BY 1, 2, 4, 5
"""


def _wallet_label() -> str:
    from kspos.reports.facts import tender_label

    return tender_label(f"easypay:{WALLET}")


def _sample_facts(store: str, day: date, per_day: int) -> list[dict[str, Any]]:
    """The shape of :func:`_generate_sql` as outbox rows, for the real ingest (one store-day;
    ``s`` is the number in the store code)."""
    import uuid

    s = int(store[-4:])
    price = lambda i: 3000 + 500 * (i % 10)  # noqa: E731

    def ident(text: str) -> str:
        import hashlib

        return str(uuid.UUID(hashlib.md5(text.encode()).hexdigest()))

    facts: list[dict[str, Any]] = []
    for n in range(1, per_day + 1):
        oid = ident(f"o{s}:{day}:{n}")
        paid = (f"{day}T{8 + (n * 13) // per_day:02d}:{((n * 37) % 3600) // 60:02d}:"
                f"{(n * 37) % 60:02d}.000000")
        items = [((7 * n + s) % 40, 1)] + ([((11 * n + s) % 40, 2)] if n % 3 == 0 else [])
        lines = [{"uuid": ident(f"{oid.replace('-', '')}{pos}"), "position": pos,
                  "item_uuid": ident(f"item{i}"), "category": f"분류{i // 5}",
                  "name": f"메뉴{i}", "name_en": None, "options": [], "unit_price": price(i),
                  "qty": q, "discount": 0, "complimentary": False, "tax_free": False,
                  "amount": q * price(i)} for pos, (i, q) in enumerate(items)]
        total = sum(int(ln["amount"]) for ln in lines)  # type: ignore[call-overload]
        who = {"store": store, "terminal": "01"}
        body = {**who, "uuid": oid, "receipt_no": f"{day}-{n}", "business_day": str(day),
                "day_uuid": None, "state": "paid", "training": False, "table_no": None,
                "created_at": paid, "paid_at": paid, "staff_uuid": None, "gross": total,
                "discount_total": 0, "service_total": 0, "total": total,
                "supply": total - total // 11, "vat": total // 11, "tax_free": 0,
                "lines": lines}
        method = "card" if n % 10 < 5 else "cash" if n % 10 < 8 else "easypay"
        pid = ident(f"{oid.replace('-', '')}p")
        pay = {**who, "uuid": pid, "order_uuid": oid, "receipt_no": body["receipt_no"],
               "method": method, "amount": total, "tendered": total, "change": 0,
               "training": False, "created_at": paid, "installment": 0,
               "wallet": WALLET if method == "easypay" else None, "masked_pan": None,
               "card_bin": None, "cash_receipt_approval_no": None}
        facts += [{"seq": 2 * n - 1, "uuid": oid, "kind": "order", "version": 1, "body": body},
                  {"seq": 2 * n, "uuid": pid, "kind": "payment", "version": 1, "body": pay}]
    return facts


def _prove_bulk_equals_ingest(store: Any) -> None:
    """A sample store-day through the real ingest; the bulk query must give its rows."""
    from sqlalchemy import select, text

    from office.api.validate import check_batch
    from office.store import ingest
    from office.store.tables import sales_rollup

    code, day = "X0007", MONTH[0]
    facts = _sample_facts(code, day, 300)
    with store.transaction() as conn:
        for start in range(0, len(facts), 500):
            batch = {"store": code, "terminal": "01", "facts": facts[start:start + 500]}
            ingest.store_batch(conn, code, "01", check_batch(batch, code, "01").facts)
        made = {tuple(r) for r in conn.execute(select(sales_rollup).where(
            sales_rollup.c.store_code == code))}
        bulk = {tuple(r) for r in conn.execute(text(BULK_ROLLUP), {
            "like": code, "wallet_label": _wallet_label()})}
    if made != bulk:
        raise AssertionError(f"the bulk rollup differs from the ingest's: "
                             f"{sorted(made ^ bulk)[:4]}")


def _generate(store: Any, prefix: str, stores: int, first: date, last: date,
              per_day: int) -> float:
    """Orders of stores ``prefix0001``.. and their rollups; returns seconds taken."""
    from sqlalchemy import text

    from office.store import partitions

    started = time.perf_counter()
    params = {"s0": 1, "s1": stores, "d0": first, "d1": last, "per_day": per_day}
    months = {partitions.month_of(date.fromordinal(n))
              for n in range(first.toordinal(), last.toordinal() + 1)}
    partitions.ensure(store.engine, [(table, month) for table in partitions.PARTITIONED
                                     for month in months])
    with store.transaction() as conn:
        for sql in _generate_sql(prefix):
            conn.execute(text(sql), params)
        conn.execute(text(f"INSERT INTO sales_rollup (store_code, business_day, dim, key, "
                          f"label, {_F}) {BULK_ROLLUP}"),
                     {"like": f"{prefix}%", "wallet_label": _wallet_label()})
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def _timed(store: Any, codes: list[str], span: tuple[date, date]) -> tuple[float, int, int]:
    """Median ms of 5 summaries (after one warm-up), with the orders and 순매출 found."""
    from office.store.sales import sales_summary

    took = []
    summary = None
    for _ in range(6):
        with store.transaction() as conn:
            started = time.perf_counter()
            summary = sales_summary(conn, codes, *span)
            took.append((time.perf_counter() - started) * 1000)
    assert summary is not None
    return statistics.median(took[1:]), summary.totals.orders, summary.totals.net_sales


def _page_timed(store: Any, login: str, stores: list[str] | None, query: str) -> float:
    """Median ms of 5 GETs of the 판매집계 page (after one warm-up), logged in as ``login``
    (an admin when ``stores`` is None, else the owner of ``stores``): the whole request in the
    app — login gate, the summary, the heat map, five charts, the template — in process."""
    import re

    from starlette.testclient import TestClient

    from office.app import create_app
    from office.auth import hash_password
    from office.store import terminals, users

    with store.transaction() as conn:
        for code in stores or ["Y0001"]:  # the generated history knows no store rows
            terminals.ensure_store(conn, code)
        if users.get(conn, login) is None:
            users.add(conn, login, hash_password("bench-password"),
                      "admin" if stores is None else "owner", stores or [])
    client = TestClient(create_app(store), follow_redirects=False)
    form = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/login").text)
    assert form is not None
    client.post("/login", data={"login": login, "password": "bench-password",
                                "csrftoken": form.group(1)})
    took = []
    for _ in range(6):
        started = time.perf_counter()
        answer = client.get(f"/sales?{query}")
        took.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
    return statistics.median(took[1:])


def run() -> list[tuple[str, str, str]]:
    from office.store import OfficeStore
    from tests.pg_rig import PostgresRig, _bin_dir

    bin_dir = _bin_dir()
    if bin_dir is None:
        return [("office 판매집계 on PostgreSQL", "skipped: no postgresql", "")]
    rig = PostgresRig(bin_dir)
    folder = Path(tempfile.mkdtemp(prefix="kspos-bench-sales-"))
    try:
        rig.init()
        rig.start()
        store = OfficeStore(rig.create_database()).open()
        try:
            _prove_bulk_equals_ingest(store)
            year_s = _generate(store, "Y", 1, *YEAR, YEAR_PER_DAY)
            month_s = _generate(store, "M", STORES, *MONTH, PER_DAY)
            chain = [f"M{n:04d}" for n in range(1, STORES + 1)]
            year = _timed(store, ["Y0001"], YEAR)
            month = _timed(store, chain, MONTH)
            year_page = _page_timed(store, "hq", None,
                                    f"from={YEAR[0]}&to={YEAR[1]}&store=Y0001&by=item")
            month_page = _page_timed(store, "chain", chain, f"from={MONTH[0]}&to={MONTH[1]}")
        finally:
            store.close()
    finally:
        rig.remove()
        shutil.rmtree(folder, ignore_errors=True)
    days = (YEAR[1] - YEAR[0]).days + 1
    return [
        (f"판매집계, one store's year ({year[1]:,} orders)", f"{year[0]:.0f} ms", "≤ 300 ms"),
        (f"판매집계, {STORES} stores' month ({month[1]:,} orders)", f"{month[0]:.0f} ms",
         "≤ 500 ms"),
        ("  the /sales page of that year (summary, heat map, 5 charts, HTML)",
         f"{year_page:.0f} ms", "≤ 300 ms"),
        (f"  the /sales page of those {STORES} stores' month", f"{month_page:.0f} ms",
         "≤ 500 ms"),
        ("  generated in PostgreSQL with their rollups (bulk = ingest, proved on a sample)",
         f"{year_s + month_s:.0f} s", f"{days} + {STORES}×30 store-days"),
    ]
