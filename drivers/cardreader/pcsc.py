"""PC/SC chip card readers through pyscard and pcscd (spec ``pcsc`` or ``pcsc:NAME``).

``pcsc`` reads from the first reader with a card in it, else waits on every reader;
``pcsc:NAME`` uses the first reader whose name contains NAME (case-insensitive). The card is
read as a contact EMV card (drivers/cardreader/emv.py), T=0's 61xx (GET RESPONSE) and 6Cxx
(resend with Le) included. PC/SC readers have no display, keypad or sign pad.

pyscard is imported only when the reader is opened: a missing pyscard or pcscd is reported as
DeviceUnavailable with the reason, never as a crash.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from drivers.cardreader import emv
from kspos.devices.cards import brand_of, card_bin, mask_pan
from kspos.ports import (
    NOT_SIMULATED,
    CardRead,
    DeviceError,
    DeviceUnavailable,
    ReaderStatus,
    ReadResult,
    Signature,
)

log = logging.getLogger(__name__)

NO_PYSCARD = "pyscard가 설치되지 않음 (pyscard is not installed: pip install pyscard)"
NO_SERVICE = "PC/SC 서비스가 실행 중이 아님 (pcscd is not running)"
NO_READER = "PC/SC 리더기 없음 (no PC/SC reader connected)"
POLL_MS = 500


def load_scard() -> ModuleType:
    """pyscard's low-level module; DeviceUnavailable when pyscard is missing."""
    try:
        import smartcard.scard as scard
    except ImportError:
        raise DeviceUnavailable(NO_PYSCARD) from None
    module: ModuleType = scard
    return module


def _message(scard: ModuleType, hresult: int) -> str:
    try:
        return str(scard.SCardGetErrorMessage(hresult))
    except Exception:  # noqa: BLE001 - no text for this code: the code itself still says it
        return hex(hresult & 0xFFFFFFFF)


def establish(scard: ModuleType) -> Any:
    """A PC/SC context; DeviceUnavailable when pcscd is not there."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        if hresult in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED):
            raise DeviceUnavailable(NO_SERVICE)
        raise DeviceUnavailable(f"PC/SC: {_message(scard, hresult)}")
    return context


def list_readers(scard: ModuleType, context: Any) -> list[str]:
    hresult, readers = scard.SCardListReaders(context, [])
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult != scard.SCARD_S_SUCCESS:
        if hresult in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED):
            raise DeviceUnavailable(NO_SERVICE)
        raise DeviceError(f"PC/SC: {_message(scard, hresult)}")
    return [str(name) for name in readers]


def available_readers() -> list[str]:
    """Names of the PC/SC readers present (``kspos device list``); DeviceUnavailable when
    pyscard or pcscd is missing."""
    scard = load_scard()
    context = establish(scard)
    try:
        return list_readers(scard, context)
    finally:
        scard.SCardReleaseContext(context)


class PcscCardReader:
    """CardReader over PC/SC. ``on_event`` (optional) hears ``inserted``/``removed`` from a
    monitor thread started by :meth:`open`."""

    simulated = False

    def __init__(self, name: str = "", spec: str = "",
                 on_event: Callable[[str], None] | None = None) -> None:
        self.name = name
        self.spec = spec or (f"pcsc:{name}" if name else "pcsc")
        self.on_event = on_event
        self._scard: ModuleType | None = None
        self._context: Any = None
        self._monitor: threading.Thread | None = None
        self._monitor_context: Any = None
        self._stop = threading.Event()

    # --- lifecycle -----------------------------------------------------------------------------

    def open(self) -> None:
        """Connect to pcscd and check the reader exists; DeviceUnavailable otherwise."""
        if self._context is not None:
            return
        scard = load_scard()
        context = establish(scard)
        self._scard, self._context = scard, context
        try:
            self._candidates()
        except DeviceError:
            self.close()
            raise
        if self.on_event is not None:
            self._stop.clear()
            self._monitor_context = establish(scard)
            self._monitor = threading.Thread(target=self._watch, name="pcsc-monitor",
                                             daemon=True)
            self._monitor.start()

    def close(self) -> None:
        scard = self._scard
        self._stop.set()
        for context in (self._monitor_context, self._context):  # wake any blocked wait
            if scard is not None and context is not None:
                scard.SCardCancel(context)
        if self._monitor is not None:
            self._monitor.join(timeout=2.0)
            self._monitor = None
        for context in (self._monitor_context, self._context):
            if scard is not None and context is not None:
                scard.SCardReleaseContext(context)
        self._monitor_context = self._context = None

    def __enter__(self) -> PcscCardReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ready(self) -> tuple[ModuleType, Any]:
        if self._scard is None or self._context is None:
            raise DeviceError("리더기가 열려 있지 않음 (reader not open)")
        return self._scard, self._context

    # --- readers -------------------------------------------------------------------------------

    def _candidates(self) -> list[str]:
        """The readers this spec may use, in preference order."""
        scard, context = self._ready()
        readers = list_readers(scard, context)
        if not readers:
            raise DeviceUnavailable(NO_READER)
        if self.name:
            wanted = [r for r in readers if self.name.lower() in r.lower()]
            if not wanted:
                raise DeviceUnavailable(f"PC/SC 리더기 '{self.name}' 없음 "
                                        f"(no reader matches; found: {', '.join(readers)})")
            return wanted[:1]
        return readers

    def _states(self, readers: list[str], current: dict[str, int],
                timeout_ms: int) -> tuple[int, dict[str, tuple[int, bytes]]]:
        scard, context = self._ready()
        query = [(name, current.get(name, scard.SCARD_STATE_UNAWARE)) for name in readers]
        hresult, states = scard.SCardGetStatusChange(context, timeout_ms, query)
        found = {str(name): (int(state), bytes(atr or b"")) for name, state, atr in states or []}
        return hresult, found

    def status(self) -> ReaderStatus:
        try:
            readers = self._candidates()
            _, states = self._states(readers, {}, 0)
        except DeviceError as exc:
            return ReaderStatus("offline", detail=str(exc))
        scard = self._scard
        assert scard is not None
        with_card = [n for n, (s, _) in states.items() if s & scard.SCARD_STATE_PRESENT]
        name = (with_card or readers)[0]
        return ReaderStatus("card" if with_card else "ready", model=name, firmware="PC/SC")

    # --- reading -------------------------------------------------------------------------------

    def _wait_for_card(self, timeout_s: float) -> tuple[str | None, ReadResult]:
        """The reader a card is in, waiting up to ``timeout_s``; (None, why) otherwise."""
        scard, _ = self._ready()
        readers = self._candidates()
        deadline = time.monotonic() + timeout_s
        current: dict[str, int] = {}
        timeout_ms = 0
        while True:
            hresult, states = self._states(readers, current, timeout_ms)
            if hresult == scard.SCARD_E_CANCELLED:
                return None, ReadResult.CANCELLED
            if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
                raise DeviceError(f"PC/SC: {_message(scard, hresult)}")
            for name in readers:
                state = states.get(name, (0, b""))[0]
                if state & scard.SCARD_STATE_PRESENT and not state & scard.SCARD_STATE_MUTE:
                    return name, ReadResult.READ
            current = {name: state & ~scard.SCARD_STATE_CHANGED
                       for name, (state, _) in states.items()}
            left = deadline - time.monotonic()
            if left <= 0:
                return None, ReadResult.TIMED_OUT
            timeout_ms = max(1, int(left * 1000))

    def read_card(self, amount: int, timeout_s: float) -> CardRead:
        """Wait for a card (``cancel_read`` ends the wait) and read it as an EMV card."""
        deadline = time.monotonic() + timeout_s
        while True:
            name, result = self._wait_for_card(max(0.0, deadline - time.monotonic()))
            if name is None:
                return CardRead(result, reader=self.spec)
            read = self._read_in(name, amount)
            if read is not None:
                return read
            if time.monotonic() >= deadline:  # the card came and went: nothing to read
                return CardRead(ReadResult.TIMED_OUT, reader=self.spec)
            time.sleep(0.1)  # pcscd has not noticed the removal yet

    def _read_in(self, name: str, amount: int) -> CardRead | None:
        """Read the card in reader ``name``; None when it was pulled before we got to it."""
        scard, context = self._ready()
        hresult, card, protocol = scard.SCardConnect(
            context, name, scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if hresult in (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD):
            return None
        if hresult != scard.SCARD_S_SUCCESS:
            log.info("PC/SC %s: cannot connect to the card: %s", name, _message(scard, hresult))
            return CardRead(ReadResult.FALLBACK, reader=name)
        try:
            atr = self._atr(card)
            try:
                transmit = emv.t0_transmit(lambda apdu: self._exchange(card, protocol, apdu))
                found = emv.read_card(transmit, amount)
            except emv.EmvError as exc:
                log.info("PC/SC %s: %s", name, exc)
                return CardRead(ReadResult.ERROR, reader=name, atr=atr)
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        bin_ = card_bin(found.pan)
        return CardRead(ReadResult.READ, entry_mode="I", masked_pan=mask_pan(found.pan),
                        bin=bin_, brand=found.brand or brand_of(bin_), track2=found.track2,
                        expiry=found.expiry, reader=name, atr=atr)

    def _atr(self, card: Any) -> str:
        scard, _ = self._ready()
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(card)
        return bytes(atr).hex().upper() if hresult == scard.SCARD_S_SUCCESS else ""

    def _exchange(self, card: Any, protocol: int, apdu: bytes) -> bytes:
        """One raw command/response pair with the card (status word included)."""
        scard, _ = self._ready()
        hresult, response = scard.SCardTransmit(card, protocol, list(apdu))
        if hresult != scard.SCARD_S_SUCCESS:
            raise emv.EmvError(f"카드 통신 오류 (card I/O error): {_message(scard, hresult)}")
        return bytes(response)

    def cancel_read(self) -> None:
        """End a ``read_card`` waiting for a card (SCardCancel, safe from any thread)."""
        if self._scard is not None and self._context is not None:
            self._scard.SCardCancel(self._context)

    # PC/SC readers have no display, buzzer or pad: these do nothing, by design.
    def display(self, line1: str, line2: str = "") -> None:
        return None

    def get_signature(self, amount: int, timeout_s: float) -> Signature | None:
        return None

    def beep(self, count: int = 1) -> None:
        return None

    def insert_card(self, track2_or_pan: str = "") -> None:
        raise DeviceError(NOT_SIMULATED)

    # --- insert/remove monitor -------------------------------------------------------------

    def _watch(self) -> None:
        scard, context = self._scard, self._monitor_context
        assert scard is not None
        present: dict[str, bool] = {}
        current: dict[str, int] = {}
        while not self._stop.is_set():
            try:
                readers = list_readers(scard, context)
            except DeviceError as exc:
                # pcscd went away: insert/remove events stop (a sale's own read still reports
                # the reader's trouble to the cashier); the log says when and why.
                log.warning("PC/SC insert/remove monitor stopped: %s", exc)
                return
            if not readers:
                time.sleep(POLL_MS / 1000)
                continue
            query = [(n, current.get(n, scard.SCARD_STATE_UNAWARE)) for n in readers]
            hresult, states = scard.SCardGetStatusChange(context, POLL_MS, query)
            if hresult == scard.SCARD_E_CANCELLED or self._stop.is_set():
                return
            if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
                time.sleep(POLL_MS / 1000)
                continue
            for name, state, _atr in states or []:
                current[name] = int(state) & ~scard.SCARD_STATE_CHANGED
                now = bool(state & scard.SCARD_STATE_PRESENT)
                if name in present and now != present[name]:
                    self._notify("inserted" if now else "removed")
                present[name] = now

    def _notify(self, what: str) -> None:
        callback = self.on_event
        if callback is not None:
            try:
                callback(what)
            except Exception:  # a faulty listener must not end the monitor
                log.exception("PC/SC event listener failed")
