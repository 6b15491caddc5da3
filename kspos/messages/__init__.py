"""Messages by key: a refusal from the core is a code and its parameters, not a sentence.

The catalog (:data:`CATALOG`, assembled from one module per domain) holds, for every code,
a whole Korean sentence and a whole English sentence with the same named placeholders. The
core raises ``OrderError("order.no_such_item")``; the screen asks the error for the sentence
in its language (``error.text("en")``); ``str(error)`` stays the form the CLI and the logs
have always printed: the Korean sentence with the English one in parentheses.

Placeholders take a format spec the language decides:

* ``{amount:won}``: an int amount → ``4,500원`` / ``4,500 won``;
* ``{name:을/를}``: a Korean word with its particle (``커피를``, ``라떼를``); English templates
  write the bare ``{name}``;
* a parameter that is a :class:`Words` pair or another :class:`DomainError` shows the
  half for the language; a list or tuple of them is one per line.

This module is Qt-free: the core raises, the UI (``ui.i18n.message``) picks the language.
"""

from __future__ import annotations

import string

from kspos.korean import josa
from kspos.money import won_in

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `kspos report` raises these, typing costs ms
if TYPE_CHECKING:
    from collections.abc import Mapping


class Words:
    """A word or phrase in both languages, for a parameter that is itself language
    (a state, a role, what is being deleted)."""

    __slots__ = ("en", "ko")

    def __init__(self, ko: str, en: str) -> None:
        self.ko, self.en = ko, en

    def __repr__(self) -> str:
        return f"Words({self.ko!r}, {self.en!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and (self.ko, self.en) == (other.ko, other.en)

    def __hash__(self) -> int:
        return hash((self.ko, self.en))


def _catalog() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every domain's sentences in one table, and the command-line wordings (``PLAIN``)."""
    from kspos.messages import menu, reports, restaurant, sales, van

    merged: dict[str, tuple[str, str]] = {}
    for part in (sales.MESSAGES, menu.MESSAGES, van.MESSAGES, reports.MESSAGES,
                 restaurant.MESSAGES):
        clash = merged.keys() & part.keys()
        assert not clash, f"message codes defined twice: {sorted(clash)}"
        merged.update(part)
    return merged, {**sales.PLAIN, **van.PLAIN}


class _Formatter(string.Formatter):
    """``str.format`` with the language-aware specs above."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        value = shown(value, self.lang)
        if format_spec == "won":
            return won_in(value, self.lang)  # type: ignore[arg-type]
        if "/" in format_spec:  # a Korean particle pair: 을/를, 은/는, 이/가, 와/과, 으로/로
            with_batchim, _, without = format_spec.partition("/")
            return josa(str(value), with_batchim, without) if self.lang == "ko" else str(value)
        return str(super().format_field(value, format_spec))


def shown(value: object, lang: str) -> object:
    """``value`` as a parameter shows in ``lang``: the half of a :class:`Words` pair, the
    sentence of a nested :class:`DomainError`, lines for a list; anything else as is."""
    if isinstance(value, Words):
        return value.en if lang == "en" else value.ko
    if isinstance(value, DomainError):
        return value.text(lang)
    if isinstance(value, list | tuple):
        return "\n".join(str(shown(item, lang)) for item in value)
    return value


def render(code: str, params: Mapping[str, object], lang: str) -> str:
    """The sentence for ``code`` in ``lang`` ("ko" or "en") with ``params`` filled in."""
    ko, en = CATALOG[code]
    return _Formatter(lang).vformat(en if lang == "en" else ko, (), params)


def plain_text(code: str, params: Mapping[str, object]) -> str:
    """The English a command-line tool prints for ``code`` (its own wording where it has
    one, which may keep a Korean term: ``할부``)."""
    template = PLAIN.get(code)
    return render(code, params, "en") if template is None else \
        _Formatter("en").vformat(template, (), params)


def both(code: str, params: Mapping[str, object]) -> str:
    """``한국어 (English)``: the form of ``str(error)``, one such pair per line.

    A message with no Korean of its own (an identical English template) is the English only.
    """
    ko, en = render(code, params, "ko"), render(code, params, "en")
    if ko == en:
        return en
    ko_lines, en_lines = ko.split("\n"), en.split("\n")
    if len(ko_lines) != len(en_lines):
        return f"{ko} ({en})"
    return "\n".join(k if k == e else f"{k} ({e})" for k, e in zip(ko_lines, en_lines, strict=True))


class DomainError(Exception):
    """A refusal from the core: ``code`` names the sentence, ``params`` fill it in.

    ``str()`` is what the CLI and the logs print (Korean with the English gloss, see
    :func:`both`); ``text(lang)`` is the whole sentence for a screen in ``lang``.
    Subclasses set ``plain = True`` when their ``str()`` has always been English only
    (command-line messages, :func:`plain_text`).
    """

    plain = False

    def __init__(self, code: str, **params: object) -> None:
        if code not in CATALOG:
            raise KeyError(f"unknown message code {code!r}")  # a typo must not reach a user
        self.code = code
        self.params: dict[str, object] = params
        super().__init__(plain_text(code, params) if self.plain else both(code, params))

    def text(self, lang: str = "ko") -> str:
        """The sentence for a screen in ``lang`` ("ko" or "en")."""
        return render(self.code, self.params, lang)

    def __reduce__(self) -> tuple[object, ...]:
        # copy and pickle rebuild an exception as cls(*args): here args is the sentence, not
        # a code, so the error is rebuilt from its attributes instead.
        return _rebuilt, (type(self), self.args), self.__dict__


def _rebuilt(cls: type[DomainError], args: tuple[object, ...]) -> DomainError:
    error = cls.__new__(cls, *args)
    error.args = args
    return error


CATALOG, PLAIN = _catalog()
