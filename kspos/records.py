"""Small value classes without ``dataclasses``, for the modules on a short command's start-up path.

``import dataclasses`` costs ~12 ms (it pulls in inspect, ast and dis) and every ``@dataclass``
another 0.4-2 ms for the methods it generates with ``exec``. ``kspos report`` (a whole process
in ~35 ms) and the config loader every command runs never import it otherwise, so the records
they use (kspos.config, kspos.money, kspos.devices.scanning, kspos.reports.*) are these; every
other value class is a frozen, slotted ``@dataclass`` (the POS imports dataclasses anyway).

A :class:`Record` subclass lists its fields once (``_fields``, usually also its ``__slots__``)
and writes its ``__init__``; it gets the dataclass ``__eq__`` (same class, field by field) and
``__repr__`` from here. :class:`FrozenRecord` refuses assignment and is hashable, like
``@dataclass(frozen=True)``; its ``__init__`` sets the fields with ``object.__setattr__``.

A class may leave fields out of ``repr`` (``_hidden``, like ``field(repr=False)``: card data)
and out of ``==`` and the hash (``_uncompared``, like ``field(compare=False)``). A class
without ``__slots__`` of its own keeps a ``__dict__`` (and weak references), as a plain
``@dataclass`` does.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any, ClassVar, NoReturn, Self


class Record:
    """Field-by-field ``==`` and a dataclass-style ``repr``; copy and pickle by ``_fields``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _hidden: ClassVar[frozenset[str]] = frozenset()
    """Fields left out of ``repr`` (card data, callables)."""
    _uncompared: ClassVar[frozenset[str]] = frozenset()
    """Fields left out of ``==`` and the hash."""

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def _key(self) -> tuple[Any, ...]:
        if not self._uncompared:
            return self._values()
        return tuple(getattr(self, name) for name in self._fields
                     if name not in self._uncompared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._key() == other._key()

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields
                          if name not in self._hidden)
        return f"{type(self).__qualname__}({inner})"

    def as_dict(self) -> dict[str, Any]:
        """The fields by name, values as they are (what ``vars()`` gave of a dataclass;
        ``dataclasses.asdict`` copies deeply)."""
        return {name: getattr(self, name) for name in self._fields}

    def copy_with(self, **changes: Any) -> Self:
        """A new record with ``changes`` (``dataclasses.replace`` without importing dataclasses;
        the constructor takes every field by keyword)."""
        return type(self)(**{**self.as_dict(), **changes})

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructor takes the fields in order (as a dataclass's does).
        return type(self), self._values()


class FrozenRecord(Record):
    """A Record whose fields cannot be reassigned (``AttributeError``); hashable by value."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __hash__(self) -> int:
        return hash(self._key())


class DataclassFields:
    """``__dataclass_fields__`` made on first use, so that ``dataclasses.replace()``,
    ``fields()`` and ``asdict()`` keep working on a Record (callers use them on Settings).

    Only a caller that has already imported ``dataclasses`` ever asks, so building the Field
    objects then (from the class's ``_fields`` and its ``__init__`` defaults) costs start-up
    nothing.
    """

    def __init__(self) -> None:
        self._made: dict[type, dict[str, Any]] = {}

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        made = self._made.get(owner)
        if made is None:
            import dataclasses
            import inspect

            params = inspect.signature(owner).parameters
            names: tuple[str, ...] = getattr(owner, "_fields", ())
            hidden: frozenset[str] = getattr(owner, "_hidden", frozenset())
            uncompared: frozenset[str] = getattr(owner, "_uncompared", frozenset())

            def field(name: str) -> Any:
                default = params[name].default
                kw: dict[str, Any] = {} if default is inspect.Parameter.empty else {
                    "default": default}
                return dataclasses.field(repr=name not in hidden,
                                         compare=name not in uncompared, **kw)

            shadow = dataclasses.make_dataclass(
                owner.__name__, [(name, "Any", field(name)) for name in names], frozen=True)
            made = self._made[owner] = {f.name: f for f in dataclasses.fields(shadow)}
        return made
