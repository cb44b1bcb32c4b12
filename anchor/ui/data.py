"""The cache layer between pages and the query modules.

One `Warehouse` per process (`st.cache_resource`), which also serves the command line's
channel (anchor/channel.py) so `anchor load` can run while the app holds the file, and is
open read-only where the app cannot write it; query results cached by
`st.cache_data`, keyed on the warehouse path, its data version and every
argument, so a load is visible on every viewer's next interaction.

A page run reads through one `Snapshot` (`one_version`): every query of the run, and the data
version its cached results are keyed on, come from the same committed data, so a page drawn
while a load commits shows all of the data before it or all of the data after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import streamlit as st

from anchor import channel, config
from anchor.db import Snapshot, Warehouse, open_for_serving
from anchor.geography.shapes import feature_collection
from anchor.queries import all_registered

_QUERIES: dict[str, Callable[..., Any]] = all_registered()


@st.cache_resource(show_spinner=False)
def _warehouse(path: str) -> Warehouse:
    wh = open_for_serving(path)
    if not wh.read_only:  # a read-only warehouse holds no lock: the command line opens it
        channel.serve(wh)
    return wh


def warehouse() -> Warehouse:
    return _warehouse(str(config.warehouse_path()))


# The snapshot the current page run reads through (each session's script runs in its own thread,
# and a context variable is that thread's own).
_RUN: ContextVar[Snapshot | None] = ContextVar("anchor_page_run", default=None)


@contextmanager
def one_version() -> Iterator[Snapshot]:
    """Read every query inside from one committed state of the data (the app frame wraps each
    page run in it). Writes still go through `warehouse()`."""
    snap = warehouse().snapshot()
    token = _RUN.set(snap)
    try:
        yield snap
    finally:
        _RUN.reset(token)
        snap.close()


def _reader() -> Warehouse | Snapshot:
    """What this run reads from: its snapshot inside `one_version`, else the warehouse."""
    snap = _RUN.get()
    return snap if snap is not None else warehouse()


def _source(path: str) -> Warehouse | Snapshot:
    snap = _RUN.get()
    return snap if snap is not None and str(snap.path) == path else _warehouse(path)


@st.cache_data(ttl=3600, max_entries=2000, show_spinner=False)
def _cached(path: str, data_version: int, name: str, args: tuple, kwargs: tuple) -> Any:
    return _QUERIES[name](_source(path), *args, **dict(kwargs))


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a registered query function with caching: `query(spend.spend_totals, orgs, ...)`."""
    name = f"{fn.__module__}.{fn.__name__}"
    if name not in _QUERIES:
        raise KeyError(f"{name} is not a registered query.")
    src = _reader()
    return _cached(str(src.path), src.data_version(), name, args, tuple(sorted(kwargs.items())))


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _shapes(path: str, data_version: int, name: str, args: tuple, id_col: str,
            props: tuple) -> dict:
    df = _QUERIES[name](_source(path), *args)
    return feature_collection(df, id_col, list(props))


def shapes(fn: Callable[..., Any], *args: Any, id_col: str, props: tuple = ()) -> dict:
    """A registered query's polygons as a GeoJSON FeatureCollection, cached."""
    name = f"{fn.__module__}.{fn.__name__}"
    src = _reader()
    return _shapes(str(src.path), src.data_version(), name, args, id_col, props)


class _AppSource:
    """The app's `Source` (anchor/measures/base.py) for views and the story: cached queries
    read from the page run's snapshot."""

    @staticmethod
    def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return query(fn, *args, **kwargs)

    @staticmethod
    def shapes(fn: Callable[..., Any], *args: Any, id_col: str, props: tuple = ()) -> dict:
        return shapes(fn, *args, id_col=id_col, props=props)


SOURCE = _AppSource()
