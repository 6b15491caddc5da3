"""Messages by key: every code has a Korean and an English sentence with the same
placeholders, every code the core raises is in the catalog, and ``str()`` keeps the form the
command line and the logs print."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import kspos
from kspos.messages import CATALOG, PLAIN, Words, both

ROOT = Path(kspos.__file__).parent
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
CODE = re.compile(r"[a-z]+(\.[a-z0-9_]+)+")


def _fields(template: str) -> set[str]:
    """The placeholder names of ``template`` (``{amount:won}`` → ``amount``)."""
    return {name.split(".")[0].split("[")[0]
            for _text, name, _spec, _conv in string.Formatter().parse(template)
            if name is not None}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(ROOT.rglob("*.py"))}


def _domain_errors(trees: dict[Path, ast.Module]) -> dict[str, bool]:
    """The core's DomainError classes by name (read from the source, nothing imported):
    True for those taking ``(code, **params)``, False for one with its own constructor
    (``PinLocked(seconds)`` names its code itself)."""
    classes = {node.name: node for tree in trees.values() for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef)}
    found = {"DomainError": True}
    grew = True
    while grew:
        grew = False
        for name, node in classes.items():
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if name not in found and bases & found.keys():
                found[name] = not any(isinstance(item, ast.FunctionDef)
                                      and item.name == "__init__" for item in node.body)
                grew = True
    return found


def _raise_sites() -> list[tuple[str, int, str, ast.expr | None]]:
    """(file, line, class name, first argument) of every call to a DomainError class."""
    trees = _trees()
    classes = _domain_errors(trees)
    sites = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and classes.get(node.func.id):
                first = node.args[0] if node.args else None
                sites.append((str(path.relative_to(ROOT.parent)), node.lineno, node.func.id,
                              first))
    return sites


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_code_has_both_sentences_with_the_same_placeholders(code: str) -> None:
    assert CODE.fullmatch(code), code
    ko, en = CATALOG[code]
    assert ko.strip() and en.strip()
    assert _fields(ko) == _fields(en), code
    assert not HANGUL.search(en), f"{code}: the English sentence holds Korean: {en!r}"


def test_the_command_line_wordings_belong_to_codes_with_the_same_placeholders() -> None:
    for code, text in PLAIN.items():
        assert code in CATALOG and _fields(text) == _fields(CATALOG[code][1]), code


def test_every_raise_in_the_core_names_a_code_of_the_catalog() -> None:
    sites = _raise_sites()
    assert len(sites) > 150  # the scan sees the core's raise sites (not an empty walk)
    wrong = [f"{path}:{line}: {name}({ast.unparse(first) if first else ''})"
             for path, line, name, first in sites
             if not (isinstance(first, ast.Constant) and isinstance(first.value, str)
                     and first.value in CATALOG)]
    assert wrong == []


def test_amounts_are_ints_that_each_language_writes_its_way() -> None:
    from kspos.sales.days import count_cash
    from kspos.sales.orders import OrderError

    error = OrderError("day.count_mismatch", total=5000, counted=4500)
    assert error.params == {"total": 5000, "counted": 4500}
    assert error.text("ko") == "권종별 합계 5,000원이 실제 현금 4,500원과 다릅니다"
    assert error.text("en") == ("The count by denomination adds up to 5,000 won, not the "
                                "counted 4,500 won")
    with pytest.raises(OrderError) as raised:
        count_cash({20_000: 1})
    assert raised.value.code == "day.no_denomination"


def test_str_is_the_korean_sentence_with_the_english_one() -> None:
    from kspos.sales.orders import OrderError
    from kspos.sales.staff import PinLocked

    error = OrderError("order.sold_out", item=Words("라떼", "Latte"))
    assert str(error) == "라떼는 품절입니다 (Latte is sold out)"  # the particle follows the word
    assert OrderError("order.choose_option", group=Words("사이즈", "size")).text("ko") \
        == "사이즈를 선택하세요"
    locked = PinLocked(30)
    assert (locked.code, locked.params, locked.seconds) == ("staff.pin_locked", {"seconds": 30}, 30)
    assert str(locked) == ("PIN 입력이 잠겼습니다: 30초 후 다시 시도하세요 "
                           "(Too many wrong PINs: try again in 30 s)")
    assert isinstance(locked, PermissionError)  # still what callers catch


def test_a_list_of_problems_pairs_each_line() -> None:
    from kspos.menu.admin import MenuError

    problems = [MenuError("menu.name_missing"), MenuError("menu.price_missing")]
    error = MenuError("menu.problems", problems=problems)
    assert str(error) == "이름을 입력하세요 (Enter a name)\n가격을 입력하세요 (Enter a price)"
    assert error.text("en") == "Enter a name\nEnter a price"
    assert both("menu.problems", {"problems": problems}) == str(error)


def test_command_line_errors_keep_their_english_words() -> None:
    from kspos.reports.periods import PeriodError, parse_date
    from kspos.van.rules import VanInputError, amount

    with pytest.raises(PeriodError) as bad_date:
        parse_date("2026-13-01", "--from")
    assert str(bad_date.value) == "--from: expected a date as YYYY-MM-DD, got '2026-13-01'"
    assert bad_date.value.text("ko") == "--from: 날짜는 YYYY-MM-DD 형식입니다: '2026-13-01'"
    with pytest.raises(VanInputError) as bad_amount:
        amount(0)
    assert str(bad_amount.value) == "the amount is a whole number of won from 1 to 100,000,000"
    installment = VanInputError("van.installment")
    assert str(installment) == "할부: 0 (일시불) or 2-12 months"  # kspos van's own words
    assert not HANGUL.search(installment.text("en"))


def test_an_unknown_code_is_refused_where_it_is_raised() -> None:
    from kspos.sales.orders import OrderError

    with pytest.raises(KeyError, match=r"order\.no_such_thing"):
        OrderError("order.no_such_thing")


def test_an_error_survives_copy_and_pickle_with_its_code() -> None:
    import copy
    import pickle

    from kspos.sales.orders import OrderError
    from kspos.sales.staff import PinLocked

    for error in (OrderError("order.sold_out", item=Words("라떼", "Latte")), PinLocked(30)):
        for again in (copy.copy(error), pickle.loads(pickle.dumps(error))):
            assert type(again) is type(error)
            assert (again.code, again.params, str(again)) == (error.code, error.params, str(error))
    assert pickle.loads(pickle.dumps(PinLocked(30))).seconds == 30
