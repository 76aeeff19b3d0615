"""Plain record classes for what ``letterflow check`` loads on every run (the configuration,
the gate's findings, reports and cached analyses, a catalogue's status).

A :class:`Record` gets its fields from its annotations, in order, with their defaults
(:func:`factory` for a fresh list, set or dict each time), and a dataclass's ``__init__``
(positional or keyword), ``__repr__`` and ``__eq__``. It exists because ``dataclasses``
imports ``inspect`` (and with it ``ast``, ``dis`` and ``tokenize``): about 6 ms of every
``letterflow check``, a tenth of its budget. Other modules keep using dataclasses."""

from __future__ import annotations


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


def factory(make):
    """A default made fresh for each record (``dataclasses.field(default_factory=make)``)."""
    return _Factory(make)


class Record:
    """Fields from the class annotations (see the module's note)."""

    _fields: tuple[str, ...] = ()
    _defaults: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = [n for n in cls.__dict__.get("__annotations__", {}) if not n.startswith("_")]
        cls._fields = (*cls._fields, *[n for n in own if n not in cls._fields])
        cls._defaults = {**cls._defaults}
        for name in own:
            if name in cls.__dict__:
                cls._defaults[name] = cls.__dict__[name]
                if isinstance(cls.__dict__[name], _Factory):
                    delattr(cls, name)

    def __init__(self, *args, **kwargs):
        name = type(self).__name__
        if len(args) > len(self._fields):
            raise TypeError(f"{name}() takes {len(self._fields)} arguments, got {len(args)}")
        values = dict(zip(self._fields, args, strict=False))
        for key, value in kwargs.items():
            if key not in self._fields or key in values:
                raise TypeError(f"{name}() got an unexpected or repeated argument {key!r}")
            values[key] = value
        for field in self._fields:
            if field not in values:
                if field not in self._defaults:
                    raise TypeError(f"{name}() missing required argument: {field!r}")
                default = self._defaults[field]
                values[field] = default.make() if isinstance(default, _Factory) else default
            self.__dict__[field] = values[field]

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    __hash__ = None  # mutable, like a dataclass with eq=True
