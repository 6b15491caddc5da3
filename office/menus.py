"""Publishing menus to the stores: what ``kspos office menu`` and the web page call.

A document is checked with the terminal's own rules (:mod:`kspos.menu.document`: the office
never publishes what a terminal would refuse) and stored normalised. Publishing to every store
is one version every store sees; to named stores, one version per store. Terminals pull the
newest with ``GET /api/v1/menu`` (office/api/menus.py) and report it applied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kspos.menu.document import MenuDocumentError, from_toml, parse_document

if TYPE_CHECKING:
    from office.store import OfficeStore

APPLY_WHEN = ("open", "now")
_STORE = re.compile(r"[A-Z0-9]{1,12}")
MAX_BY = 64


class PublishError(ValueError):
    """A publication refused: ``str()`` says why in one line (the CLI exits 2, a page shows
    it); ``problems`` lists a document's problems one by one."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


@dataclass(frozen=True)
class Published:
    """One version made: for ``store`` (None: every store)."""

    store: str | None
    version: int
    items: int


def read_file(path: Path) -> dict[str, Any]:
    """A menu file as document data: ``.toml`` (the demo menu's format) or ``.json`` (the
    document itself); PublishError when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") \
            from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise PublishError(f"{path.name} is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise PublishError(f"{path.name}: a menu document is a JSON object")
        return data
    try:
        return from_toml(text)
    except MenuDocumentError as exc:
        raise PublishError(f"{path.name}: {exc}", exc.problems) from None


def publish(store: OfficeStore, data: Any, stores: list[str] | None, apply: str = "open",
            by: str = "", at: datetime | None = None) -> list[Published]:
    """Publish document ``data`` to ``stores`` (None: every store), to apply at the next
    개점 (``open``) or at once between orders (``now``). PublishError for a bad document, an
    unknown store or a bad option; nothing is stored then."""
    from office.store import menus as repo

    if apply not in APPLY_WHEN:
        raise PublishError(f"apply must be one of {', '.join(APPLY_WHEN)}, got {apply!r}")
    if not isinstance(by, str) or len(by) > MAX_BY:
        raise PublishError(f"the publisher's name is at most {MAX_BY} characters")
    if stores is not None:
        bad = [s for s in stores if not isinstance(s, str) or not _STORE.fullmatch(s)]
        if bad or not stores:
            raise PublishError("a store code is 1-12 capital letters or digits"
                               + (f", got {bad[0]!r}" if bad else ""))
    try:
        document = parse_document(data)
    except MenuDocumentError as exc:
        raise PublishError(f"the menu is not valid: {exc}", exc.problems) from None
    body, when = document.to_json(), at or datetime.now()
    made: list[Published] = []
    with store.transaction() as conn:
        repo.lock(conn)
        if stores is not None:
            unknown = sorted(set(stores) - set(repo.known_stores(conn)))
            if unknown:
                raise PublishError(f"unknown store {unknown[0]} (a store is known once a "
                                   "terminal of it is added)")
        for code in (dict.fromkeys(stores) if stores is not None else [None]):
            version = repo.next_version(conn, code)
            repo.add(conn, code, version, body, apply, by, when, document.item_count)
            made.append(Published(code, version, document.item_count))
    return made


def versions(store: OfficeStore, store_code: str | None = None,
             limit: int = 100) -> list[dict[str, Any]]:
    """The versions published (newest first; of one store: those it sees), each with which
    terminals applied it and when (``applied``: ``[{store_code, terminal, applied_at}]``)."""
    from office.store import menus as repo

    with store.transaction() as conn:
        return repo.listing(conn, store_code, limit)
