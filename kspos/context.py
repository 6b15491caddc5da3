"""The running store: settings, database, menu snapshot, devices and the services on them.

``kspos.cli`` builds one AppContext and hands it to the UI; tests build one around a temp
database and simulated devices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kspos.catalog import Catalog, demo_menu, load_catalog, seed_menu

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
    lang: str = "ko"

    @classmethod
    def create(cls, settings: Settings, db: Database, devices: Devices,
               lang: str = "ko") -> AppContext:
        """Compose services; an empty catalog in demo mode is seeded with the demo cafe."""
        if settings.demo:
            seed_menu(db, demo_menu())
        return cls(settings=settings, db=db, devices=devices, catalog=load_catalog(db), lang=lang)

    def reload_catalog(self) -> None:
        self.catalog = load_catalog(self.db)

    def close(self) -> None:
        self.devices.close()
        self.db.close()
