"""The running store: settings, database, menu snapshot, devices and the services on them.

``kspos.cli`` builds one AppContext and hands it to the UI; tests build one around a temp
database and simulated devices.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kspos.catalog import Catalog, demo_menu, load_catalog, seed_menu
from kspos.payments import CashGateway, Method, PaymentGateway
from kspos.register import Register
from kspos.sales import SalesService
from kspos.users import StaffDirectory

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.ports import Devices, VanLink
    from kspos.printing import PrintingService
    from kspos.store.db import Database
    from kspos.van.client import VanClient

log = logging.getLogger(__name__)
TRAINING_TID = "TRAIN00001"  # 연습 모드 talks to the in-process simulator under its own TID


def _van_clients(settings: Settings, db: Database, link: VanLink | None,
                 training_link: VanLink | None) -> tuple[VanClient | None, VanClient | None]:
    from kspos.van.client import Timeouts, VanClient

    live = VanClient.from_settings(settings, db, link) if link is not None else None
    training = VanClient(db, training_link, TRAINING_TID, Timeouts(2, 10)) \
        if training_link is not None else None
    return live, training


@dataclass
class AppContext:
    settings: Settings
    db: Database
    devices: Devices
    catalog: Catalog
    sales: SalesService
    staff: StaffDirectory
    register: Register
    lang: str = "ko"
    van: VanClient | None = None
    training_van: VanClient | None = None
    printing: PrintingService | None = None
    _closers: list[Any] = field(default_factory=list)

    @classmethod
    def create(cls, settings: Settings, db: Database, devices: Devices, lang: str = "ko",
               training_link: VanLink | None = None, start_workers: bool = True) -> AppContext:
        """Compose services; an empty catalog in demo mode is seeded with the demo cafe."""
        if settings.demo:
            seed_menu(db, demo_menu())
        staff = StaffDirectory(db)
        staff.ensure_defaults()
        live, training = _van_clients(settings, db, devices.van, training_link)
        gateways: dict[Method, PaymentGateway] = {Method.CASH: CashGateway(db)}
        if live is not None or training is not None:
            from kspos.tenders import CardGateway, CashWithReceiptGateway, EasyPayGateway

            gateways[Method.CASH] = CashWithReceiptGateway(db, live, training)
            gateways[Method.CARD] = CardGateway(live, training)
            gateways[Method.EASYPAY] = EasyPayGateway(live, training)
        sales = SalesService(db, gateways)
        catalog = load_catalog(db)
        register = Register(catalog=catalog, sales=sales, staff_directory=staff)
        context = cls(settings=settings, db=db, devices=devices, catalog=catalog, sales=sales,
                      staff=staff, register=register, lang=lang, van=live, training_van=training)
        if devices.printer is not None:
            from kspos.printing import PrintingService
            from kspos.receipts.queue import PrintQueue

            queue = PrintQueue(db, devices.printer, mode=settings.devices.printer_mode,
                               columns=settings.devices.printer_width)
            context.printing = PrintingService(db, settings.store, queue)
        if training_link is not None:
            context._closers.append(training_link)
        if start_workers and live is not None:
            context._start_reversals(live)
        return context

    def _start_reversals(self, client: VanClient) -> None:
        """Finish 망취소 left by a crash, then keep retrying pending ones with backoff."""
        from kspos.van.client import ReversalWorker

        worker = ReversalWorker(client)
        worker.start()
        self._closers.append(worker)

    def reversal_pending(self) -> bool:
        """A network cancel is owed: card and easy-pay payments are paused (cash goes on)."""
        return bool(self.van is not None and self.van.pending_reversals())

    def reload_catalog(self) -> None:
        self.catalog = load_catalog(self.db)
        self.register.catalog = self.catalog

    def open_drawer(self, reason: str = "") -> bool:
        """Kick the cash drawer (blocking: call on the printer's worker). Training keeps it shut.

        Returns whether a kick was sent; the open is audited either way.
        """
        from kspos.audit import audit

        training = self.register.training
        staff = self.register.staff
        with self.db.session() as s:
            audit(s, "drawer_open", staff.id if staff else None, reason=reason,
                  skipped="training" if training else None)
        if training or self.devices.drawer is None:
            return False
        self.devices.drawer.open_drawer()
        return True

    def close(self) -> None:
        for closer in reversed(self._closers):
            for name in ("stop", "close"):
                method = getattr(closer, name, None)
                if callable(method):
                    try:
                        method()
                    except Exception:  # noqa: BLE001 - closing must reach the database
                        log.exception("closing %r", closer)
                    break
        self._closers.clear()
        self.devices.close()
        self.db.close()
