"""Fakes at our own port: a VanLink that hands frames to the simulator's HostState in-process
and misbehaves on cue (lost answers, garbled frames, refused connections)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kspos.ports import VanConnectError, VanNoAnswer
from kspos.van.host import HostState
from kspos.van.telegram import Request, decode_request

NOW = datetime(2025, 6, 15, 12, 30, 45)
TID = "DPT0TEST03"


class ScriptedLink:
    """Each exchange takes the next behaviour from ``script`` (``ok`` once it runs out):

    ``ok`` the host answers; ``lost`` the host processes the request, the answer is lost;
    ``refused`` no connection (nothing reaches the host); ``garble`` a frame without ETX;
    ``echo`` an answer carrying another serial.
    """

    spec = "scripted"

    def __init__(self, host: HostState) -> None:
        self.host = host
        self.script: list[str] = []
        self.sent: list[Request] = []
        self.on_send: Callable[[bytes], Any] | None = None

    def close(self) -> None:
        return None  # nothing held between exchanges

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        behaviour = self.script.pop(0) if self.script else "ok"
        if behaviour == "refused":
            raise VanConnectError("connection refused")
        self.sent.append(decode_request(frame))
        if self.on_send is not None:
            self.on_send(frame)
        answer = self.host.handle(frame)
        if behaviour == "lost" or answer is None:
            raise VanNoAnswer("no answer in time")
        if behaviour == "garble":
            return answer[:-2] + b"X\r"
        if behaviour == "echo":
            return answer[:39] + (b"8" if answer[39:40] != b"8" else b"9") + answer[40:]
        assert behaviour == "ok", behaviour
        return answer
