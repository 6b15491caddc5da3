"""Sentences of the VAN client's input checks (kspos/van/rules.py, client.py).

code → (Korean, English). The English is what ``kspos van`` has always printed (a
technician's words, so ``str()`` of these stays English: VanInputError.plain); the Korean
is for the cashier's screen in Korean.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "van.amount": ("금액은 1원에서 {most:,}원 사이의 정수입니다",
                   "the amount is a whole number of won from 1 to {most:,}"),
    "van.amounts": ("{error}", "{error}"),  # the VAT split's own refusal
    "van.keyed_card": ("직접 입력한 카드는 PAN=YYMM 형식입니다: 13-19자리 숫자, '=', 연도와 월",
                       "a keyed card is PAN=YYMM: 13-19 digits, '=', year and month"),
    "van.card_or_keyed": ("카드를 읽거나 카드 번호를 입력하세요 (둘 중 하나만)",
                          "give either a card read or a keyed card number"),
    "van.card_not_read": ("카드를 읽지 못했습니다: 다시 읽어 주세요",
                          "the card was not read; read it again"),
    "van.no_track2": ("읽은 카드에 쓸 수 있는 트랙2 정보가 없습니다: 다시 읽어 주세요",
                      "the card read holds no usable track-2 data; read it again"),
    "van.track2_too_long": ("읽은 카드의 트랙2 정보가 너무 깁니다: 다시 읽어 주세요",
                            "the card read's track-2 data is too long; read it again"),
    "van.receipt_purpose": ("현금영수증 용도는 00 소득공제 또는 01 지출증빙입니다",
                            "the cash receipt purpose is 00 (income deduction) or 01 (expense "
                            "proof)"),
    "van.self_issued": ("자진발급 현금영수증은 소득공제(00)용입니다",
                        "a self-issued cash receipt is for income deduction (00)"),
    "van.receipt_identity": ("현금영수증 번호는 휴대폰 번호(01…), 현금영수증 카드 번호(13-19자리) "
                             "또는 올바른 사업자등록번호입니다",
                             "the cash receipt identity is a mobile number (01…), a cash "
                             "receipt card number (13-19 digits) or a valid business number"),
    "van.wallet_unknown": ("이 코드의 간편결제 지갑을 알 수 없습니다: {known} 중에서 고르세요",
                           "the wallet of this code is not known: pick one of {known}"),
    "van.wallet_named": ("알 수 없는 지갑 {wallet!r}: {known} 중 하나입니다",
                         "unknown wallet {wallet!r}: one of {known}"),
    "van.timeout": ("VAN {name} 제한 시간은 0초보다 길고 {top:g}초 이하입니다: {value!r}",
                    "the VAN {name} timeout is more than 0 and at most {top:g} seconds, "
                    "got {value!r}"),
    "van.tid": ("TID는 영문자나 숫자 10자리입니다 (예: DPT0TEST03): {tid!r}",
                "the TID is 10 letters or digits, e.g. DPT0TEST03, got {tid!r}"),
    "van.installment": ("할부: 0 (일시불) 또는 2-12개월",
                        "installments: 0 (pay in full) or 2-12 months"),
    "van.installment_from": ("할부는 50,000원부터 가능합니다",
                             "installments are allowed only from 50,000 KRW"),
    "van.signature": ("50,000원을 넘는 카드 결제는 고객 서명이 필요합니다",
                      "a card payment above 50,000 KRW needs the customer's signature"),
    "van.cancel_class": ("카드 취소의 구분은 IC, MS 또는 KI입니다: {klass!r}",
                         "a card cancel's class is IC, MS or KI, got {klass!r}"),
    "van.receipt_entry": ("현금영수증 번호는 직접 입력(K) 또는 카드(S)로 받습니다",
                          "a cash receipt identity is keyed (K) or swiped (S)"),
    "van.payment_code": ("결제 코드는 인쇄 가능한 1-37자입니다",
                         "a payment code is 1-37 printable characters"),
    "van.approval_no": ("원거래 승인번호는 영문자나 숫자 1-12자리입니다",
                        "the original approval number is 1-12 letters or digits"),
    "van.approval_date": ("원거래 승인일자는 YYMMDD 형식입니다: {date!r}",
                          "the original approval date is YYMMDD, got {date!r}"),
    "van.txn_id": ("VAN 거래번호는 20자까지입니다", "the VAN transaction id is at most 20 characters"),
    "van.pos_ref": ("POS 영수증 번호는 30자까지입니다",
                    "the POS receipt number is at most 30 characters"),
}

# What ``kspos van`` has always printed where it differs from the English for the screen
# (the command line keeps its words; a screen in English shows no Korean).
PLAIN: dict[str, str] = {
    "van.receipt_purpose": "the cash receipt purpose is 00 소득공제 or 01 지출증빙",
    "van.self_issued": "a self-issued (자진발급) cash receipt is for 소득공제 (00)",
    "van.installment": "할부: 0 (일시불) or 2-12 months",
    "van.installment_from": "할부 is allowed only from 50,000 KRW",
}
