"""The running store: settings, database, menu snapshot, devices and the services on them.

``kspos.cli`` builds one AppContext and hands it to the UI; tests build one around a temp
database and simulated devices. What the first paint needs (the menu, the staff, the open
day) is read with plain sqlite3; the ORM-backed services (sales, VAN clients, print queue) are
built on first use, so start-up stays lean.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kspos.menu.catalog import Catalog, catalog_is_empty, demo_menu, load_catalog, seed_menu
from kspos.sales.customer_view import CustomerFeed
from kspos.sales.register import Register
from kspos.sales.staff import StaffDirectory
from kspos.sales.terminal import Terminal
from kspos.van.codes import TRAINING_TID  # 연습 모드 pays under its own TID, in-process

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.ports import Devices, VanLink
    from kspos.receipts.kitchen_queue import KitchenDesk, PrinterFactory
    from kspos.receipts.printing import PrintingService
    from kspos.sales.checks import Check, CheckService
    from kspos.sales.pickup import PickupService
    from kspos.sales.service import SalesService
    from kspos.store.db import Database
    from kspos.store.unit import Unit
    from kspos.sync.service import SyncService
    from kspos.van.client import VanClient

log = logging.getLogger(__name__)


def _hold_interrupted_orders(db: Database, terminal: Terminal) -> None:
    """An order still 'open' at start-up whose register is gone was on the counter when the
    program stopped (a crash, the power): put it in 보류목록 so the cashier can recall and
    finish it (or void it). An order another running register is taking is left alone."""
    from kspos.sales.audit import audit_now
    from kspos.store import orders

    for order_id, owner in orders.open_orders(db):
        if terminal.alive(owner):
            continue
        orders.hold_interrupted(db, order_id)
        audit_now(db, "hold", None, order_id, reason="interrupted: held at start-up")
        log.warning("order %s was open at start-up: moved to 보류목록", order_id)
    terminal.sweep()


class AppContext:
    def __init__(self, settings: Settings, db: Database, devices: Devices, catalog: Catalog,
                 staff: StaffDirectory, lang: str = "ko",
                 training_link: VanLink | None = None, terminal: Terminal | None = None
                 ) -> None:
        self.settings, self.db, self.devices = settings, db, devices
        self.terminal = terminal or Terminal(db.path.parent / "terminals")
        self.catalog, self.staff, self.lang = catalog, staff, lang
        self.training_link = training_link
        self.register = Register(catalog, lambda: self.sales, staff)
        # What must end before the database closes, newest last: the 망취소 worker's stop,
        # the training link's close.
        self._closers: list[Callable[[], object]] = []
        self._warm_thread: threading.Thread | None = None
        self._started: list[object] = []  # background services started (the kitchen desk)
        self.device_lab: Any = None  # set by kspos.cli: builds devices for 장치 점검
        # builds the [[kitchen]] printers (tests set it); None: device_lab's printer builder
        self.printer_factory: PrinterFactory | None = None
        self._lock = threading.RLock()  # lazy services may be first touched off the GUI thread
        self.backup_warning: str | None = None  # the last daily backup failed: why
        self._backup_threads: list[threading.Thread] = []
        self.sync: SyncService | None = None  # the office link, when [office] names one
        # told the version after the office's menu is applied (may be off the GUI thread)
        self.menu_listeners: list[Callable[[int], object]] = []
        # What the customer display shows ([ui] customer_display): follows the register's
        # order on every change; the payment dialogs tell it each step.
        ui = settings.ui
        self.customer = CustomerFeed(touch=ui.customer_touch, signs=ui.customer_signature,
                                     lang=lang)
        self.register.listeners.append(lambda: self.customer.show_order(self.register.order))

    @classmethod
    def create(cls, settings: Settings, db: Database, devices: Devices, lang: str = "ko",
               training_link: VanLink | None = None, start_workers: bool = True) -> AppContext:
        """Compose the store; an empty catalog in demo mode is seeded with the demo cafe.

        ``start_workers`` finishes old 망취소 and starts the reversal worker now; the UI passes
        False and calls :meth:`start_background` after its first paint."""
        if settings.demo and catalog_is_empty(db):
            seed_menu(db, demo_menu(settings.store.kind))
        staff = StaffDirectory(db, terminal=settings.van.tid)  # wrong PINs count per counter
        staff.ensure_defaults()
        terminal = Terminal(db.path.parent / "terminals")
        _hold_interrupted_orders(db, terminal)
        from kspos.sales.refunds import release_stale

        release_stale(db)  # a refund cut short by a crash: what it recorded stands
        context = cls(settings, db, devices, load_catalog(db), staff, lang, training_link,
                      terminal)
        if training_link is not None:
            context._closers.append(training_link.close)
        if settings.demo and settings.store.kind == "restaurant":
            context.seed_demo_floor()
        if start_workers:
            context.start_background()
        return context

    def seed_demo_floor(self) -> None:
        """The demo restaurant's floor (assets/demo_floor.toml) on a store that has none."""
        checks = self.checks
        if not checks.floor().tiles:
            from kspos.sales.floor import demo_floor

            checks.seed_floor(demo_floor())

    # --- services built on first use -------------------------------------------------------

    @cached_property
    def _van_clients(self) -> tuple[VanClient | None, VanClient | None]:
        with self._lock:
            from kspos.van.client import Timeouts, VanClient

            link = self.devices.van
            live = VanClient.from_settings(self.settings, self.db, link) if link else None
            training = VanClient(self.db, self.training_link, TRAINING_TID, Timeouts(2, 10)) \
                if self.training_link is not None else None
            return live, training

    @property
    def van(self) -> VanClient | None:
        return self._van_clients[0]

    @property
    def training_van(self) -> VanClient | None:
        return self._van_clients[1]

    @property
    def has_van(self) -> bool:
        return self.devices.van is not None or self.training_link is not None

    @cached_property
    def sales(self) -> SalesService:
        with self._lock:
            from kspos.sales.payments import CashGateway, Method, PaymentGateway
            from kspos.sales.service import SalesService

            gateways: dict[Method, PaymentGateway] = {Method.CASH: CashGateway(self.db)}
            if self.has_van:
                from kspos.sales.tenders import CardGateway, CashWithReceiptGateway, EasyPayGateway

                live, training = self._van_clients
                gateways[Method.CASH] = CashWithReceiptGateway(
                    self.db, live, training,
                    receipt_required=self.settings.store.cash_receipt_required)
                gateways[Method.CARD] = CardGateway(live, training)
                gateways[Method.EASYPAY] = EasyPayGateway(live, training)
            service = SalesService(self.db, gateways, on_paid=self._queue_slip,
                                   on_refunded=self._queue_refund_slip,
                                   terminal=self.terminal.name,
                                   order_numbers=self.settings.store.order_numbers)
            service.days.on_open.append(lambda: self.apply_menu(opening=True))
            return service

    def _queue_slip(self, session: Unit, order_id: int) -> None:
        """The sale slip, queued in the transaction that marks the order paid."""
        printing = self.printing
        if printing is not None:
            printing.queue_paid(session, order_id)  # type: ignore[arg-type]  # a Session
            store = self.settings.store
            if store.pickup_slip and store.order_numbers != "off":  # after the sale slip
                from kspos.receipts.pickup_slip import queue_pickup_slip

                queue_pickup_slip(session, printing.queue, store.name, order_id)

    @cached_property
    def pickup(self) -> PickupService | None:
        """The pickup board (주문번호 호출) with the ``[devices] pager``; None when
        ``[store] order_numbers = "off"``."""
        if self.settings.store.order_numbers == "off":
            return None
        with self._lock:
            from kspos.sales.pickup import PickupService

            return PickupService(self.db, clear_after_s=self.settings.store.pickup_clear_s,
                                 pager=self.devices.pager)

    def _queue_refund_slip(self, order_id: int, after_id: int) -> None:
        """The 취소/환불 영수증 of what a refund recorded. The refund stands whatever happens
        here (it is logged; 거래내역 → 재출력 prints the order with its refunds)."""
        printing = self.printing
        if printing is None:
            return
        try:
            printing.queue_refund(order_id, after_id)
        except Exception:  # noqa: BLE001 - a slip never undoes a refund
            log.exception("refund slip for order %s not queued", order_id)

    @cached_property
    def checks(self) -> CheckService:
        """A restaurant's tables and checks; rounds queue their kitchen slips through
        :attr:`kitchen`, a 중간 계산서 goes to the receipt printer's queue."""
        with self._lock:
            from kspos.sales.checks import CheckService

            kitchen = self.kitchen
            return CheckService(self.db, self.sales, terminal=self.terminal.name,
                                on_kitchen=kitchen.on_kitchen if kitchen is not None else None,
                                on_prebill=self._queue_prebill)

    def _queue_prebill(self, check: Check) -> None:
        printing = self.printing
        if printing is not None:
            printing.queue_prebill(check)

    @cached_property
    def printing(self) -> PrintingService | None:
        if self.devices.printer is None:
            return None
        with self._lock:
            from kspos.receipts.escpos import profile_for
            from kspos.receipts.printing import PrintingService
            from kspos.receipts.queue import PrintQueue

            devices = self.settings.devices
            queue = PrintQueue(self.db, self.devices.printer, mode=devices.printer_mode,
                               columns=devices.printer_width,
                               profile=profile_for(devices.printer_qr))
            return PrintingService(self.db, self.settings.store, queue)

    @cached_property
    def kitchen(self) -> KitchenDesk | None:
        """The kitchen printers' queues (``[[kitchen]]``); None when none is configured.
        Its ``on_kitchen`` is the check service's hook; its workers run from
        :meth:`start_background` until :meth:`close`."""
        with self._lock:
            from kspos.receipts.kitchen_queue import KitchenDesk

            factory = self.printer_factory
            lab = self.device_lab
            if factory is None and lab is not None:
                factory = lambda spec: lab.build("printer", spec)  # noqa: E731
            return KitchenDesk.from_settings(self.settings, self.db, factory)

    def start_kitchen(self) -> None:
        """Start the kitchen printers' workers (once); they stop at :meth:`close`."""
        desk = self.kitchen
        with self._lock:
            if desk is not None and desk not in self._started:
                self._started.append(desk)
                self._closers.append(desk.start().stop)

    def start_background(self) -> None:
        """Warm the services and finish what a crash left (망취소), off the caller's thread."""
        def warm() -> None:
            try:
                _ = self.sales, self.printing
                self.start_kitchen()  # slips a crash left unsent go out now
                # the live TID's 망취소 and 연습 모드's, each over its own link
                clients = [c for c in self._van_clients if c is not None]
                for client in clients:
                    if client.reversal_owed():
                        client.resume_pending(force=True)
                if clients:
                    from kspos.van.client import ReversalWorker

                    worker = ReversalWorker(*clients).start()
                    with self._lock:
                        self._closers.append(worker.stop)
            except Exception:  # the screens report device and store trouble themselves
                log.exception("background start-up")

        thread = threading.Thread(target=warm, name="startup-warm", daemon=True)
        thread.start()
        self._warm_thread = thread
        self.start_backup()
        self.start_sync()

    def start_sync(self) -> None:
        """Push the outbox to ``[office]`` on a background thread (nothing when none is set);
        :attr:`sync` tells the screens how the link is."""
        from kspos.sync.service import SyncService

        service = SyncService.for_settings(self.settings, self.db)
        if service is not None and self.sync is None:
            self.sync = service.start()
            self._closers.append(service.stop)

    def start_backup(self, after_close: bool = False) -> threading.Thread | None:
        """The daily backup into ``[backup] folder`` on its own thread (a copy under WAL never
        blocks a sale). At start-up it is taken once a day; after Z 마감 (``after_close``)
        again, so it holds the closed day. A failure is logged and kept in
        :attr:`backup_warning` for the screens (a warning: the store goes on)."""
        folder = self.settings.backup.folder
        if not folder:
            return None

        def job() -> None:
            from datetime import date
            from pathlib import Path

            from kspos.store import StoreError
            from kspos.store.backup import daily_backup

            try:
                done = daily_backup(self.db.path, Path(folder).expanduser(),
                                    self.settings.backup.keep, date.today(), after_close)
            except (StoreError, OSError) as exc:
                self.backup_warning = str(exc)
                log.warning("daily backup failed: %s", exc)
                return
            self.backup_warning = None
            if done.written:
                log.info("daily backup written to %s (%d old removed)", done.path,
                         len(done.removed))

        thread = threading.Thread(target=job, name="daily-backup", daemon=True)
        thread.start()
        self._backup_threads.append(thread)
        return thread

    # --- quick reads for the screens ---------------------------------------------------------

    def current_day(self) -> str | None:
        """The open business day (YYYY-MM-DD), read without the ORM."""
        from kspos.store import days

        return days.open_day_key(self.db)

    def reversal_pending(self) -> bool:
        """A network cancel is owed by the client this register's mode pays with (연습 모드:
        the training TID's, else the live TID's): its card and easy-pay payments are paused
        (cash goes on). Pending entries, and intents whose time ran out (a crash); plain SQL,
        so the first paint builds no VAN client."""
        import time

        training = self.register.training
        if (self.training_link if training else self.devices.van) is None:
            return False
        clients = self.__dict__.get("_van_clients")  # built: it also knows what the store
        if clients is not None and clients[training] is not None:  # could not note (disk full)
            return bool(clients[training].reversal_owed())
        from kspos.store.van_owed import reversal_owed

        tid = TRAINING_TID if training else self.settings.van.tid
        return reversal_owed(self.db, tid, time.time())

    def reload_catalog(self) -> None:
        self.catalog = load_catalog(self.db)
        self.register.catalog = self.catalog

    def menu_due(self) -> int | None:
        """The office's menu version waiting to apply now, or None (a cheap read)."""
        from kspos.menu.updates import due

        return due(self.db)

    def apply_menu(self, opening: bool = False) -> int | None:
        """Apply the office's pending menu when it is due (``opening``: at 개점) and no order
        is being rung up; then reload the catalog and tell :attr:`menu_listeners` (a screen
        refreshes its grid). Returns the version applied, or None."""
        if not self.register.order.is_empty:  # never under the cashier's hands
            return None
        from kspos.menu.updates import apply_due

        with self._lock:
            version = apply_due(self.db, opening)
            if version is None:
                return None
            self.reload_catalog()
        for listener in list(self.menu_listeners):
            listener(version)
        return version

    def open_drawer(self, reason: str = "") -> bool:
        """Kick the cash drawer (blocking: call on the printer's worker). Training keeps it shut.

        Returns whether a kick was sent; the open is audited either way.
        """
        from kspos.sales.audit import audit

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
        warm = self._warm_thread
        if warm is not None:
            warm.join(timeout=10)
        for backup in self._backup_threads:  # not cut short: its temporary file would stay
            backup.join(timeout=60)
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # noqa: BLE001 - closing must reach the database
                log.exception("closing %r", closer)
        self._closers.clear()
        self.devices.close()
        self.db.close()
        self.terminal.close()  # last: this register's orders are no one's until it is gone
