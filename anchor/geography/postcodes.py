"""Postcodes as users type them: normalise, validate, and look them up."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

# Outward code (area, district) then inward code (sector digit, unit letters).
_POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_SPACES_RE = re.compile(r"\s+")


class PostcodeError(ValueError):
    """A postcode that is not in the UK format."""


def normalise_postcode(raw: object) -> str:
    """'b709pl' -> 'B70 9PL'. Raises PostcodeError naming the value when it is not a postcode."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        raise PostcodeError("The postcode is empty.")
    compact = _SPACES_RE.sub("", str(raw)).upper()
    if not compact:
        raise PostcodeError("The postcode is empty.")
    m = _POSTCODE_RE.match(compact)
    if not m:
        raise PostcodeError(
            f"{str(raw).strip()!r} is not a UK postcode (expected a form like B71 4HJ)."
        )
    return f"{m.group(1)} {m.group(2)}"


def try_normalise(raw: object) -> str | None:
    try:
        return normalise_postcode(raw)
    except PostcodeError:
        return None


@dataclass(frozen=True)
class PostcodeLocation:
    postcode: str
    lat: float | None
    lon: float | None
    lsoa_code: str | None
    lad_code: str | None
    lad_name: str | None
    icb_code: str | None
    icb_name: str | None
    is_live: bool
    located_by: str | None


LOOKUP_SQL = """
select p.postcode, p.lat, p.lon, p.lsoa_code, p.lad_code, l.lad_name, p.icb_code, i.icb_name,
       p.is_live, p.located_by
from geo_postcode as p
left join geo_lad as l using (lad_code)
left join geo_icb as i using (icb_code)
where p.postcode = ?
"""


class UnknownPostcode(LookupError):
    """A well-formed postcode that is not in the geography."""


def locate_postcode(wh, raw: object) -> PostcodeLocation:
    """Where a postcode is. Terminated postcodes are placed at their LSOA when the data allows."""
    postcode = normalise_postcode(raw)
    rows = wh.rows(LOOKUP_SQL, [postcode])
    if not rows:
        raise UnknownPostcode(f"{postcode} is not a known GB postcode.")
    return PostcodeLocation(*rows[0])
