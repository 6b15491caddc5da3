"""Sentences of the counter: orders, payments, refunds, business days, staff, checkout.

code → (Korean, English); both templates name the same placeholders (kspos.messages says
what the format specs ``won`` and ``을/를`` do).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- an order and its lines (kspos/sales/orders.py, register.py, service.py)
    "order.changed_elsewhere": ("이미 다른 계산대에서 {done} 주문입니다",
                                "Another register has {done} this order"),
    "order.bad_transition": ("{current} 상태의 주문은 {target}(으)로 바꿀 수 없습니다",
                             "The order is {current}: it cannot become {target}"),
    "order.locked": ("{state} 상태의 주문은 고칠 수 없습니다",
                     "A {state} order cannot be changed"),
    "order.discount_kind": ("알 수 없는 할인 종류입니다: {kind!r}",
                            "Unknown discount kind {kind!r}"),
    "order.discount_not_positive": ("할인은 0보다 커야 합니다", "A discount must be more than 0"),
    "order.discount_percent_over": ("할인율은 100%를 넘을 수 없습니다",
                                    "A discount is at most 100%"),
    "order.discount_amount_over": ("할인 금액이 너무 큽니다: {most:won}까지입니다",
                                   "The discount is over {most:won}"),
    "order.discount_over_base": ("할인 {off:won}이 {what} 금액 {base:won}보다 큽니다",
                                 "A {off:won} discount is more than {what} {base:won}"),
    "order.discount_over_base_now": (
        "할인 {off:won}이 {what} 금액 {base:won}보다 큽니다: 할인을 먼저 바꾸세요",
        "A {off:won} discount is more than {what} {base:won}: change the discount first"),
    "order.complimentary_discount": ("서비스 품목에는 할인을 줄 수 없습니다",
                                     "A complimentary line cannot be discounted"),
    "order.qty_not_number": ("수량은 숫자여야 합니다: {qty!r}",
                             "The quantity must be a whole number, got {qty!r}"),
    "order.qty_range": ("수량은 1에서 {most} 사이여야 합니다: {qty}",
                        "The quantity is 1 to {most}, got {qty}"),
    "order.price_not_whole": ("가격은 원 단위 정수여야 합니다: {price!r}",
                              "The price must be whole won, got {price!r}"),
    "order.price_range": ("가격은 0원에서 {most:won} 사이여야 합니다: {price:won}",
                          "The price must be 0 to {most:won}, got {price:won}"),
    "order.total_too_large": ("주문 합계가 너무 큽니다: {most:won}까지입니다",
                              "The order is over {most:won}"),
    "order.below_paid": ("이미 {paid:won}을 받았습니다: 합계를 그보다 줄일 수 없습니다 "
                         "— 주문취소로 받은 결제를 되돌리세요",
                         "The order cannot go below the {paid:won} already paid: void it to "
                         "give the tenders back"),
    "order.option_price_range": ("옵션 가격이 너무 큽니다", "An option price is out of range"),
    "order.price_below_zero": ("옵션 적용 후 가격이 0원보다 작습니다",
                               "The price is below 0 after options"),
    "order.too_many_lines": ("한 주문에 {most}줄까지 담을 수 있습니다",
                             "An order holds at most {most} lines"),
    "order.no_such_line": ("선택한 줄이 없습니다", "No such line"),
    "order.confirm": ("{amount:won} {what:은/는} 확인이 필요합니다",
                      "Confirm {what} of {amount:won}"),
    "order.training_mid_order": ("주문을 끝낸 뒤 연습 모드를 바꾸세요",
                                 "Finish the order before switching training mode"),
    "order.choose_option": ("{group:을/를} 선택하세요", "Choose a {group}"),
    "order.pick_one": ("{group:은/는} 하나만 고를 수 있습니다", "Pick one {group}"),
    "order.no_such_item": ("없는 메뉴입니다", "No such item"),
    "order.sold_out": ("{item:은/는} 품절입니다", "{item} is sold out"),
    "order.payment_code": ("결제 코드입니다: 간편결제를 누른 뒤 스캔하세요",
                           "That is a payment code: press Easy pay first"),
    "order.unknown_barcode": ("알 수 없는 바코드입니다: {barcode}", "Unknown barcode: {barcode}"),
    "order.finish_current": ("진행 중인 주문을 먼저 보류하거나 끝내세요",
                             "Hold or finish the current order first"),
    "order.empty": ("주문이 비어 있습니다", "The order is empty"),
    "order.not_found": ("주문을 찾을 수 없습니다", "Order not found"),
    "order.nothing_to_hold": ("빈 주문은 보류할 수 없습니다", "An empty order cannot be held"),
    "order.hold_partly_paid": ("결제가 일부 진행된 주문은 보류할 수 없습니다",
                               "A partly paid order cannot be held"),
    "order.void_partly_paid": ("결제가 일부 진행된 주문입니다: 먼저 환불하세요",
                               "The order is partly paid: refund the tenders first"),
    "order.undoing": ("받은 결제를 되돌리던 주문입니다: 주문취소로 마무리하세요",
                      "Its tenders were being given back: void it to finish"),
    "order.not_payable": ("결제할 수 없는 주문입니다", "The order is not open for payment"),
    "order.not_being_paid": ("결제 중인 주문이 아닙니다", "The order is not being paid"),
    # --- tenders (kspos/sales/payments.py, service.py, tenders.py, giving_back.py)
    "payment.over_total": ("남은 금액보다 많이 결제할 수 없습니다: 결제 {taken:won}, "
                           "합계 {total:won}",
                           "Tenders of {taken:won} are over the total {total:won}"),
    "payment.not_configured": ("{method}: 이 결제수단은 설정되지 않았습니다",
                               "{method}: this tender is not configured"),
    "payment.amount_range": ("결제 금액은 1원에서 남은 금액 {due:won} 사이여야 합니다",
                             "The amount must be 1 won to the {due:won} due"),
    "payment.cash_not_whole": ("받은 금액은 원 단위 정수여야 합니다",
                               "The cash received must be whole won"),
    "payment.cash_missing": ("받은 금액을 입력하거나 '딱맞게'를 누르세요",
                             "Enter the cash received, or tap Exact"),
    "payment.cash_short": ("받은 금액이 부족합니다: {short:won} 더 받아야 합니다",
                           "Not enough cash: {short:won} more is due"),
    "payment.cash_too_much": ("받은 금액이 너무 큽니다: 거스름돈은 {most:won}까지입니다",
                              "Too much cash received: the change is at most {most:won}"),
    "payment.no_van": ("VAN이 설정되지 않았습니다", "No VAN link is configured"),
    "payment.van": ("{error}", "{error}"),
    "payment.no_card": ("카드를 읽지 못했습니다", "No card was read"),
    "payment.scan_code": ("고객 바코드를 스캔하세요", "Scan the customer's code"),
    "payment.wallet_unknown": ("간편결제 지갑 정보가 없습니다", "The wallet is not known"),
    "payment.cash_receipt": ("현금영수증: {error}", "Cash receipt: {error}"),
    "payment.cash_receipt_cancel": ("현금영수증 취소 실패: {reason}",
                                    "The cash receipt cancel failed: {reason}"),
    "payment.receipt_identity_needed": ("현금영수증을 취소하려면 고객 번호가 필요합니다",
                                        "Enter the cash receipt number to refund"),
    "payment.new_identity_invalid": (
        "새 현금영수증 번호가 올바르지 않습니다: 휴대폰 번호, 현금영수증 카드 또는 "
        "사업자등록번호를 입력하세요",
        "The new cash receipt number is not valid: enter a phone number, a cash receipt "
        "card or a business registration number"),
    "payment.identity_mismatch": (
        "현금영수증 번호가 원래 번호 {shown:과/와} 다릅니다: 같은 번호를 입력하세요; "
        "다른 번호로 받으려면 '번호 변경'을 고르세요",
        "The number does not match the receipt's {shown}: enter the same number, or pick "
        "Change number to use another"),
    # --- refunds (kspos/sales/giving_back.py, refunds.py)
    "refund.no_such_line": ("환불할 줄이 없습니다", "No such line to refund"),
    "refund.bad_qty": ("환불 수량이 잘못되었습니다", "Bad refund quantity"),
    "refund.more_than_remains": ("{item}: 남은 수량 {left}개보다 많이 환불할 수 없습니다",
                                 "{item}: only {left} left to refund"),
    "refund.nothing_left": ("환불할 금액이 없습니다", "Nothing is left to refund"),
    "refund.declined": ("환불이 거절되었습니다: {reason} ({answer})",
                        "The refund was declined: {reason} ({answer})"),
    "refund.busy": ("이미 다른 계산대에서 이 주문을 환불하고 있습니다: 끝난 뒤 다시 시도하세요",
                    "Another register is refunding this order: try again when it is done"),
    "refund.only_paid": ("결제가 끝난 주문만 환불할 수 있습니다: 이 주문은 {state}",
                         "Only paid orders can be refunded: this one is {state}"),
    "refund.elsewhere_tender": (
        "이미 다른 계산대에서 환불되었습니다: 결제 금액보다 많이 환불할 수 없습니다",
        "Already refunded elsewhere: more than the tender took"),
    "refund.elsewhere_total": (
        "이미 다른 계산대에서 환불되었습니다: 주문 금액보다 많이 환불할 수 없습니다",
        "Already refunded elsewhere: more than the order's total"),
    "refund.elsewhere_qty": (
        "이미 다른 계산대에서 환불되었습니다: 남은 수량보다 많이 환불할 수 없습니다",
        "Already refunded elsewhere: more than remains"),
    # --- business days (kspos/sales/days.py, service.py)
    "day.not_open": ("영업이 시작되지 않았습니다: 영업 시작을 누르세요",
                     "The business day is not open: press Open day"),
    "day.no_denomination": ("{note}원권은 없습니다", "There is no {note} won note"),
    "day.bad_count": ("{note:won} 수량이 잘못되었습니다: {pieces!r}",
                      "Bad count of {note:won} notes: {pieces!r}"),
    "day.bad_float": ("시재금이 잘못되었습니다", "Bad cash float"),
    "day.already_open": ("이미 영업 중입니다", "A business day is already open"),
    "day.not_found": ("영업일이 없습니다", "No such business day"),
    "day.bad_counted": ("현금 시재가 잘못되었습니다", "Bad counted cash"),
    "day.count_mismatch": ("권종별 합계 {total:won}이 실제 현금 {counted:won}과 다릅니다",
                           "The count by denomination adds up to {total:won}, not the counted "
                           "{counted:won}"),
    "day.none_open": ("열린 영업일이 없습니다", "No open business day"),
    "day.orders_open": ("진행 중이거나 보류된 주문 {count}건을 먼저 처리하세요",
                        "Finish the {count} open or held orders first"),
    "day.bad_limit": ("조회할 일수가 잘못되었습니다: {limit!r}", "Bad number of days: {limit!r}"),
    # --- staff and PINs (kspos/sales/staff.py, staff_admin.py, register.py)
    "staff.login_required": ("로그인이 필요합니다", "Log in first"),
    "staff.pin_format": ("PIN은 숫자 4-8자리입니다", "A PIN is 4-8 digits"),
    "staff.name_length": ("이름은 1-{most}자입니다", "A name is 1-{most} characters"),
    "staff.pin_locked": ("PIN 입력이 잠겼습니다: {seconds}초 후 다시 시도하세요",
                         "Too many wrong PINs: try again in {seconds} s"),
    "staff.wrong_pin": ("PIN이 맞지 않습니다", "Wrong PIN"),
    "staff.role_required": ("{roles} 권한이 필요합니다", "This needs {roles} PIN"),
    "staff.pin_taken": ("다른 직원이 쓰는 PIN입니다", "Another staff member has this PIN"),
    "staff.pin_refused": ("쓸 수 없는 PIN입니다: 다른 PIN을 고르세요",
                          "This PIN cannot be used: choose another PIN"),
    "staff.demo_pin": ("데모 PIN은 쓸 수 없습니다", "The demo PINs cannot be used"),
    "staff.no_such_member": ("없거나 비활성화된 직원입니다", "No such active staff member"),
    "staff.last_owner": ("마지막 점주는 비활성화하거나 역할을 바꿀 수 없습니다",
                         "The last active owner must stay an active owner"),
    # --- the checkout flow (kspos/sales/checkout.py): a programming error, English in logs
    "checkout.refused": ("결제 화면이 {state} 상태에서 {event}을(를) 받지 않습니다: {reason}",
                         "{event} in {state}: {reason}"),
    "checkout.no_request": ("{state} 상태에는 보낼 요청이 없습니다",
                            "no request to send in {state}"),
    # --- demo history (kspos/sales/demo_data.py): a command-line tool, English in logs
    "demo.no_owner": ("데모 데이터는 영업일을 열고 닫을 점주 계정이 필요합니다",
                      "demo-data needs an owner account to open and close days"),
    "demo.no_items": ("메뉴에 팔 품목이 없습니다", "the menu has no items to sell"),
    "demo.day_open": ("영업일 {day}이(가) 열려 있습니다: 먼저 마감하세요 — 데모 데이터는 "
                      "마감된 지난 날을 씁니다",
                      "business day {day} is open: close it first — demo-data writes "
                      "closed past days"),
}

# What ``kspos demo-data`` has always printed where it differs from the English for the screen.
PLAIN: dict[str, str] = {
    "demo.no_owner": "demo-data needs an owner (점주) account to open and close days",
    "demo.day_open": "business day {day} is open: close it (마감) first — demo-data writes "
                     "closed past days",
}
