"""The cache layer between pages and the query modules.

One `Warehouse` per process (`st.cache_resource`), which also serves the command line's
channel (anchor/channel.py) so `anchor load` can run while the app holds the file, and is
open read-only where the app cannot write it; query results cached by
`st.cache_data`, keyed on the warehouse path, its data version and every
argument, so a load is visible on every viewer's next interaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from anchor import channel, config
from anchor.db import Warehouse, open_for_serving
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


@st.cache_data(ttl=3600, max_entries=2000, show_spinner=False)
def _cached(path: str, data_version: int, name: str, args: tuple, kwargs: tuple) -> Any:
    return _QUERIES[name](_warehouse(path), *args, **dict(kwargs))


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a registered query function with caching: `query(spend.spend_totals, orgs, ...)`."""
    name = f"{fn.__module__}.{fn.__name__}"
    if name not in _QUERIES:
        raise KeyError(f"{name} is not a registered query.")
    wh = warehouse()
    return _cached(str(wh.path), wh.data_version(), name, args, tuple(sorted(kwargs.items())))


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _shapes(path: str, data_version: int, name: str, args: tuple, id_col: str,
            props: tuple) -> dict:
    df = _QUERIES[name](_warehouse(path), *args)
    return feature_collection(df, id_col, list(props))


def shapes(fn: Callable[..., Any], *args: Any, id_col: str, props: tuple = ()) -> dict:
    """A registered query's polygons as a GeoJSON FeatureCollection, cached."""
    name = f"{fn.__module__}.{fn.__name__}"
    wh = warehouse()
    return _shapes(str(wh.path), wh.data_version(), name, args, id_col, props)
