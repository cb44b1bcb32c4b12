"""Organisations as published files name them, matched to the warehouse's ODS codes.

Trusts name themselves in their spend files as they please ("Chelsea & Westminster NHS
FT", "SGH", "Guys and St Thomas"). A spelling that is an organisation's code or exact
name is that organisation. Any other is matched forgivingly (`propose`): the NHS words
("NHS", "Foundation Trust", "FT", "Hospital"), '&' or 'and' and apostrophes aside, or by
its initials, or failing those the closest name; a council's spelling ("Leeds City
Council") is matched to its local authority. A proposal is only that: the analyst confirms
it once (`--org CODE`, or the sidebar's confirm box), the spelling is then remembered
(`org_alias`, written with the load) and read as that organisation from then on.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from anchor.loading import parse

# words that say what kind of NHS body a name is, not which one
_NHS_WORDS = {"nhs", "foundation", "trust", "ft", "nhsft", "the", "hospital", "hospitals",
              "and", "of", "services"}
_JOINING = {"the", "and", "of"}
_APOSTROPHES = re.compile(r"['’`]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
CLOSE_ENOUGH = 0.82  # difflib's ratio between two names' keys, for the closest-name match
COUNCIL_TYPE = "Council"


def _words(name: str) -> list[str]:
    text = _APOSTROPHES.sub("", str(name).lower()).replace("&", " and ")
    return _NON_ALNUM.sub(" ", text).split()


def name_key(name: str) -> str:
    """'Chelsea & Westminster NHS FT' and 'Chelsea and Westminster Hospital NHS Foundation
    Trust' -> 'chelsea westminster'."""
    return " ".join(w for w in _words(name) if w not in _NHS_WORDS)


def initials(name: str) -> set[str]:
    """The initials a name is known by: 'St George's University Hospitals NHS Foundation
    Trust' -> SGUH, SGH, SGUHFT…; 'Guy's and St Thomas' NHS Foundation Trust' -> GST, GSTT."""
    words = [w for w in _words(name) if w not in _JOINING]
    out = set()
    for drop in ({"nhs", "foundation", "trust", "ft"}, {"nhs", "foundation", "ft"},
                 {"nhs", "foundation", "trust", "ft", "university"},
                 {"nhs", "ft"}, set()):
        kept = [w for w in words if w not in drop]
        if len(kept) >= 2:
            out.add("".join(w[0] for w in kept))
    return out


def alias_key(spelling: str) -> str:
    """How a remembered spelling is found again: as supplier names are matched."""
    return parse.normalise_names(pd.Series([spelling])).iloc[0]


@dataclass(frozen=True)
class Proposal:
    """What a spelling looks like: an organisation in the warehouse (`lad_code` None), or a
    local authority not yet one (`org_code` is then its ONS code)."""

    org_code: str
    name: str
    how: str  # in words: 'the same name, NHS words aside', 'its initials', 'the closest name'
    lad_code: str | None = None

    @property
    def plain(self) -> bool:
        """A match beyond doubt (the same name, NHS words aside; its code in the name; a
        council's name or code), as opposed to one by initials or the closest name."""
        return self.how not in ("its initials", "the closest name", "the same name, shortened")

    def describe(self) -> str:
        if self.lad_code:
            return (f"{self.org_code}, the local authority {self.name} ({self.how}), not yet "
                    "an organisation: confirming it adds the council as one")
        return f"{self.org_code}, {self.name} ({self.how})"


def propose(spelling: str, orgs: pd.DataFrame, councils: pd.DataFrame) -> Proposal | None:
    """The organisation `spelling` most likely means, if one stands out. `orgs`: org_code,
    name; `councils`: lad_code, lad_name (the geography's local authorities)."""
    key = name_key(spelling)
    keys = orgs["name"].astype("str").map(name_key)
    codes = orgs[orgs["org_code"].str.upper().isin(
        [w for w in re.split(r"[^0-9A-Za-z]+", spelling.upper()) if len(w) >= 3])]
    if len(codes) == 1:  # 'RJ1 - Guy's and St Thomas'': its code within the spelling
        return Proposal(codes.iloc[0]["org_code"], codes.iloc[0]["name"],
                        "its ODS code, within the name")
    same = orgs[keys == key] if key else orgs.iloc[0:0]
    if len(same) == 1:
        return Proposal(same.iloc[0]["org_code"], same.iloc[0]["name"],
                        "the same name, NHS words aside")
    compact = re.sub(r"[^A-Za-z]", "", spelling)
    if 2 <= len(compact) <= 7 and " " not in spelling.strip():
        hits = orgs[orgs["name"].astype("str").map(lambda n: compact.lower() in initials(n))]
        if len(hits) == 1:
            return Proposal(hits.iloc[0]["org_code"], hits.iloc[0]["name"], "its initials")
    council = _council(spelling, councils)
    if council is not None:
        return council
    if not key:
        return None
    # every name beginning as the spelling does ('Guys and St Thomas' for 'Guy's and St
    # Thomas' NHS FT'), else the closest, when no other is nearly as close
    starts = orgs[keys.map(lambda k: bool(k) and (k.startswith(key + " ") or
                                                  key.startswith(k + " ")))]
    if len(starts) == 1:
        return Proposal(starts.iloc[0]["org_code"], starts.iloc[0]["name"],
                        "the same name, shortened")
    ratios = keys.map(lambda k: difflib.SequenceMatcher(None, key, k).ratio())
    if ratios.empty:
        return None
    best = ratios.idxmax()
    second = ratios.drop(best).max() if len(ratios) > 1 else 0.0
    if ratios[best] >= CLOSE_ENOUGH and ratios[best] - second >= 0.05:
        return Proposal(orgs.loc[best, "org_code"], orgs.loc[best, "name"], "the closest name")
    return None


_COUNCIL_WORDS = re.compile(
    r"\b(metropolitan borough|metropolitan district|royal borough|london borough|city and "
    r"county|county borough|borough|district|county|city)?\s*council\b|\bcouncil of (the )?",
    re.IGNORECASE)


_LGTC_URI = re.compile(r"opendatacommunities\.org/id/[a-z-]+/([a-z0-9-]+)/?$", re.IGNORECASE)


def _council(spelling: str, councils: pd.DataFrame) -> Proposal | None:
    """A council's spelling ('Leeds City Council', 'London Borough of Sutton'), its local
    authority's code (E08000035) or its Local Government Transparency Code identifier
    ('http://opendatacommunities.org/id/metropolitan-district-council/leeds') as its local
    authority, when the rest of it is one local authority's name."""
    if councils.empty:
        return None
    by_code = councils[councils["lad_code"].str.upper() == spelling.strip().upper()]
    if len(by_code) == 1:
        lad = by_code.iloc[0]
        return Proposal(lad["lad_code"], lad["lad_name"], "a local authority's code",
                        lad["lad_code"])
    uri = _LGTC_URI.search(spelling.strip())
    if uri:
        spelling = uri.group(1).replace("-", " ") + " council"
    if "council" not in spelling.lower() and "borough" not in spelling.lower():
        return None
    # what follows 'Council' says in what capacity ('Leeds City Council as Accountable Body')
    spelling = re.sub(r"(?i)(\bcouncil\b).*$", r"\1", spelling)
    rest = _COUNCIL_WORDS.sub(" ", spelling)
    rest = re.sub(r"\b(london borough of|royal borough of|city of|county of|borough of)\b", " ",
                  rest, flags=re.IGNORECASE)
    want = parse.normalise_names(pd.Series([rest])).iloc[0]
    if not want:
        return None
    names = parse.normalise_names(councils["lad_name"].astype("str"))
    hits = councils[names == want]
    if len(hits) != 1:
        return None
    lad = hits.iloc[0]
    return Proposal(lad["lad_code"], lad["lad_name"], "a council's name", lad["lad_code"])


def remembered(wh) -> dict[str, str]:
    """Every spelling confirmed before (as `alias_key` gives it) -> its org_code."""
    return dict(wh.rows("select alias_key, org_code from org_alias"))
