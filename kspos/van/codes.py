"""The VAN telegram's vocabulary: classes, types, response codes and their Message1 texts.

Everything here is specs/van-telegram.md sections 2, 4 and 5 in table form, shared by the
client and the host simulator so the two can never disagree on a word.
"""

from __future__ import annotations

TRAINING_TID = "TRAIN00001"
"""연습 모드's terminal id: only its in-process simulator ever sees it (never a live link)."""

# 거래구분 (field 2)
CARD_CLASSES = frozenset({"IC", "MS", "KI"})
CASH_RECEIPT = "HK"
EASY_PAY = "EP"
NETWORK_TEST = "NT"

# 전문구분 (field 4)
APPROVE = "0200"
CANCEL = "0420"
PARTIAL_CANCEL = "7420"
NETWORK_CANCEL = "0440"
TEST = "0800"

ENTRY_FOR_CLASS = {"IC": "I", "MS": "S", "KI": "K"}
CLASS_FOR_ENTRY = {entry: klass for klass, entry in ENTRY_FOR_CLASS.items()}

# Which 전문구분 each 거래구분 may carry (an unknown pair is F/8001).
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    **{klass: frozenset({APPROVE, CANCEL, PARTIAL_CANCEL, NETWORK_CANCEL})
       for klass in CARD_CLASSES},
    EASY_PAY: frozenset({APPROVE, CANCEL, PARTIAL_CANCEL, NETWORK_CANCEL}),
    CASH_RECEIPT: frozenset({APPROVE, CANCEL, NETWORK_CANCEL}),
    NETWORK_TEST: frozenset({TEST}),
}

# Types a network cancel (망취소) is owed for when no valid answer came.
REVERSIBLE_TYPES = frozenset({APPROVE, CANCEL, PARTIAL_CANCEL})

SELF_ISSUED_IDENTITY = "0100001234"
"""자진발급: the identity a cash receipt carries when the customer gives none (010-000-1234)."""

PURPOSE_DEDUCTION = "00"  # 소득공제
PURPOSE_EXPENSE = "01"  # 지출증빙


def response_type(request_type: str) -> str:
    """The answer's 전문구분: the request's + 10 (``0200`` → ``0210``)."""
    if not (len(request_type) == 4 and request_type.isdigit()):
        return request_type
    return f"{(int(request_type) + 10) % 10_000:04d}"


# 응답코드 → (status, Message1). 0000 has several messages; they are named below.
OK = "0000"
MSG_APPROVED = "정상승인"
MSG_REVERSED = "망취소완료"
MSG_NOTHING_TO_REVERSE = "원거래없음"
MSG_NETWORK_OK = "망점검정상"

RESPONSE_CODES: dict[str, tuple[str, str]] = {
    "0000": ("O", MSG_APPROVED),
    "7001": ("X", "한도초과"),
    "7002": ("X", "잔액부족"),
    "7003": ("X", "유효기간경과"),
    "7004": ("X", "분실도난카드"),
    "7005": ("X", "할부불가"),
    "7006": ("X", "거래정지카드"),
    "7007": ("X", "카드번호오류"),
    "7101": ("X", "원거래없음"),
    "7102": ("X", "기취소거래"),
    "7103": ("X", "취소금액초과"),
    "8001": ("F", "전문오류"),
    "8002": ("F", "미등록단말기"),
    "8003": ("F", "일련번호중복"),
    "8101": ("X", "결제코드만료"),
    "8102": ("X", "식별번호오류"),
    "9001": ("X", "호스트장애"),
}

FORMAT_ERROR = "8001"
UNKNOWN_TID = "8002"
DUPLICATE_SERIAL = "8003"
