"""Named questions of the warehouse. Each function takes a `Warehouse` first, binds every
value, and returns a DataFrame or a small dataclass. SQL lives only in this package.

A question the pages ask through the cache (anchor/ui/data.py) is marked `@registered`
where it is defined; `all_registered()` gives every one of them by name."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# "anchor.queries.<module>.<function>" -> the function
REGISTRY: dict[str, Callable[..., Any]] = {}


def query_name(fn: Callable[..., Any]) -> str:
    """The name a query is registered (and its results cached) under."""
    return f"{fn.__module__}.{fn.__name__}"


def registered(fn: F) -> F:
    """Register a query function for the pages' cache; the function itself is returned. A
    module imported again (the app's reload of a changed file) registers its queries anew."""
    REGISTRY[query_name(fn)] = fn
    return fn


def all_registered() -> dict[str, Callable[..., Any]]:
    """Every registered query, each module of the package imported so its queries are in."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return REGISTRY
