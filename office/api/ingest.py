"""``POST /api/v1/facts``: a terminal pushes a batch of its outbox rows (docs/office-api.md).

Order of the checks: the token (401), the body's size (413) and JSON (400), the envelope and
every fact's store and terminal (4xx, nothing stored), then each fact (refused ones are
listed with their reason, the rest stored in one transaction). Nothing a client sends makes a
500: a database that is down answers 503 and the pusher tries again later.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from office.api.validate import MAX_BYTES, BadBatch, check_batch
from office.auth import bearer, token_hash
from office.store import OfficeStoreError, OfficeUnavailable
from office.store import ingest as facts_repo
from office.store import terminals as terminals_repo

if TYPE_CHECKING:
    from office.store import OfficeStore

log = logging.getLogger("office.ingest")


def problem(status: int, reason: str, **headers: str) -> JSONResponse:
    """An error answer: ``{"error": reason}`` with ``status``."""
    return JSONResponse({"error": reason}, status_code=status, headers=headers or None)


async def _read_body(request: Request) -> bytes:
    """The body, refused (BadBatch 413) as soon as it passes MAX_BYTES."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BYTES):
        raise BadBatch(413, f"a batch is at most {MAX_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise BadBatch(413, f"a batch is at most {MAX_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")  # NaN/Infinity: no database stores them


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise BadBatch(400, "the body is not UTF-8") from None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise BadBatch(400, f"the body is not JSON: {str(exc)[:80]}") from None


def _who(store: OfficeStore, token: str) -> tuple[str, str] | None:
    with store.transaction() as conn:
        return terminals_repo.by_token_hash(conn, token_hash(token))


def _ingest(store: OfficeStore, who: tuple[str, str], data: Any) -> dict[str, Any]:
    batch = check_batch(data, *who)
    with store.transaction() as conn:
        done = facts_repo.store_batch(conn, who[0], who[1], batch.facts)
    refused = list(batch.refused)
    taken = set(done.taken)
    refused += [{"seq": f.seq, "uuid": f.uuid, "reason": "uuid: another terminal's fact has "
                 "this UUID"} for f in batch.facts if f.uuid in taken]
    for item in refused:
        log.warning("refused fact from %s/%s: seq %s uuid %s: %s", *who, item["seq"],
                    item["uuid"], item["reason"])
    return {"accepted": done.new + done.duplicates, "stored": len(done.new),
            "duplicates": len(done.duplicates), "refused": refused}


async def post_facts(request: Request) -> JSONResponse:
    """The ingest endpoint (see the module docstring)."""
    store: OfficeStore = request.app.state.store
    token = bearer(request.headers.get("authorization"))
    if token is None:
        return problem(401, "a terminal token is needed (Authorization: Bearer ...)",
                       **{"WWW-Authenticate": "Bearer"})
    try:
        who = await run_in_threadpool(_who, store, token)
        if who is None:
            return problem(401, "unknown or revoked terminal token",
                           **{"WWW-Authenticate": 'Bearer error="invalid_token"'})
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise BadBatch(415, "send the batch as application/json")
        data = _parse(await _read_body(request))
        return JSONResponse(await run_in_threadpool(_ingest, store, who, data))
    except BadBatch as exc:
        return problem(exc.status, exc.reason)
    except OfficeUnavailable as exc:
        log.warning("%s", exc)
        return problem(503, "the office database is unavailable; try again later",
                       **{"Retry-After": "5"})
    except OfficeStoreError as exc:
        log.error("%s", exc)
        return problem(503, "the office could not store the batch; try again later",
                       **{"Retry-After": "5"})
