"""The check screen's actions: 한 번 더, 인원, 메모, 중간 계산서, 테이블 이동, 합석, 분할 계산,
결제 and 주문 취소 of a sent line. Mixed into CheckScreen (ui/screens/check.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QWidget

from kspos.messages import DomainError
from kspos.sales.floor import TableTile
from ui.dialogs.base import TouchDialog
from ui.dialogs.misc import ConfirmDialog
from ui.dialogs.table_pick import GuestsDialog, MemoDialog, TablePickDialog
from ui.i18n import Shown, t, won
from ui.screens.tables import staff_for
from ui.widgets.common import Stepper, button, label

if TYPE_CHECKING:
    from kspos.context import AppContext
    from kspos.sales.checks import Check
    from ui.widgets.check_view import CheckTable

    _Base = QWidget
else:
    _Base = object

log = logging.getLogger(__name__)
CANCEL_REASONS = ("손님 요청", "주문 실수", "품절", "조리 지연", "기타")


class CancelDialog(TouchDialog):
    """주문 취소 of a sent line: how many (when more than one) and why (asked, always)."""

    def __init__(self, parent: QWidget | None, name: str, qty: int) -> None:
        super().__init__(parent, t("주문 취소") + f" — {name}")
        self.setObjectName("CancelDialog")
        self.reason = ""
        self.stepper = Stepper(qty, name="cancel-qty")
        self.stepper.setValue(1)  # one of them, most often; + for more
        self.setMinimumWidth(560)
        if qty > 1:
            self.body.addWidget(label(t("취소할 수량"), "muted"))
            self.body.addWidget(self.stepper)
        self.body.addWidget(label(t("취소 사유를 고르세요"), "muted"))
        grid = QGridLayout()
        grid.setSpacing(8)
        for n, reason in enumerate(CANCEL_REASONS):
            b = button(t(reason), "danger", lambda r=reason: self.choose(r),
                       name=f"cancel-reason-{n}")
            b.setMinimumHeight(64)
            grid.addWidget(b, n // 3, n % 3)
        self.body.addLayout(grid)
        self.cancel_button.setText(t("닫기"))
        self.cancel_button.setMinimumHeight(64)

    def choose(self, reason: str) -> None:
        if self.stepper.value() < 1:
            self.show_error(t("취소할 수량"))
            return
        self.reason = reason
        self.accept()

    @property
    def qty(self) -> int:
        return self.stepper.value()


class CheckActions(_Base):
    context: AppContext
    window_: Any
    check: Check | None
    round_memo: str
    lines: CheckTable

    if TYPE_CHECKING:
        @property
        def service(self) -> Any: ...
        def say(self, text: Shown, ok: bool = False) -> None: ...
        def refresh(self, select: int | None = None) -> None: ...
        def guarded(self, action: Any, *args: Any) -> Any: ...
        def set_line_memo(self, index: int, memo: str) -> None: ...


    def action(self, key: str) -> None:
        if self.check is None or staff_for(self, self.context) is None:
            return
        getattr(self, f"do_{key}")()

    def _changed(self, check: Check | None, select: int | None = None) -> None:
        if check is not None:
            self.check = check
        self.refresh(select)

    def confirm(self, title: str, text: str, action: str) -> bool:
        dialog = ConfirmDialog(self, title, text, action)
        accepted = dialog.exec() == ConfirmDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted

    # --- the round ----------------------------------------------------------------------------

    def do_repeat(self) -> None:
        """같은 메뉴 한 번 더: the last round's lines again, as the draft (sent with 주문 전송)."""
        self._changed(self.guarded(self.service.repeat_round, self.check))

    def ask_guests(self) -> None:
        check = self.check
        if check is None:
            return
        dialog = GuestsDialog(self, check.order.guests)
        accepted = dialog.exec() == GuestsDialog.DialogCode.Accepted
        guests = dialog.guests
        dialog.deleteLater()
        if accepted:
            staff = self.context.register.staff
            self._changed(self.guarded(self.service.set_guests, check, guests, staff))

    def do_guests(self) -> None:
        self.ask_guests()

    def do_memo(self) -> None:
        """The selected draft line's memo, or (no line selected) the round's memo."""
        check = self.check
        assert check is not None
        index = self.lines.selected_line()
        line = check.order.lines[index] if index >= 0 else None
        if line is not None and not line.round_no:
            title, memo = f"{t('메모')} — {line.name}", line.note
        else:
            title, memo = t("이번 주문 메모"), self.round_memo
        dialog = MemoDialog(self, title, memo)
        accepted = dialog.exec() == MemoDialog.DialogCode.Accepted
        text = dialog.memo
        dialog.deleteLater()
        if not accepted:
            return
        if line is not None and not line.round_no:
            self.set_line_memo(index, text)
        else:
            self.round_memo = text
            self.refresh(index if index >= 0 else None)

    def do_cancel(self) -> None:
        """주문 취소 of the selected sent line: a reason asked, a 취소 slip to the kitchen."""
        check = self.check
        assert check is not None
        index = self.lines.selected_line()
        if index < 0 or not check.order.lines[index].round_no:
            self.say(t("취소할 보낸 메뉴를 고르세요"))
            return
        line = check.order.lines[index]
        dialog = CancelDialog(self, line.name, line.qty)
        accepted = dialog.exec() == CancelDialog.DialogCode.Accepted
        qty, reason = dialog.qty, dialog.reason
        dialog.deleteLater()
        if not accepted:
            return
        staff = self.context.register.staff
        done = self.guarded(self.service.cancel_sent_line, check, index, qty, reason, staff)
        if done is not None:
            self._changed(done)
            self.say(f"{t('주문 취소')}: {line.name} × {qty} ({t(reason)})", ok=True)

    # --- the table ----------------------------------------------------------------------------

    def do_prebill(self) -> None:
        staff = self.context.register.staff
        done = self.guarded(self.service.print_prebill, self.check, staff)
        if done is not None:
            self._changed(done)
            self.say(t("중간 계산서를 출력했습니다"), ok=True)

    def _pick(self, title: str, allowed: Any) -> int | None:
        view = self.guarded(self.service.floor)
        if view is None:
            return None
        dialog = TablePickDialog(self, title, view, allowed)
        accepted = dialog.exec() == TablePickDialog.DialogCode.Accepted
        chosen = dialog.chosen
        dialog.deleteLater()
        return chosen if accepted else None

    def do_move(self) -> None:
        check = self.check
        assert check is not None
        here = check.place.id

        def empty(tile: TableTile) -> bool:
            return tile.order_id is None and tile.place.id != here

        target = self._pick(t("테이블 이동") + " — " + t("옮길 빈 테이블을 고르세요"), empty)
        if target is None:
            return
        moved = self.guarded(self.service.move, check, target, self.context.register.staff)
        if moved is not None:
            self._changed(moved)
            self.say(f"{t('테이블 이동')}: {moved.place.name}", ok=True)

    def do_merge(self) -> None:
        check = self.check
        assert check is not None
        here = check.place.id

        def occupied(tile: TableTile) -> bool:
            return tile.order_id is not None and tile.place.id != here

        source = self._pick(t("합석") + " — " + t("합칠 테이블을 고르세요"), occupied)
        if source is None:
            return
        merged = self.guarded(self.service.merge, check, source, self.context.register.staff)
        if merged is not None:
            self._changed(merged)
            self.say(t("합석했습니다"), ok=True)

    # --- paying -------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        self._reload()
        if isinstance(error, DomainError):
            self.say(error)
        else:
            log.error("a check's payment failed: %r", error)
            self.say(f"{t('오류')}: {error}")

    def _reload(self) -> None:
        check = self.check
        if check is not None and check.order.id is not None:
            fresh = self.guarded(self.service.load_check, check.order.id)
            if fresh is not None:
                self.check = fresh
        self.refresh()

    def _after_tender(self, result: Any) -> bool:
        """Read the check again after a tender; True when it is fully paid (the floor shows
        again)."""
        from ui.screens.cashier_pay import paid_message

        self._reload()
        feed = self.context.customer
        if not result.approved:
            self.say(result.message)
            return False
        check = self.check
        if check is not None and check.due <= 0:
            feed.settled(result.change)
            self.check = None
            self.window_.show_screen("tables")
            tables = self.window_.screen_widget("tables")
            tables.say(paid_message(result), ok=True)
            return True
        if check is not None:  # a part paid: the customer sees what is left
            feed.tender_ended(check.order, check.order.total - check.due)
        self.say(paid_message(result, f"{t('남은 금액')} {won(check.due) if check else ''}"),
                 ok=True)
        return False

    def _tender_done(self, result: Any) -> None:
        self._after_tender(result)

    def do_pay(self) -> None:
        self.pay_all()

    def pay_all(self) -> None:
        """결제: the whole bill (a split check pays part by part in 분할 계산)."""
        from ui.dialogs.tender_choice import choose_and_take

        check = self.check
        if check is None or staff_for(self, self.context) is None:
            return
        if check.split is not None:
            self.do_split()
            return
        staff, service = self.context.register.staff, self.service

        def take(request: Any) -> Any:
            return service.pay(check, request, staff)

        choose_and_take(self, self.context, t("결제"), check.due, take,
                        self._tender_done,
                        self._failed)

    def do_split(self) -> None:
        from ui.dialogs.split_bill import SplitBillDialog

        check = self.check
        assert check is not None
        staff, service = self.context.register.staff, self.service
        dialog: SplitBillDialog

        def store_plan(plan: Any) -> bool:
            assert self.check is not None
            done = self.guarded(service.set_split, self.check, plan, staff)
            if done is None:
                return False
            self.check = done
            return True

        def pay_part(part: Any) -> None:
            from ui.dialogs.tender_choice import choose_and_take

            current = self.check
            assert current is not None
            due = current.part_due(part.index)

            def take(request: Any) -> Any:
                return service.pay_part(current, part.index, request, staff)

            def done(result: Any) -> None:
                closed = self._after_tender(result)
                if closed:
                    dialog.set_paid(frozenset(range(len(dialog.plan.parts)))
                                    if dialog.plan else frozenset())
                elif self.check is not None:
                    dialog.set_paid(paid_parts(self.check), self.check.split)

            title = f"{t('분할 계산')} · {part.index + 1}"
            parts = len(dialog.plan.parts) if dialog.plan else 1
            choose_and_take(dialog, self.context, title, due, take, done, self._failed,
                            part=(part.index + 1, parts))

        dialog = SplitBillDialog(self, check.bill_lines(), check.due if check.split is None
                                 else check.split.total, store_plan, pay_part, check.split,
                                 paid_parts(check))
        dialog.exec()
        dialog.deleteLater()
        if self.check is not None:
            self.refresh()


def paid_parts(check: Check) -> frozenset[int]:
    """The parts of the check's split that have nothing left to pay."""
    if check.split is None:
        return frozenset()
    return frozenset(p.index for p in check.split.parts
                     if check.part_paid.get(p.index, 0) >= p.amount)
