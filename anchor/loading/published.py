"""Reference files as NHS Digital publishes them, read with no hand edits.

The Organisation Data Service (ODS) publishes its organisation lists (`etr.csv` NHS trusts,
`ets.csv` trust sites, `eccg.csv` sub-ICB locations and CCGs) in its "standard file layout":
no header row, 27 fixed columns, the organisation code first, names and addresses in upper
case, dates as yyyymmdd. A file of that shape (`is_ods`) is given the layout's column names
when it is read (`ODS_COLUMNS`); loading it as organisations or sites maps them to ours
(`ods_layout`) and turns the published cells into what our checks expect (`ods_cells`): a
readable name, the high level health geography (the ICB, formerly the STP) as the footprint,
and closed entries left out and counted. ERIC's site data (`eric_layout`, `eric_cells`) loads
as sites and as estates returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from anchor.loading import parse

# The standard file layout: the fields Anchor reads by name, the rest by their number.
_ODS_NAMED = {
    1: "Organisation Code", 2: "Name", 3: "National Grouping",
    4: "High Level Health Geography", 5: "Address Line 1", 6: "Address Line 2",
    7: "Address Line 3", 8: "Address Line 4", 9: "Address Line 5", 10: "Postcode",
    11: "Open Date", 12: "Close Date", 15: "Parent Organisation Code",
    18: "Contact Telephone Number", 22: "Amended Record Indicator",
}
ODS_WIDTH = 27
ODS_COLUMNS = tuple(_ODS_NAMED.get(i, f"ODS field {i}") for i in range(1, ODS_WIDTH + 1))
_ODS_CODE = re.compile(r"[A-Z0-9]{3,9}")
_ODS_DATE = re.compile(r"[0-9]{8}")
# A sub-ICB location is published as 'NHS <ICB NAME> ICB - <its code>'.
_SUB_ICB = re.compile(r"^(?P<icb>.+ ICB) - [A-Z0-9]+$")


def is_ods(rows: Sequence[Sequence[str]]) -> bool:
    """Whether the rows at the top of a file are an ODS standard file with no header row:
    every one 27 cells wide, an organisation code first and an open date in field 11."""
    filled = [r for r in rows if any(str(c).strip() for c in r)]
    return bool(filled) and all(
        len(r) == ODS_WIDTH and _ODS_CODE.fullmatch(r[0].strip())
        and _ODS_DATE.fullmatch(r[10].strip()) for r in filled)


# -- names as people write them ----------------------------------------------------------

# Kept in capitals: initialisms in NHS names. Kept in lower case inside a name: short words.
_UPPER = frozenset({"NHS", "ICB", "CCG", "STP", "ICS", "UK", "GP", "HQ", "CIC", "LLP", "PCT"})
_LOWER = frozenset({"and", "of", "the", "for", "in", "on", "at", "upon", "by", "with"})


def readable_name(name: str) -> str:
    """'GUY'S AND ST THOMAS' NHS FOUNDATION TRUST' -> "Guy's and St Thomas' NHS Foundation
    Trust": ODS names are in capitals; initialisms stay so, short words are lower case
    inside a name, hyphenated words are read part by part ('Stockton-on-Tees')."""
    words = name.split()
    return " ".join(_word(w, first=i == 0) for i, w in enumerate(words))


def _word(word: str, first: bool) -> str:
    parts = word.split("-")
    return "-".join(_part(p, first=first and j == 0) for j, p in enumerate(parts))


def _part(part: str, first: bool) -> str:
    core = part.strip("(),.&'")
    if core.upper() in _UPPER:
        return part.upper()
    lower = part.lower()
    if not first and core.lower() in _LOWER:
        return lower
    # the first letter only: "guy's" -> "Guy's", '(north' -> '(North'; '2gether' stays
    for i, ch in enumerate(lower):
        if ch.isalnum():
            return lower if ch.isdigit() else lower[:i] + ch.upper() + lower[i + 1:]
    return lower


# -- ODS files loaded as organisations or sites ------------------------------------------

@dataclass(frozen=True)
class OdsCells:
    """An ODS file's rows as our columns' text cells, with the entries left out: for each
    reason (a sentence), their codes by row."""

    cells: pd.DataFrame  # our columns, indexed by the file's rows
    left_out: dict[str, pd.Series]


def ods_layout(spec_key: str, columns: Sequence[str]) -> dict[str, str] | None:
    """Our columns -> the ODS layout's, when the file is an ODS file and the table takes it."""
    if tuple(columns) != ODS_COLUMNS or spec_key not in ("organisation", "site"):
        return None
    if spec_key == "organisation":
        # the kind of organisation, and an ICB's footprint name, come from its name
        return {"org_code": "Organisation Code", "name": "Name", "org_type": "Name",
                "footprint_code": "High Level Health Geography", "footprint_name": "Name",
                "postcode": "Postcode"}
    return {"site_code": "Organisation Code", "org_code": "Parent Organisation Code",
            "name": "Name", "postcode": "Postcode"}


CLOSED = "closed before today (a close date in the file)"
NO_FOOTPRINT = ("with no high level health geography, so in no ICB or STP (such as the "
                "Welsh trusts)")
NOT_ANCHORS = ("neither trusts, ICBs nor CCGs (such as NHS England's commissioning hubs)")
FOLDED = "further sub-ICB locations of an ICB already read (each ICB is one organisation)"


def ods_cells(spec_key: str, frame: pd.DataFrame, today: date) -> OdsCells:
    """The file's entries as our columns. Entries with a close date before `today` are left
    out. As sites: a trust site belongs to its parent organisation, or, where that field is
    empty, to the trust whose code begins its own (RXK02: RXK). As organisations: a trust is
    one organisation, typed from its name; a sub-ICB location ('NHS X ICB - 00L') stands for
    its ICB, one organisation per ICB, whose code is the footprint's and whose name names the
    footprint; a CCG (a file before July 2022) is an organisation of its STP. Entries of
    other kinds, and those in no ICB or STP, are left out."""
    close = frame["Close Date"].str.strip()
    ended = pd.to_datetime(close, format="%Y%m%d", errors="coerce")
    is_closed = ended.notna() & (ended.dt.date < today)
    left_out = {CLOSED: frame.loc[is_closed, "Organisation Code"].str.strip()}
    live = frame[~is_closed]
    code = live["Organisation Code"].str.strip()
    name = live["Name"].str.strip()
    if spec_key == "site":
        parent = live["Parent Organisation Code"].str.strip()
        parent = parent.where(parent != "", code.str[:3])
        cells = pd.DataFrame({"site_code": code, "org_code": parent,
                              "name": name.map(readable_name),
                              "postcode": live["Postcode"]})
        return OdsCells(cells, left_out)
    footprint = live["High Level Health Geography"].str.strip()
    icb = name.str.extract(_SUB_ICB)["icb"]
    is_sub = icb.notna()
    org_type = _org_types(name, is_sub)
    org_code = code.where(~is_sub, footprint)
    readable = name.where(~is_sub, icb).map(readable_name)
    cells = pd.DataFrame({
        "org_code": org_code,
        "name": readable,
        "org_type": org_type,
        "footprint_code": footprint,
        "footprint_name": readable.where(is_sub, ""),
        # a sub-ICB location's address is its own, not its ICB's
        "postcode": live["Postcode"].where(~is_sub, ""),
    })
    other = org_type == ""
    nowhere = ~other & (footprint == "")
    folded = is_sub & org_code.duplicated()
    left_out |= {NOT_ANCHORS: code[other], NO_FOOTPRINT: code[nowhere], FOLDED: code[folded]}
    return OdsCells(cells[~(other | nowhere | folded)], left_out)


def _org_types(name: pd.Series, is_sub: pd.Series) -> pd.Series:
    """The kind of organisation its published name says; '' for a kind Anchor does not
    take from an ODS file."""
    upper = name.str.upper()
    kind = pd.Series("", index=name.index, dtype="str")
    kind = kind.where(~upper.str.contains(r"\bTRUST\b"), "NHS trust")
    kind = kind.where(~upper.str.contains("FOUNDATION TRUST"), "NHS foundation trust")
    kind = kind.where(~upper.str.endswith(" CCG"), "Clinical commissioning group")
    return kind.where(~is_sub, "Integrated care board")


# -- ERIC site data ----------------------------------------------------------------------
# NHS Digital's Estates Returns Information Collection, one row per site and year. Its floor
# space, land and backlog are what an estates return holds; its costs, energy, waste and
# services are for the whole year and not loaded.

ERIC_KIND = "ERIC site data"
_ERIC_READ = {  # ours -> ERIC's column, read as it is
    "org_code": "Trust Code",
    "site_code": "Site Code",
    "gia_m2": "Gross internal floor area (m²)",
    "site_area_ha": "Land area owned (Hectares)",
    "land_not_delivering_ha": "Land area not delivering services (Hectares)",
}
_ERIC_SHARES = {  # ours (m²) -> ERIC's share of the gross internal floor area (%)
    "occupied_m2": "NHS estate occupied floor area (%)",
    "empty_m2": "Floor area - empty (%)",
    "underused_m2": "Floor area - under used (%)",
}
_ERIC_BACKLOG = tuple(f"Cost to eradicate {risk} risk backlog (£)"
                      for risk in ("high", "significant", "moderate", "low"))
_NOT_APPLICABLE = ("not applicable", "n/a")
ERIC_USED = frozenset([*_ERIC_READ.values(), *_ERIC_SHARES.values(), *_ERIC_BACKLOG])
_ERIC_SITE = {"site_code": "Site Code", "org_code": "Trust Code", "name": "Site Name",
              "postcode": "Post Code"}


def eric_layout(spec_key: str, columns: Sequence[str]) -> dict[str, str] | None:
    """Our columns -> ERIC's, when a sites or estates file is ERIC's site data. A figure
    worked out from several columns is mapped to the first of them."""
    if spec_key not in ("site", "estate") or not ERIC_USED | set(_ERIC_SITE.values()) <= set(
            columns):
        return None
    if spec_key == "site":
        return dict(_ERIC_SITE)
    return {**_ERIC_READ, **_ERIC_SHARES, "backlog_cost_gbp": _ERIC_BACKLOG[0]}


def eric_read(spec_key: str) -> str:
    """What an ERIC file gives each of our columns, in words, for the report."""
    if spec_key == "site":
        return (", ".join(f"{ours} from '{theirs}'" for ours, theirs in _ERIC_SITE.items())
                + " (names in title case)")
    shares = "; ".join(f"{ours} = gia_m2 × '{theirs}'" for ours, theirs in _ERIC_SHARES.items())
    return (", ".join(f"{ours} from '{theirs}'" for ours, theirs in _ERIC_READ.items())
            + f"; {shares}; backlog_cost_gbp = the sum of the four 'Cost to eradicate … risk "
            "backlog (£)' columns")


def eric_cells(spec_key: str, frame: pd.DataFrame) -> pd.DataFrame:
    """ERIC's rows as our columns' text cells. Site names are written in title case, as
    ODS names are. 'Not Applicable' is an empty cell; a floor area ERIC gives as a share of
    the gross internal floor area is worked out in m²; the backlog is the sum of its four
    risk levels (empty when none is given)."""
    def cell(column: str) -> pd.Series:
        text = frame[column].str.strip()
        return text.where(~text.str.lower().isin(_NOT_APPLICABLE), "")

    if spec_key == "site":
        cells = pd.DataFrame({ours: cell(theirs) for ours, theirs in _ERIC_SITE.items()})
        cells["name"] = cells["name"].map(readable_name)
        return cells

    cells = pd.DataFrame({ours: cell(theirs) for ours, theirs in _ERIC_READ.items()})
    gia = parse.number(cells["gia_m2"])
    for ours, theirs in _ERIC_SHARES.items():
        share = parse.number(cell(theirs))
        # a share that is not a number stays as given, for the check to name
        cells[ours] = _as_text(gia.values * share.values / 100).where(~share.bad, cell(theirs))
    texts = [cell(c) for c in _ERIC_BACKLOG]
    parts = [parse.money(t) for t in texts]
    given = pd.concat([~p.missing for p in parts], axis=1).any(axis=1)
    total = sum(parse.amount_numbers(p).fillna(0) for p in parts)
    backlog = _as_text(total.where(given))
    for text, p in reversed(list(zip(texts, parts))):  # the first not an amount, as given
        backlog = backlog.where(~p.bad, text)
    cells["backlog_cost_gbp"] = backlog
    return cells


def _as_text(values: pd.Series) -> pd.Series:
    """Numbers as the text cells the checks read: '' for none."""
    return values.map(lambda v: "" if pd.isna(v) else f"{v:.2f}").astype("str")
