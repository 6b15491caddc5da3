"""The running store: settings, database, menu snapshot, devices and the services on them.

``kspos.cli`` builds one AppContext and hands it to the UI; tests build one around a temp
database and simulated devices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kspos.catalog import Catalog, demo_menu, load_catalog, seed_menu
from kspos.payments import CashGateway, Method, PaymentGateway
from kspos.register import Register
from kspos.sales import SalesService
from kspos.users import StaffDirectory

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.ports import Devices
    from kspos.store.db import Database


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

    @classmethod
    def create(cls, settings: Settings, db: Database, devices: Devices,
               lang: str = "ko") -> AppContext:
        """Compose services; an empty catalog in demo mode is seeded with the demo cafe."""
        if settings.demo:
            seed_menu(db, demo_menu())
        staff = StaffDirectory(db)
        staff.ensure_defaults()
        gateways: dict[Method, PaymentGateway] = {Method.CASH: CashGateway(db)}
        sales = SalesService(db, gateways)
        catalog = load_catalog(db)
        register = Register(catalog=catalog, sales=sales, staff_directory=staff)
        return cls(settings=settings, db=db, devices=devices, catalog=catalog, sales=sales,
                   staff=staff, register=register, lang=lang)

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
        self.devices.close()
        self.db.close()
