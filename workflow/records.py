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


_MISSING = object()


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
        if "__init__" not in cls.__dict__:
            cls.__init__ = _make_init(cls)

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    __hash__ = None  # mutable, like a dataclass with eq=True


def _make_init(cls):
    """An ``__init__`` written for *cls*'s fields, as dataclasses writes one (a generic
    loop would cost the cold gate, which makes a record per QA finding, ~5 us each)."""
    params, lines, names = [], [], {"_MISSING": _MISSING}
    for i, field in enumerate(cls._fields):
        default = cls._defaults.get(field, _MISSING)
        if default is _MISSING:
            params.append(field)
            lines.append(f"    self.{field} = {field}")
        elif isinstance(default, _Factory):
            names[f"_f{i}"] = default.make
            params.append(f"{field}=_MISSING")
            lines.append(f"    self.{field} = _f{i}() if {field} is _MISSING else {field}")
        else:
            names[f"_d{i}"] = default
            params.append(f"{field}=_d{i}")
            lines.append(f"    self.{field} = {field}")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(lines) or "    pass")
    exec(source, names)  # the field names come from the class's own annotations
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
