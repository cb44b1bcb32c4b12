"""A place written as a short text, as `anchor report --place` and the Place page take it.

    footprint        the footprint's home local authorities
    WMCA             a named place (a LEP, a combined authority), by its code
    E08000028        one local authority, by its ONS code ...
    Sandwell         ... or by its name
    radius:10        within 10 km of each organisation's sites

Pure: the caller passes the reference tables it has read.
"""

from __future__ import annotations

import pandas as pd

from anchor.places import Place

FOOTPRINT = "footprint"
RADIUS_PREFIX = "radius:"


def radius_spec(km: float) -> str:
    return f"{RADIUS_PREFIX}{km:g}"


def resolve_place(spec: str, *, footprint_name: str, footprint_lads: pd.DataFrame,
                  named: pd.DataFrame, lads: pd.DataFrame) -> Place:
    """The `Place` a spec names. `footprint_lads` and `lads` have lad_code, lad_name;
    `named` is `queries.places.named_places`. Raises ValueError saying what is accepted."""
    text = (spec or "").strip()
    low = text.lower()
    if not text:
        raise ValueError("Name a place: footprint, a LAD code or name, a named place such as "
                         "WMCA, or radius:10.")
    if low == FOOTPRINT:
        if footprint_lads.empty:
            raise ValueError(f"{footprint_name} has no home local authorities; choose another "
                             "place.")
        return Place.of_lads(footprint_name, list(footprint_lads["lad_code"]),
                             list(footprint_lads["lad_name"]))
    if low.startswith(RADIUS_PREFIX):
        try:
            km = float(low[len(RADIUS_PREFIX):])
        except ValueError:
            raise ValueError(f"{text!r}: write a distance as radius:10 (kilometres).") from None
        return Place.within_km(km)
    for row in named.itertuples():
        if row.place_code.lower() == low or row.name.lower() == low:
            return Place.of_lads(row.name, list(row.lad_codes), list(row.lad_names))
    for code, name in zip(lads["lad_code"], lads["lad_name"]):
        if code.lower() == low or str(name).lower() == low:
            return Place.of_lads(name, [code], [name])
    codes = ", ".join(named["place_code"]) if not named.empty else "none"
    raise ValueError(f"{text!r} is not a place Anchor knows. Use footprint, a local authority's "
                     f"code or name (e.g. E08000028 or Sandwell), a named place ({codes}) or "
                     "radius:KM.")
