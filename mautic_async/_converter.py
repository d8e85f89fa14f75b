"""The one cattrs converter: camelCase wire keys, UTC dates, and Mautic's loose types.

Everything Mautic sends is structured here and nowhere else. The rules it holds:

- attrs fields are snake_case, wire keys camelCase (``is_published`` <-> ``isPublished``);
  classes registered with :func:`register_verbatim` keep their field names on the wire
  (the OAuth2 token endpoint speaks snake_case).
- Dates become aware UTC datetimes; ``""`` and ``null`` become ``None``.
- Ids, totals and scores may arrive as strings (``"5"``); booleans as ``1``/``"1"``.
- A collection may be a JSON array or an object keyed by id (most Mautic entities are
  listed that way); an empty mapping may arrive as ``[]``.
- Unknown keys are ignored, so a newer Mautic adding fields breaks nothing.
- Request classes are unstructured without their ``UNSET`` fields, so a PATCH sends
  only what the caller set.
"""

from __future__ import annotations

import functools
import linecache
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from ._unset import UNSET, Unset

__all__ = [
    "StructureError",
    "caller_payload",
    "camel",
    "converter",
    "from_caller_mapping",
    "register_verbatim",
    "structure",
    "wire_value",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

_VERBATIM: set[type[Any]] = set()


class StructureError(ValueError):
    """Data that cannot become the model asked for; the message says where and why."""


@functools.lru_cache(maxsize=1024)
def camel(name: str) -> str:
    """``snake_case`` field name -> Mautic's ``camelCase`` key (remembered: validators
    and required-field checks ask for the same few names on every call).

    >>> camel("date_added")
    'dateAdded'
    """
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def register_verbatim(cls: type[T]) -> type[T]:
    """Class decorator: this class's wire keys are its field names, not camelCase."""
    _VERBATIM.add(cls)
    return cls


def _to_int(value: Any, _type: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"expected an integer, got {value!r}")


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def _to_bool(value: Any, _type: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise ValueError(f"expected a boolean, got {value!r}")


def _to_str(value: Any, _type: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"expected a string, got {value!r}")


_UTC = timezone.utc
_fromisoformat = datetime.fromisoformat


def _to_datetime(value: Any, _type: Any) -> datetime | None:
    """ISO 8601 (Mautic's ``'c'`` format, ``Z``, or ``YYYY-MM-DD HH:MM:SS``) -> aware UTC.

    A date without an offset is taken as UTC: Mautic's API runs in UTC (mautic-api.md §1.4).
    """
    if value.__class__ is str and value.endswith("+00:00"):
        # Fast path for what Mautic sends (PHP's 'c' format in UTC): one C call. Any
        # other shape, or a failure here, takes the general path below.
        try:
            fast: datetime | None = _fromisoformat(value)
        except ValueError:
            fast = None
        if fast is not None and fast.tzinfo is _UTC:
            return fast
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):  # Python 3.10's fromisoformat rejects "Z"
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected an ISO 8601 date, got {value!r}") from None
    else:
        raise ValueError(f"expected an ISO 8601 date, got {value!r}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _to_required_datetime(value: Any, type_: Any) -> datetime:
    """A ``datetime`` field that is not ``Optional``: ``null`` and ``""`` are refused
    rather than read as ``None``."""
    parsed = _to_datetime(value, type_)
    if parsed is None:
        raise ValueError(f"expected an ISO 8601 date, got {value!r}")
    return parsed


def _is_optional_datetime(type_: Any) -> bool:
    return set(get_args(type_)) == {datetime, type(None)}


def _is_sequence(type_: Any) -> bool:
    origin = get_origin(type_)
    if origin is tuple:
        args = get_args(type_)
        return len(args) == 2 and args[1] is Ellipsis
    return origin in (list, Sequence)


def _sequence_hook(type_: Any) -> Callable[[Any, Any], Any]:
    (item_type, *_) = get_args(type_)
    make = tuple if get_origin(type_) is tuple else list
    item_hook = converter.get_structure_hook(item_type)
    has_fast = item_type in _WIRE_KEYS  # an attrs class: its hook was just made

    def structure_sequence(value: Any, _t: Any) -> Any:
        if has_fast and value.__class__ is list:
            fast = _fast_for(item_type)
            if fast is not None:
                try:
                    return make([fast(item) for item in value])
                except Exception:  # noqa: S110 - item by item below, for the detailed error
                    pass
        if isinstance(value, Mapping):  # an id-keyed object: keep the server's order
            entries: Any = value.items()
        elif isinstance(value, (list, tuple)):
            entries = enumerate(value)
        else:
            raise ValueError(f"expected a list, got {type(value).__name__}")
        items, errors = [], []
        for index, item in entries:
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:
                # Noted as cattrs does, so the error's path names the index (or key).
                note = IterableValidationNote(f"Structuring @ index {index!r}", index, item_type)
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return make(items)

    return structure_sequence


def _is_mapping(type_: Any) -> bool:
    return get_origin(type_) in (dict, Mapping, typing.Mapping)


def _mapping_hook(type_: Any) -> Callable[[Any, Any], Any]:
    _key_type, value_type = get_args(type_) or (Any, Any)
    value_hook = None if value_type is Any else converter.get_structure_hook(value_type)

    def structure_mapping(value: Any, _t: Any) -> dict[Any, Any]:
        if isinstance(value, list) and not value:  # PHP's empty array: [] where {} is meant
            return {}
        if not isinstance(value, Mapping):
            raise ValueError(f"expected an object, got {type(value).__name__}")
        if value_hook is None:
            return dict(value)
        return {k: value_hook(v, value_type) for k, v in value.items()}

    return structure_mapping


#: attrs class -> its wire key per field name, for every class the converter has met.
_WIRE_KEYS: dict[type[Any], dict[str, str]] = {}
#: attrs class -> its fast structure function (``None``: it has none), made on first use.
_FAST: dict[type[Any], Callable[[Any], Any] | None] = {}


def _fast_for(cls: type[Any]) -> Callable[[Any], Any] | None:
    try:
        return _FAST[cls]
    except KeyError:
        fast = _FAST[cls] = _fast_structure_fn(cls, _WIRE_KEYS[cls])
        return fast


def fast_structure_fn(cls: type[Any]) -> Callable[[Any], Any] | None:
    """The fast structure function of attrs class ``cls`` (see :func:`_fast_structure_fn`),
    or ``None``. It raises on anything it cannot do; callers then take :func:`structure`,
    which gives the same value or the detailed error."""
    fast = _FAST.get(cls, _MISSING)
    if fast is _MISSING:
        if not attrs.has(cls):
            _FAST[cls] = None
            return None
        converter.get_structure_hook(cls)  # registers its wire keys
        fast = _fast_for(cls)
    return fast  # type: ignore[no-any-return]


_MISSING: Any = object()

#: Hooks that return a value of exactly this type unchanged (so the fast path can skip them).
_PASSTHROUGH: dict[Callable[[Any, Any], Any], type[Any]] = {
    _to_int: int,
    _to_str: str,
    _to_bool: bool,
}


def _optional_arg(type_: Any) -> Any:
    """``X`` for ``X | None`` (or ``Optional[X]``), else ``None``."""
    args = get_args(type_)
    if get_origin(type_) in (typing.Union, types.UnionType) and len(args) == 2:
        if args[1] is type(None):
            return args[0]
        if args[0] is type(None):
            return args[1]
    return None


def _plain_slots(
    cls: type[Any], fields: Sequence[attrs.Attribute[Any]]
) -> list[Callable[[Any, Any], None]] | None:
    """The slot setters of ``cls``'s fields, in order, when attrs' generated ``__init__``
    does nothing but assign them (slotted, no validators, converters, ``__attrs_pre_init__``
    or ``__attrs_post_init__``, no cached hash, no custom ``__init__``); else ``None``.

    Then ``object.__new__`` plus one descriptor call per field builds the very instance
    ``cls(...)`` would (equal, hashing alike, just as frozen), without attrs' per-field
    ``object.__setattr__`` lookups through the class hierarchy.
    """
    if getattr(cls, "__attrs_pre_init__", None) or getattr(cls, "__attrs_post_init__", None):
        return None
    init = getattr(cls.__init__, "__code__", None)
    if init is None or not init.co_filename.startswith("<attrs generated"):
        return None
    for klass in cls.__mro__[:-1]:  # a class without __slots__ gives instances a __dict__
        own = vars(klass).get("__slots__")
        if own is None and klass is not typing.Generic:
            return None
        if own is not None and "__attrs_cached_hash" in own:
            return None
    setters = []
    for field in fields:
        if field.validator is not None or field.converter is not None:
            return None
        descriptor = getattr(cls, field.name, None)
        if not isinstance(descriptor, types.MemberDescriptorType):
            return None
        setters.append(descriptor.__set__)
    return setters


def _builder_class(cls: type[Any], names: Sequence[str]) -> type[Any] | None:
    """A private subclass of ``cls`` that adds nothing but plain attribute assignment, or
    ``None`` where CPython would not let an instance of it become a ``cls``.

    A frozen attrs class refuses ``obj.field = value``, so its instances can only be
    filled through slot descriptors, one C call per field (about 85 ns each). An
    instance of this subclass, which has the same slots and ``object``'s
    ``__setattr__``/``__delattr__``, takes ``obj.field = value`` as a plain slot store
    (a few ns: the interpreter specialises it); then ``obj.__class__ = cls`` makes it an
    ordinary ``cls`` instance: same layout, same slots, equal, hashing alike and just as
    frozen as ``cls(...)``'s (tests/unit/test_fast_paths.py). Only used where
    :func:`_plain_slots` says attrs' ``__init__`` would do nothing but assign.

    The subclass appears in ``cls.__subclasses__()``; no instance of it ever escapes.
    """
    if any(not name.isidentifier() or name.startswith("__") for name in names):
        return None  # generated code writes ``s.<name> = ...``
    try:
        builder = type(
            f"_{cls.__name__}Builder",
            (cls,),
            {
                "__slots__": (),
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
                "__module__": cls.__module__,
            },
        )
        probe: Any = object.__new__(builder)
        probe.__class__ = cls  # CPython checks the layouts are compatible
    except TypeError:
        return None
    return builder


def fast_init(cls: type[T]) -> Callable[..., T]:
    """A function that builds ``cls`` instances from the same arguments as ``cls(...)``
    (positional or by name, same defaults), three times cheaper for a plain frozen
    slotted attrs class (see :func:`_builder_class`); ``cls`` itself for any other.
    """
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    if _plain_slots(cls, fields) is None or any(
        not f.init or f.kw_only or isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
        for f in fields
    ):
        return cls
    builder = _builder_class(cls, [f.name for f in fields])
    if builder is None:
        return cls
    namespace: dict[str, Any] = {"_new": object.__new__, "_builder": builder, "_cls": cls}
    params = []
    for i, f in enumerate(fields):
        if f.default is attrs.NOTHING:
            params.append(f.alias)
        else:
            namespace[f"_d{i}"] = f.default
            params.append(f"{f.alias}=_d{i}")
    lines = [
        f"def make_{cls.__name__}({', '.join(params)}):",
        "    s = _new(_builder)",
        *(f"    s.{f.name} = {f.alias}" for f in fields),
        "    s.__class__ = _cls",
        "    return s",
    ]
    source = "\n".join(lines)
    filename = f"<mautic_async fast init {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our generated code
    make: Callable[..., T] = namespace[f"make_{cls.__name__}"]
    return make


def _fast_structure_fn(cls: type[Any], keys: Mapping[str, str]) -> Callable[[Any], Any] | None:
    """A straight-line structure function for ``cls``, or ``None`` if it has no fast form.

    cattrs' generated function is general and, with detailed validation, collects every
    error; on a page of 100 groups that generality costs more than the HTTP request
    (benchmarks/README.md). This one handles the usual case in one pass: each field is
    read once and, when its value already has the exact type its hook would return
    unchanged (an ``int`` for ``int | None``...), used as is; every other value goes
    through the very hook cattrs would call. It builds the instance with ``cls(...)``, so
    attrs validators and converters still run. Whatever it cannot do, it raises on, and
    the caller then runs cattrs' function, which gives the same result or the detailed
    error: the output never depends on which path ran.
    """
    if getattr(cls, "__parameters__", ()) or get_origin(cls) is not None:
        return None  # generic classes keep cattrs' type-variable handling
    try:
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
    except Exception:  # unresolvable annotations: leave it to cattrs
        return None
    optional_hook = getattr(cattrs.BaseConverter, "_structure_optional", None)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_dict": dict,
        "_str": str,
        "_utc": _UTC,
        "_fromisoformat": _fromisoformat,
    }
    # Anything but a dict (a Mapping of another kind...) is cattrs' job.
    head: list[str] = ["if o.__class__ is not _dict:", "    raise TypeError"]
    body: list[str] = []
    positional: list[str] = []
    keywords: list[str] = []
    values: list[str] = []
    by_key = False  # once a field may be left out, the rest go by keyword
    for i, field in enumerate(fields):
        if not field.init or field.type is None:
            return None
        key, var, type_ = repr(keys[field.name]), f"v{i}", field.type
        hook = converter.get_structure_hook(type_)
        namespace[f"_h{i}"], namespace[f"_t{i}"] = hook, type_
        inner = _optional_arg(type_)
        default = field.default
        is_optional = getattr(hook, "__func__", None) is optional_hook
        if default is None and inner is not None and is_optional:
            # X | None = None: a missing key and null both give None, as in cattrs.
            inner_hook = converter.get_structure_hook(inner)
            namespace[f"_h{i}"], namespace[f"_t{i}"] = inner_hook, inner
            body.append(f"{var} = o.get({key})")
            if _PASSTHROUGH.get(inner_hook) is inner:
                body.append(f"if {var}.__class__ is not _t{i} and {var} is not None:")
            else:
                body.append(f"if {var} is not None:")
            body.append(f"    {var} = _h{i}({var}, _t{i})")
        elif default is None and hook is _to_datetime:  # maps None to None itself
            # Mautic's 'c' format in UTC is one C call: a date that parses to UTC is
            # what _to_datetime would return; another offset or none goes through the
            # hook, and whatever fromisoformat refuses (a number, "", padding) raises,
            # which sends the whole value to cattrs' function.
            body.append(f"x{i} = o.get({key})")
            body.append(f"if x{i} is None:")
            body.append(f"    {var} = None")
            body.append(f"elif ({var} := _fromisoformat(x{i})).tzinfo is not _utc:")
            body.append(f"    {var} = _h{i}(x{i}, _t{i})")
        elif default is attrs.NOTHING and hook is _to_required_datetime:
            # The same inline parse (null and "" raise, and cattrs then refuses them).
            body.append(f"x{i} = o[{key}]")
            body.append(f"if ({var} := _fromisoformat(x{i})).tzinfo is not _utc:")
            body.append(f"    {var} = _h{i}(x{i}, _t{i})")
        elif default is not attrs.NOTHING:
            # Another default (or a factory): pass the field only when the key is there.
            by_key = True
            body.append(f"if {key} in o:")
            body.append(f"    kw[{field.alias!r}] = _h{i}(o[{key}], _t{i})")
            continue
        else:
            body.append(f"{var} = o[{key}]")
            if _PASSTHROUGH.get(hook) is type_:
                body.append(f"if {var}.__class__ is not _t{i}:")
                body.append(f"    {var} = _h{i}({var}, _t{i})")
            else:
                body.append(f"{var} = _h{i}({var}, _t{i})")
        if by_key or field.kw_only:
            keywords.append(f"{field.alias}={var}")
        else:
            positional.append(var)
        values.append(var)
    slots = None if by_key else _plain_slots(cls, fields)
    builder = None if slots is None else _builder_class(cls, [f.name for f in fields])
    if slots is None:
        arguments = ", ".join([*positional, *keywords, *(["**kw"] if by_key else [])])
        build = [f"return _cls({arguments})"]
    elif builder is not None:
        # attrs' __init__ would only assign each field (see _plain_slots): plain slot
        # stores on the builder subclass, then the instance becomes a _cls (see
        # _builder_class): a third of the cost of the descriptor calls below.
        namespace["_new"], namespace["_builder"] = object.__new__, builder
        build = ["s = _new(_builder)"]
        build += [f"s.{f.name} = {var}" for f, var in zip(fields, values, strict=True)]
        build += ["s.__class__ = _cls", "return s"]
    else:
        # Assign the slots straight through their descriptors: half the cost of
        # attrs' __init__ on a page of 100.
        namespace["_new"] = object.__new__
        build = ["s = _new(_cls)"]
        for i, (setter, var) in enumerate(zip(slots, values, strict=True)):
            namespace[f"_s{i}"] = setter
            build.append(f"_s{i}(s, {var})")
        build.append("return s")
    source = "\n    ".join(
        [
            f"def structure_{cls.__name__}_fast(o):",
            *(["kw = {}"] if by_key else []),
            *head,
            *body,
            *build,
        ]
    )
    filename = f"<mautic_async fast structure {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our generated code, as cattrs does
    fast: Callable[[Any], Any] = namespace[f"structure_{cls.__name__}_fast"]
    return fast


def _attrs_structure_hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    renames = {}
    keys = {a.name: a.name for a in attrs.fields(cls)}
    if cls not in _VERBATIM:
        renames = {a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)}
        keys = {a.name: camel(a.name) for a in attrs.fields(cls)}
    fn = make_dict_structure_fn(cls, converter, **renames)  # type: ignore[arg-type]
    _WIRE_KEYS[cls] = keys
    # The fast function is made on first use, not here: by then every hook it looks up
    # exists (a model that refers to itself would otherwise recurse into its own hook).
    fast: Callable[[Any], Any] | None = None
    built = False

    def structure_entity(value: Any, type_: Any) -> Any:
        nonlocal fast, built
        if not built:
            fast, built = _fast_for(cls), True
        if fast is not None:
            try:
                return fast(value)
            except Exception:  # noqa: S110 - cattrs' function below says what is wrong
                pass
        if not isinstance(value, Mapping):
            raise ValueError(f"expected an object for {cls.__name__}, got {value!r:.80}")
        check_required_keys(cls, value)
        return fn(value, type_)

    return structure_entity


def _admits_none(type_: Any) -> bool:
    return type_ is Any or type_ is None or type(None) in get_args(type_)


#: attrs class -> (wire key, whether null is allowed, nested attrs class or None) for
#: every field without a default, and every non-``Optional`` field with one.
_REQUIRED: dict[type[Any], list[tuple[str, bool, bool, type[Any] | None]]] = {}


def _required_of(cls: type[Any]) -> list[tuple[str, bool, bool, type[Any] | None]]:
    try:
        return _REQUIRED[cls]
    except KeyError:
        pass
    attrs.resolve_types(cls)
    keys = _WIRE_KEYS.get(cls) or {a.name: camel(a.name) for a in attrs.fields(cls)}
    checks = []
    for field in attrs.fields(cls):
        type_ = field.type
        required = field.default is attrs.NOTHING
        nullable = _admits_none(type_)
        nested = type_ if isinstance(type_, type) and attrs.has(type_) else None
        if required or not nullable:
            checks.append((keys[field.name], required, nullable, nested))
    _REQUIRED[cls] = checks
    return checks


class MissingKeyError(ValueError):
    """A key a model requires is missing, or null where it may not be (the message
    names the wire key, which error paths keep)."""


def check_required_keys(cls: type[Any], value: Mapping[str, Any], where: str = "") -> None:
    """Raise ``ValueError`` naming the wire key when ``value`` lacks a key that ``cls``
    requires, or has ``null`` for a field that is not ``Optional``.

    cattrs would report the snake_case field name, or for a plain ``str`` field turn
    ``null`` into ``"None"``; Mautic's own key is what a reader of the answer can find.
    Nested models are checked too (``group.id``).
    """
    for key, required, nullable, nested in _required_of(cls):
        if key not in value:
            if required:
                raise MissingKeyError(f"required key {where + key!r} is missing")
            continue
        item = value[key]
        if item is None and not nullable:
            raise MissingKeyError(f"key {where + key!r} is null, which it may not be")
        if nested is not None and isinstance(item, Mapping):
            check_required_keys(nested, item, f"{where}{key}.")


def _attrs_unstructure_hook(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    renames = {}
    if cls not in _VERBATIM:
        renames = {a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)}
    _UNSTRUCTURED_FIELDS[cls] = {
        (a.name if cls in _VERBATIM else camel(a.name)): (a.name, a.default)
        for a in attrs.fields(cls)
    }
    # omit_if_default drops every field still at its UNSET default.
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **renames)  # type: ignore[arg-type]


#: wire key -> (field name, default) of each attrs class unstructured by the hook above.
_UNSTRUCTURED_FIELDS: dict[type[Any], dict[str, tuple[str, Any]]] = {}


def wire_value(value: Any, key: str) -> Any:
    """``converter.unstructure(value).get(key)``, without unstructuring the rest.

    ``sync`` reads a field or two of every entity it scans; unstructuring each whole
    model for that (dates formatted, every field copied) cost more than the reading.
    A field holding a JSON scalar is read as the generated unstructure function would
    write it (left out, so ``None``, while at a plain default); anything else goes
    through the converter as before.
    """
    fields = _UNSTRUCTURED_FIELDS.get(value.__class__)
    if fields is not None:
        found = fields.get(key)
        if found is None:
            return None  # not a field: never in the unstructured dict
        name, default = found
        item = getattr(value, name)
        if item.__class__ in _JSON_SCALARS and not isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return None if default is not attrs.NOTHING and item == default else item
    return converter.unstructure(value).get(key)


converter = cattrs.Converter(forbid_extra_keys=False)
converter.register_structure_hook(int, _to_int)
converter.register_structure_hook(bool, _to_bool)
converter.register_structure_hook(str, _to_str)
converter.register_structure_hook(datetime, _to_required_datetime)
converter.register_structure_hook_func(_is_optional_datetime, _to_datetime)
converter.register_structure_hook_factory(_is_sequence, _sequence_hook)
converter.register_structure_hook_factory(_is_mapping, _mapping_hook)
converter.register_structure_hook_factory(attrs.has, _attrs_structure_hook)
converter.register_unstructure_hook_factory(attrs.has, _attrs_unstructure_hook)
converter.register_unstructure_hook(Unset, lambda _v: None)  # never reached: omitted above


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _unstructure_request_value(value: Any) -> Any:
    """A request-class field's value (``str | None | Unset``, ``Sequence[EventData]``...).

    Scalars, the usual case, are sent as they are, without cattrs' per-value union
    dispatch; anything else (a nested request class, a list of them, a mapping) goes
    through the converter by its runtime type, so nested classes become JSON objects.
    """
    if value.__class__ in _JSON_SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k: _unstructure_request_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_unstructure_request_value(v) for v in value]
    return converter.unstructure(value)


# Request-class fields hold plain JSON values or nested request classes once their
# validators and converters have run.
converter.register_unstructure_hook_func(lambda t: Unset in get_args(t), _unstructure_request_value)
converter.register_unstructure_hook(datetime, lambda v: v.isoformat())


def structure(value: Any, type_: type[T] | Any) -> T:
    """Structure ``value`` as ``type_``, or raise :class:`StructureError` saying where.

    >>> structure({"id": "5", "isPublished": "1"}, PointGroup).id
    5
    """
    try:
        return converter.structure(value, type_)  # type: ignore[no-any-return]
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        name = getattr(type_, "__name__", str(type_))
        if isinstance(exc, cattrs.BaseValidationError):
            detail = "; ".join(_transform_error(exc, "$"))
        else:
            detail = str(exc)
        raise StructureError(f"cannot read {name}: {detail}") from exc
    except RecursionError:  # a value nested deeper than the stack: unreadable, not a crash
        name = getattr(type_, "__name__", str(type_))
        raise StructureError(f"cannot read {name}: a value is nested too deeply") from None


def _transform_error(exc: BaseException, path: str) -> list[str]:
    """cattrs' :func:`cattrs.transform_error`, with paths in wire keys: an error in
    ``PointGroup.is_published`` is reported at ``$.isPublished``, the key Mautic sent."""
    if isinstance(exc, cattrs.IterableValidationError):
        with_notes, without = exc.group_exceptions()
        errors: list[str] = []
        for inner, note in with_notes:
            errors.extend(_transform_note(inner, f"{path}[{note.index!r}]", note.type))
        errors.extend(f"{format_exception(inner, None)} @ {path}" for inner in without)
        return errors
    if isinstance(exc, cattrs.ClassValidationError):
        keys = _WIRE_KEYS.get(exc.cl, {})
        errors = []
        for inner, attribute in exc.group_exceptions()[0]:
            key = keys.get(attribute.name, attribute.name)
            errors.extend(_transform_note(inner, f"{path}.{key}", attribute.type))
        errors.extend(
            f"{format_exception(inner, None)} @ {path}" for inner in exc.group_exceptions()[1]
        )
        return errors
    return [f"{format_exception(exc, None)} @ {path}"]


def _transform_note(exc: BaseException, path: str, type_: Any) -> list[str]:
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return _transform_error(exc, path)
    if isinstance(exc, MissingKeyError):  # its own words name the key: keep them
        return [f"{exc} @ {path}"]
    return [f"{format_exception(exc, type_)} @ {path}"]


#: request class -> {wire key or field name: field name}, for :func:`from_caller_mapping`.
_CALLER_NAMES: dict[type[Any], dict[str, str]] = {}


def from_caller_mapping(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build request class ``cls`` from a caller's mapping with Mautic's camelCase keys
    (snake_case field names work too). Unknown keys raise ``ValueError`` naming them:
    Mautic would silently ignore a misspelt field, and the edit would be lost.

    >>> from_caller_mapping(PointGroupData, {"name": "A", "isPublished": False})
    PointGroupData(name='A', description=UNSET, is_published=False, id=UNSET)
    """
    names = _CALLER_NAMES.get(cls)
    if names is None:
        names = {}
        for field in attrs.fields(cls):  # type: ignore[arg-type]
            names[field.name] = field.name
            names[camel(field.name)] = field.name
        _CALLER_NAMES[cls] = names
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = names.get(key)
        if name is None or name in kwargs:
            break  # an unknown key or a field given twice: said precisely below
        kwargs[name] = value
    else:
        return cls(**kwargs)
    unknown = [key for key in data if key not in names]
    if unknown:
        known = ", ".join(sorted({camel(name) for name in names.values()}))
        raise ValueError(f"unknown field(s) {unknown} for {cls.__name__}; known: {known}")
    given: dict[str, str] = {}
    for key in data:
        if names[key] in given:  # "isPublished" and "is_published": one would be lost
            raise ValueError(f"{given[names[key]]!r} and {key!r} are the same field")
        given[names[key]] = key
    return cls(**{names[key]: value for key, value in data.items()})


#: validator -> a Python expression over ``v`` that is true only for values the
#: validator surely lets through (see :func:`passes_when`).
_PASSES_WHEN: dict[Callable[..., Any], str] = {}
_AND_VALIDATOR: type[Any] = type(attrs.validators.and_())


def passes_when(condition: str) -> Callable[[F], F]:
    """Register, for the attrs validator it decorates, a Python expression over ``v``
    that is true only for values the validator would let through. The generated
    :func:`caller_payload` functions test it inline and call the validator itself only
    when it is false (so every refusal still comes from the validator, worded as ever);
    the usual valid value then costs no Python call. The expression must never be true
    for a value the validator refuses (tests/unit/test_fast_paths.py checks each one),
    e.g. ``@passes_when("v.__class__ is bool")`` on a validator that refuses non-bools.
    """

    def register(validator: F) -> F:
        _PASSES_WHEN[validator] = condition
        return validator

    return register


def _passes_when(validator: Any) -> str | None:
    """The inline condition for ``validator`` (an ``and_`` of registered ones too)."""
    if isinstance(validator, _AND_VALIDATOR):
        parts = [_passes_when(part) for part in getattr(validator, "_validators", ())]
        if not parts or None in parts:
            return None
        return " and ".join(f"({part})" for part in parts)
    try:
        return _PASSES_WHEN.get(validator)
    except TypeError:  # an unhashable validator
        return None


#: request class -> its payload function (see :func:`caller_payload`), or ``None``.
_PAYLOAD_FNS: dict[type[Any], Callable[[Mapping[str, Any]], dict[str, Any]] | None] = {}


def _long_payload(cls: type[Any], data: Mapping[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = converter.unstructure(from_caller_mapping(cls, data))
    return payload


def _payload_fn(cls: type[Any]) -> Callable[[Mapping[str, Any]], dict[str, Any]] | None:
    """The generated function behind :func:`caller_payload` for ``cls``, or ``None`` when
    ``cls`` is not a request class it can handle: every field must default to ``UNSET``,
    take no converter, unstructure through :func:`_unstructure_request_value`, and have
    validators that accept ``UNSET`` (checked here by building ``cls()``); the class must
    have no ``__attrs_pre_init__``/``__attrs_post_init__``."""
    if cls in _VERBATIM or not attrs.has(cls):
        return None
    if getattr(cls, "__attrs_pre_init__", None) or getattr(cls, "__attrs_post_init__", None):
        return None
    try:
        attrs.resolve_types(cls)  # field.type as a type, not the annotation's string
    except Exception:  # unresolvable annotations: the long way
        return None
    fields = attrs.fields(cls)
    for field in fields:
        if (
            field.default is not UNSET
            or field.converter is not None
            or not field.init
            or converter.get_unstructure_hook(field.type) is not _unstructure_request_value
        ):
            return None
    try:
        from_caller_mapping(cls, {})  # every validator accepts UNSET; fills _CALLER_NAMES
    except (TypeError, ValueError):
        return None
    namespace: dict[str, Any] = {
        "_names": _CALLER_NAMES[cls],
        "_long": functools.partial(_long_payload, cls),
        "_UNSET": UNSET,
        "_scalars": _JSON_SCALARS,
        "_value": _unstructure_request_value,
    }
    lines = [
        "def caller_payload(data):",
        "    given = {}",
        "    for key, value in data.items():",
        "        name = _names.get(key)",
        "        if name is None or name in given:  # the long way says what is wrong",
        "            return _long(data)",
        "        given[name] = value",
        "    payload = {}",
    ]
    for i, field in enumerate(fields):
        namespace[f"_a{i}"], namespace[f"_v{i}"] = field, field.validator
        lines.append(f"    v = given.get({field.name!r}, _UNSET)")
        if field.validator is not None:
            # cls() showed the validator accepts UNSET, so it only runs on given values,
            # and only when its registered condition does not already let them through.
            condition = _passes_when(field.validator)
            lines.append("    if v is not _UNSET:")
            if condition is None:
                lines.append(f"        _v{i}(None, _a{i}, v)")
            else:
                lines.append(f"        if not ({condition}):")
                lines.append(f"            _v{i}(None, _a{i}, v)")
        else:
            lines.append("    if v is not _UNSET:")
        # (UNSET itself is never != UNSET: the test below is the long way's own.)
        lines.append("        if v != _UNSET:")
        lines.append(
            f"            payload[{camel(field.name)!r}] = "
            "v if v.__class__ in _scalars else _value(v)"
        )
    lines.append("    return payload")
    source = "\n".join(lines)
    filename = f"<mautic_async caller payload {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our generated code
    fn: Callable[[Mapping[str, Any]], dict[str, Any]] = namespace["caller_payload"]
    return fn


def caller_payload(cls: type[Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``converter.unstructure(from_caller_mapping(cls, data))``: the JSON object a
    caller's mapping sends, checked by ``cls``'s validators, without building ``cls``.

    A write from a dict otherwise builds the request class (attrs' frozen ``__init__``
    and its validators) only to unstructure it again at once: half of ``create``'s own
    cost. A function generated once per class runs the same validators on the same
    values in the same (field) order, and writes the same keys in the same order,
    leaving out what is ``UNSET``; every error (an unknown or repeated key, a refused
    value) is the one the long way raises. Validators get ``None`` for the instance
    and are skipped for fields left ``UNSET``: a request class's validators check the
    value alone and accept ``UNSET`` (all of :mod:`~mautic_async._validation`'s do,
    and a class whose ``cls()`` fails takes the long way). So do classes with
    converters or other defaults (see :func:`_payload_fn`), and every class while
    attrs' validators are switched off.

    >>> caller_payload(PointGroupData, {"name": "A", "is_published": False})
    {'name': 'A', 'isPublished': False}
    """
    fn = _PAYLOAD_FNS.get(cls, _MISSING)
    if fn is _MISSING:
        fn = _PAYLOAD_FNS[cls] = _payload_fn(cls)
    if fn is None or attrs.validators.get_disabled():
        return _long_payload(cls, data)
    return fn(data)  # type: ignore[no-any-return]
