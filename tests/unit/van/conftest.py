"""Fixtures for the VAN unit tests: a HostState, a scripted VanLink over it, clients."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.host import HostState
from tests.unit.van.van_fakes import NOW, TID, ScriptedLink


@pytest.fixture
def host() -> HostState:
    return HostState(clock=lambda: NOW, rng=random.Random(3))


@pytest.fixture
def link(host: HostState) -> ScriptedLink:
    return ScriptedLink(host)


@pytest.fixture
def make_client(db: Any, link: ScriptedLink) -> Callable[..., VanClient]:
    def make(**kwargs: Any) -> VanClient:
        kwargs.setdefault("policy", ReversalPolicy(immediate=(0.0, 0.0, 0.0), base_s=0.0))
        return VanClient(db, link, kwargs.pop("tid", TID), Timeouts(0.3, 0.3),
                         clock=lambda: NOW, sleep=lambda s: None, **kwargs)

    return make


@pytest.fixture
def client(make_client: Callable[..., VanClient]) -> VanClient:
    return make_client()
