"""``kspos van-sim`` and ``kspos van test|approve|cancel|list`` (delegated from kspos.cli).

The technician's commands use the configured database, so their serials and network-cancel
journal are the POS's own: each run first finishes any pending 망취소, and approve/cancel keep
every answer they get in the same transaction (``kspos van list``). ``--json`` prints one
object with the contract's field names (ARCHITECTURE.md). Exit 0 approved, 1 declined, failed
or no answer, 2 bad input. The full card number is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the client pulls in the store; `kspos van-sim` needs none of it
    from kspos.command_host import CommandHost
    from kspos.van.client import VanClient
    from kspos.van.result import VanResult

_Plan = Callable[["VanClient"], "VanResult"]


# --- kspos van-sim ------------------------------------------------------------------------------


def van_sim(args: argparse.Namespace, cli: CommandHost) -> int:
    """Run the host simulator until SIGINT/SIGTERM."""
    from kspos.van.simulator import parse_fault

    try:
        fault = parse_fault(args.fault)
    except ValueError as exc:
        raise cli.UsageError(f"--fault: {exc}") from None
    if not 0.0 <= args.fault_rate <= 1.0:
        raise cli.UsageError(f"--fault-rate is between 0 and 1, got {args.fault_rate}")
    if args.port > 65_535:
        raise cli.UsageError(f"--port is 0-65535, got {args.port}")
    try:
        return asyncio.run(_serve(args.host, args.port, fault, args.fault_rate))
    except OSError as exc:
        raise cli.CommandFailed(f"cannot listen on {args.host}:{args.port}: "
                                f"{exc.strerror or exc}") from None


async def _serve(host: str, port: int, fault: Any, rate: float) -> int:
    from kspos.van.simulator import VanHostSimulator

    sim = await VanHostSimulator(host, port, fault=fault, fault_rate=rate).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    extra = "" if fault.kind == "none" else f", fault {fault} at rate {rate:g}"
    print(f"KSPOS VAN simulator listening on {host}:{sim.port}{extra}", flush=True)
    await stop.wait()
    await sim.stop()
    print("KSPOS VAN simulator stopped", flush=True)
    return 0


# --- kspos van test|approve|cancel|list -------------------------------------------------------------


def main(args: argparse.Namespace, cli: CommandHost) -> int:
    """``kspos van SUBCOMMAND``."""
    from kspos.devices.specs import SpecError, parse_spec
    from kspos.van.client import ReversalPolicy, Timeouts, VanClient
    from kspos.van.link import build_van_link
    from kspos.van.rules import VanError, VanInputError

    settings = cli.load_settings_for(args)
    if args.van_command == "list":
        return _list(args, cli, settings)
    _setup_logging(settings, args)
    try:
        spec = parse_spec(args.van or settings.van.spec, "van")
    except SpecError as exc:
        raise cli.UsageError(str(exc)) from None
    plan = _plan(args, cli)
    from kspos.van.codes import TRAINING_TID

    if (args.tid or settings.van.tid) == TRAINING_TID and spec.kind != "embedded":
        raise cli.UsageError(f"--tid {TRAINING_TID} is 연습 모드's own (training mode); only "
                             "--van embedded may use it")
    try:  # checked before the store is opened: nothing is written with a bad timeout
        timeouts = Timeouts(settings.van.connect_timeout_s,
                            args.timeout or settings.van.response_timeout_s)
    except VanInputError as exc:
        raise cli.UsageError(str(exc)) from None
    # 망취소 in line: at once, then after 1 s and 2 s (sooner when the timeout is shorter)
    step = min(1.0, timeouts.response_s)
    policy = ReversalPolicy(immediate=(0.0, step, 2 * step))
    db = cli.open_database(settings)
    link = build_van_link(spec)
    try:
        client = VanClient(db, link, args.tid or settings.van.tid, timeouts, policy=policy)
        for outcome in client.resume_pending():
            state = "done" if outcome.done else "still pending"
            print(f"kspos: 망취소 serial {outcome.serial}: {state} ({outcome.message})",
                  file=sys.stderr)
        result = plan(client)
    except VanInputError as exc:
        raise cli.UsageError(str(exc)) from None
    except VanError as exc:  # a 망취소 pending, an answer the store could not keep
        raise cli.CommandFailed(str(exc)) from None
    except Exception as exc:
        raise cli.CommandFailed(_store_message(exc)) from None
    finally:
        link.close()
        db.close()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(_human(result))
    return 0 if result.approved else 1


def _list(args: argparse.Namespace, cli: CommandHost, settings: Any) -> int:
    """``kspos van list``: the kept answers, newest first (the store is only read)."""
    from kspos.van import records

    db = cli.open_database(settings)
    try:
        rows = records.recent(db, args.tid, args.limit)
        cancels = records.network_cancels(db, args.tid, args.limit)
    except Exception as exc:
        raise cli.CommandFailed(_store_message(exc)) from None
    finally:
        db.close()
    if args.json:
        print(json.dumps({"transactions": [records.to_json(r) for r in rows],
                          "network_cancels": cancels}, ensure_ascii=False))
        return 0
    print("\n".join(records.human(r) for r in rows) if rows else
          "no VAN answers kept yet (kspos van approve|cancel keep theirs)")
    if cancels:
        print("망취소 (network cancels):")
        print("\n".join("  " + records.cancel_line(c) for c in cancels))
    return 0


def _store_message(exc: Exception) -> str:
    """A store failure in words; anything else is not ours to word, so it goes on up."""
    from kspos.store.errors import StoreError, humanize_db_error, is_database_error

    if isinstance(exc, StoreError):
        return str(exc)
    if is_database_error(exc):  # sqlite3 (kspos.store.sql) or SQLAlchemy, untranslated
        return humanize_db_error(exc)
    raise exc


def _setup_logging(settings: Any, args: argparse.Namespace) -> None:
    from kspos.logs import setup_logging

    try:
        setup_logging(settings.log_dir, verbose=getattr(args, "verbose", False))
    except OSError as exc:
        print(f"kspos: warning: cannot write logs to {settings.log_dir}: {exc.strerror}",
              file=sys.stderr)


def _plan(args: argparse.Namespace, cli: CommandHost) -> _Plan:
    """What to send, from the arguments; bad combinations are usage errors (exit 2)."""
    from kspos.van.rules import VanInputError

    command = args.van_command
    if command == "test":
        return lambda client: client.network_test()
    if args.wallet and not args.code:
        raise cli.UsageError("--wallet goes with --code")
    if args.purpose and not args.cash_receipt:
        raise cli.UsageError("--purpose goes with --cash-receipt")
    purpose = "01" if args.purpose == "expense" else "00"
    try:
        if command == "approve":
            return _approve_plan(args, cli, purpose)
        return _cancel_plan(args, cli, purpose)
    except VanInputError as exc:
        raise cli.UsageError(str(exc)) from None


def keep(session: Any, result: VanResult) -> None:
    """Every answer approve/cancel get is kept (``kspos van list``), in the transaction that
    clears the request's 망취소 intent: killed after the answer, the command leaves the one
    or the other, never an approval nobody can name."""
    from kspos.van.records import keep_answer

    keep_answer(session, result)


def _approve_plan(args: argparse.Namespace, cli: CommandHost, purpose: str) -> _Plan:
    amount, test, installment = args.amount, args.test, args.installment
    if installment and not args.card:
        raise cli.UsageError("--installment goes with --card")
    from kspos.money import SIGNATURE_ABOVE_KRW
    from kspos.van.rules import parse_keyed

    if args.card:
        keyed = parse_keyed(args.card)
        signature = _technician_signature() if amount > SIGNATURE_ABOVE_KRW else None
        return lambda c: c.approve_card(amount, keyed=keyed, installment=installment,
                                        signature=signature, test=test, on_response=keep)
    if args.code:
        code, wallet = args.code, args.wallet
        return lambda c: c.approve_easy_pay(amount, code=code, wallet=wallet, test=test,
                                            on_response=keep)
    identity = args.cash_receipt
    return lambda c: c.approve_cash_receipt(amount, identity=identity, purpose=purpose,
                                            test=test, on_response=keep)


def _cancel_plan(args: argparse.Namespace, cli: CommandHost, purpose: str) -> _Plan:
    common = {"approval_no": args.approval, "approval_date": args.date,
              "amount": args.amount, "test": args.test, "on_response": keep}
    partial = args.partial
    if args.code:
        from kspos.devices.scanning import detect_wallet

        wallet = args.wallet or detect_wallet(args.code.strip()) or ""
        return lambda c: c.cancel_easy_pay(wallet=wallet, partial=partial, **common)
    if args.cash_receipt:
        if partial:
            raise cli.UsageError("a cash receipt has no partial cancel (7420): cancel it whole")
        identity = args.cash_receipt
        return lambda c: c.cancel_cash_receipt(identity=identity, purpose=purpose, **common)
    from kspos.van.rules import parse_keyed

    klass = "IC"
    if args.card:
        parse_keyed(args.card)  # checked, never sent: a cancel carries no card data
        klass = "KI"
    return lambda c: c.cancel_card(klass=klass, partial=partial, **common)


def _technician_signature() -> Any:
    """The pad a technician's keyed test has not: a fixed stroke, so above 50,000 KRW the
    request still carries a signature block as the spec demands."""
    from kspos.ports import Signature

    rows = bytearray(Signature.SIZE)
    for x in range(8, 120):  # a wave across the middle
        y = 32 + (8 if (x // 8) % 2 else -8) * ((x % 8) - 4) // 4
        rows[y * 16 + x // 8] |= 0x80 >> (x % 8)
    return Signature(bytes(rows))


def _human(result: VanResult) -> str:
    lines = [f"{result.type or '----'} {result.status} {result.code or '----'} {result.message}"]
    if result.approval_no:
        lines.append(f"  승인번호 {result.approval_no}  승인일자 {result.approval_date}  "
                     f"거래일시 {result.approved_at}")
    lines.append(f"  serial {result.serial}  class {result.klass} {result.request_type}"
                 f"  amount {result.amount:,}")
    if result.masked_pan:
        lines.append(f"  card {result.masked_pan} {result.brand}  발급사 {result.issuer_code} "
                     f"{result.issuer}  매입사 {result.acquirer_code} {result.acquirer}")
    if result.wallet:
        lines.append(f"  wallet {result.wallet}")
    if result.masked_identity:
        lines.append(f"  식별번호 {result.masked_identity}")
    ids = [f"가맹점번호 {result.merchant_no}" if result.merchant_no else "",
           f"거래고유번호 {result.van_txn_id}" if result.van_txn_id else ""]
    if any(ids):
        lines.append("  " + "  ".join(i for i in ids if i))
    if result.network_cancel:
        lines.append(f"  망취소 serial {result.network_cancel.serial}: "
                     f"{result.network_cancel.status}")
    return "\n".join(lines)
