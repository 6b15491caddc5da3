"""The process the counter-order crash test kills: the real cashier screen (offscreen) on a
data dir, taps a few items and then runs its event loop until it is killed.

``python -m tests.integration.sales.counter_child DATA_DIR`` prints ``TAPPED <total>`` once
the taps are done (nothing saved yet by the taps themselves).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(data_dir: str) -> int:
    from kspos.config import demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices
    from kspos.sales.staff import Role
    from kspos.store import Database
    from ui.app import MainWindow, ensure_app

    app = ensure_app("ko")
    settings = demo_settings(data_dir)
    context = AppContext.create(settings, Database(settings.db_path).open(), Devices(),
                                start_workers=False)
    context.register.login("1111")
    context.sales.days.open(context.staff.first(Role.OWNER), 0)
    window = MainWindow(context)
    window.show()
    cashier = window.screen_widget("cashier")
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    for item in (plain[0], plain[1], plain[1]):
        cashier.tap_item(item.id)  # type: ignore[attr-defined]
    os.write(1, f"TAPPED {context.register.order.total}\n".encode())
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
