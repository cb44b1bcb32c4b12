"""Polygons from the warehouse (WKB) to GeoJSON for Plotly maps. Pure functions."""

from __future__ import annotations

import pandas as pd
import shapely


def feature_collection(df: pd.DataFrame, id_col: str, props: list[str] | None = None) -> dict:
    """A GeoJSON FeatureCollection with each row's `id_col` as the feature id."""
    geoms = shapely.from_wkb([None if b is None else bytes(b) for b in df["geometry_wkb"]])
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        row = df.iloc[i]
        features.append({
            "type": "Feature",
            "id": row[id_col],
            "properties": {c: row[c] for c in (props or [])},
            "geometry": shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


def bounds(fc: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a FeatureCollection."""
    if not fc["features"]:
        return None
    geoms = [shapely.geometry.shape(f["geometry"]) for f in fc["features"]]
    return tuple(shapely.total_bounds(geoms))


def subset(fc: dict, ids) -> dict:
    """The features of `fc` whose id is in `ids`."""
    keep = set(ids)
    return {"type": "FeatureCollection", "features": [f for f in fc["features"] if f["id"] in keep]}
