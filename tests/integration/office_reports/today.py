"""Run in a terminal's own environment (its KSPOS_CONFIG and data dir) after ``kspos
demo-data``: open today's business day and, through the real sales core, refund the first
days' sales (one whole, one line) and sell a few orders today; the day stays open.

``python -m tests.integration.office_reports.today``: prints what it did as JSON.
"""

from __future__ import annotations

import json
import random
from datetime import datetime

from kspos.cli import HOST, build_parser
from kspos.sales.demo_data import DemoStats, DemoStore


def main() -> None:
    words = ["demo-data", "--days", "1", "--orders-per-day", "1"]
    settings = HOST.load_settings_for(build_parser(words).parse_args(words))
    db = HOST.open_database(settings)
    store = DemoStore(db, random.Random(7), batch=1)
    assert store.owner is not None
    store.clock.now = datetime.now().replace(minute=0, second=1, microsecond=0)
    store.sales.days.open(store.owner, 100_000)
    done: dict[str, object] = {}
    # earlier days' sales paid without a 현금영수증 (a refund of one asks for its number again)
    old = [int(r[0]) for r in db.read(
        "SELECT o.id FROM sale_order o WHERE o.paid_at IS NOT NULL AND o.training = 0 "
        "AND o.refunded = 0 AND o.total > 0 AND NOT EXISTS (SELECT 1 FROM payment p WHERE "
        "p.order_id = o.id AND p.cash_receipt_approval_no IS NOT NULL) ORDER BY o.id LIMIT 2")]
    store.sales.refund(old[0], store.owner, None, "다음날 환불")
    order = store.sales.load(old[1])
    line = next(n for n, ln in enumerate(order.lines) if ln.amount > 0)
    store.sales.refund(old[1], store.owner, {line: 1}, "부분 환불")
    done["refunded"] = old
    stats = DemoStats()
    for minute in range(5):
        store.clock.now = store.clock.now.replace(minute=10 + minute)
        store._order(store.clock.now, stats)  # the demo's own sale path
    store.db.commit()
    done["sold_today"] = stats.orders
    db.close()
    print(json.dumps(done))


if __name__ == "__main__":
    main()
