"""Every public name has a docstring: what ``mautic_async``, ``mautic_async.testing``
and ``mautic_async.cli`` export, each public method and property of an exported
class, each field of an exported attrs class, and each parameter of the client's
constructor. Values (constants, type aliases) are documented by a ``#:`` comment
above them or a string right after them, as Sphinx reads them."""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import attrs
import pytest

import mautic_async

MODULES = ("mautic_async", "mautic_async.testing", "mautic_async.cli")


def _value_docs(module: ModuleType) -> dict[str, str]:
    """Names assigned at module level with a ``#:`` comment or a string after them."""
    source = inspect.getsource(module)
    lines, body = source.splitlines(), ast.parse(source).body
    docs: dict[str, str] = {}
    for index, node in enumerate(body):
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        else:
            continue
        after = body[index + 1] if index + 1 < len(body) else None
        comment = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        for name in names:
            if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
                docs[name] = str(after.value.value)
            elif comment.startswith("#:"):
                docs[name] = comment[2:].strip()
    return docs


def _defining_module(package: ModuleType, name: str) -> Iterator[ModuleType]:
    prefix = package.__name__
    for module_name, module in list(sys.modules.items()):
        if module is not None and (module_name == prefix or module_name.startswith(prefix + ".")):
            yield module
    yield from (sys.modules[m] for m in ("mautic_async.client", "mautic_async.sync"))


def _public_api() -> Iterator[tuple[str, Any, ModuleType]]:
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name != "__version__":
                yield f"{module_name}.{name}", getattr(module, name), module


API = list(_public_api())


def _undocumented() -> list[str]:
    missing = []
    for qualified, obj, module in API:
        name = qualified.rsplit(".", 1)[1]
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if not inspect.getdoc(obj):
                missing.append(qualified)
        elif not any(name in _value_docs(m) for m in _defining_module(module, name)):
            missing.append(f"{qualified} (a value: add a #: comment)")
        if not inspect.isclass(obj):
            continue
        # A field may be described by the base class that declares it.
        class_doc = "\n".join(c.__doc__ or "" for c in obj.__mro__ if c is not object)
        for member_name, member in vars(obj).items():
            if member_name.startswith("_"):
                continue
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property) and not (member.fget and member.fget.__doc__):
                missing.append(f"{qualified}.{member_name} (property)")
            elif (
                inspect.isfunction(member)
                and not member.__doc__
                # An override documented by its base class is fine.
                and not inspect.getdoc(getattr(obj, member_name))
            ):
                missing.append(f"{qualified}.{member_name}()")
        if attrs.has(obj):
            for field in attrs.fields(obj):
                if not field.name.startswith("_") and field.name not in class_doc:
                    missing.append(f"{qualified}.{field.name} (field: describe it in the class)")
    return missing


def test_the_public_api_is_listed() -> None:
    names = {qualified for qualified, _obj, _module in API}
    assert {
        "mautic_async.MauticClient",
        "mautic_async.DEFAULT_TIMEOUT",
        "mautic_async.ProgressCallback",
        "mautic_async.testing.MauticEmulator",
        "mautic_async.cli.main",
    } <= names


def test_every_public_name_has_a_docstring() -> None:
    assert _undocumented() == []


def test_every_client_parameter_is_documented() -> None:
    doc = (inspect.getdoc(mautic_async.MauticClient) or "") + (
        mautic_async.MauticClient.__init__.__doc__ or ""
    )
    missing = [
        name
        for name in list(inspect.signature(mautic_async.MauticClient).parameters)
        if f"{name}:" not in doc and f"``{name}``" not in doc and f"{name}=" not in doc
    ]
    assert missing == []


@pytest.mark.parametrize("name", ["headers", "closed"])
def test_the_names_the_issue_found_undocumented(name: str) -> None:
    doc = inspect.getdoc(mautic_async.MauticClient) or ""
    member = getattr(mautic_async.MauticClient, name, None)
    assert name in doc or (isinstance(member, property) and member.__doc__)
