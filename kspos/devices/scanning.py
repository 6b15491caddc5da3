"""What a scanned code is: a customer's payment code (which wallet), a product barcode, or
unknown. Rules from specs/korean-rules.md; tested in the order given there (Kakao's prefix
overlaps the Alipay range)."""

from __future__ import annotations

from kspos.records import FrozenRecord

WALLET_NAMES: dict[str, tuple[str, str]] = {
    "WCHT": ("위챗페이", "WeChat Pay"),
    "ALIP": ("알리페이", "Alipay"),
    "KAKA": ("카카오페이", "Kakao Pay"),
    "ZERO": ("제로페이", "Zero Pay"),
    "UNPY": ("유니온페이", "UnionPay QR"),
    "EMVQ": ("EMV QR", "EMV CPM QR"),
    "NAVR": ("네이버페이", "Naver Pay"),
    "PYCO": ("페이코", "Payco"),
    "TOSS": ("토스페이", "Toss Pay"),
    "SSGP": ("SSG페이", "SSG Pay"),
    "LPAY": ("엘페이", "L.Pay"),
}


class ScanKind(FrozenRecord):
    """The classifier's verdict: ``kind`` is payment, product or unknown."""

    __slots__ = _fields = ("kind", "wallet", "value")
    kind: str
    wallet: str | None
    value: str

    def __init__(self, kind: str, wallet: str | None, value: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "wallet", wallet)
        object.__setattr__(self, "value", value)


def detect_wallet(code: str) -> str | None:
    """The wallet code for a customer-presented payment code, or None when no rule matches."""
    if code.startswith("281006"):
        return "KAKA"
    if code.isdigit():
        if len(code) == 18 and "10" <= code[:2] <= "15":
            return "WCHT"
        if 16 <= len(code) <= 24 and "25" <= code[:2] <= "30":
            return "ALIP"
        if len(code) == 19 and code.startswith("62"):
            return "UNPY"
        if code.startswith("800088"):
            return "ZERO"
    if code.startswith("hQVDUFY"):
        return "EMVQ"
    return None


def gtin_ok(code: str) -> bool:
    """EAN-13, EAN-8 or UPC-A with a correct check digit."""
    if not code.isdigit() or len(code) not in (8, 12, 13):
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    # weights 3,1,3,... counted from the digit left of the check digit
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def classify_scan(raw: str) -> ScanKind:
    """Classify one scan; control characters and surrounding whitespace are stripped."""
    value = "".join(ch for ch in raw if ch.isprintable()).strip()
    wallet = detect_wallet(value)
    if wallet is not None:
        return ScanKind("payment", wallet, value)
    if gtin_ok(value):
        return ScanKind("product", None, value)
    return ScanKind("unknown", None, value)
