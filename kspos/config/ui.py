"""``[ui]``: the language, full screen, and the windows facing the customer (the customer
display and the pickup number board), with the checks of their values."""

from __future__ import annotations

from kspos.records import DataclassFields, FrozenRecord

_set = object.__setattr__

__all__ = ["UiSettings", "check_screen", "screen_index"]


class UiSettings(FrozenRecord):
    """``[ui]``: the language, full screen, and the customer's side of the counter.

    ``customer_display``: "off" or "screen:N", a second window facing the customer on the
    N-th screen (1 is the first). ``customer_touch``: that display is a touchscreen (the
    customer types the 현금영수증 number there); ``customer_signature``: the signature above
    50,000원 is made there. ``customer_images``: a folder of pictures the idle page shows in
    turn (empty: the store's name). ``order_board``: the pickup number board, "off",
    "screen:N" (a window of its own) or "customer" (the customer display's right half).
    """

    __slots__ = _fields = ("lang", "fullscreen", "customer_display", "customer_touch",
                           "customer_signature", "customer_images", "order_board")
    __dataclass_fields__ = DataclassFields()
    lang: str
    fullscreen: bool
    customer_display: str
    customer_touch: bool
    customer_signature: bool
    customer_images: str
    order_board: str

    def __init__(self, lang: str = "ko", fullscreen: bool = False,
                 customer_display: str = "off", customer_touch: bool = False,
                 customer_signature: bool = False, customer_images: str = "",
                 order_board: str = "off") -> None:
        _set(self, "lang", lang)
        _set(self, "fullscreen", fullscreen)
        _set(self, "customer_display", customer_display)
        _set(self, "customer_touch", customer_touch)
        _set(self, "customer_signature", customer_signature)
        _set(self, "customer_images", customer_images)
        _set(self, "order_board", order_board)

    @property
    def customer_screen(self) -> int | None:
        """The customer display's screen, 0-based as Qt counts them; None when off."""
        return screen_index(self.customer_display)

    @property
    def board_screen(self) -> int | None:
        """The pickup board's own window's screen (0-based); None when off or "customer"."""
        return screen_index(self.order_board)


def screen_index(value: str) -> int | None:
    """"screen:N" (N from 1) as Qt's 0-based screen index; None for anything else."""
    kind, _, number = value.partition(":")
    return int(number) - 1 if kind == "screen" and number.isdigit() else None


def check_screen(key: str, value: str) -> None:
    """``customer_display`` / ``order_board``: "off" or "screen:N" (N = 1 for the first
    screen); the board may also be "customer" (the customer display's right half)."""
    allowed = '"off", "screen:N" (N = 1, 2, ...)' + (' or "customer"' if key == "order_board"
                                                       else "")
    if value == "off" or (key == "order_board" and value == "customer"):
        return
    number = value.partition(":")[2] if value.startswith("screen:") else ""
    if not number.isdigit() or not 1 <= int(number) <= 16:
        raise ValueError(f"must be {allowed}, got {value!r}")
