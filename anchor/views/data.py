"""The Data page: the audit trail of loads, the spend held by month, where suppliers are, the
data-quality checks and whether the demo is there, as a frozen view the page renders."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from anchor import formatting as fmt
from anchor.filters import Filters
from anchor.loading import report
from anchor.loading.validation import plural
from anchor.measures import Source
from anchor.queries import loads, reference

NOTHING_YET = ("There is nothing to show yet. Load files with **Load data** in the sidebar, "
               "in this order: **organisations and footprints**, **sites**, the **supplier "
               "register**, then spend, workforce and estates. Or build the demo footprint with "
               "`anchor demo`.")
LOADS_ABOUT = ("Every load: who, when, which file and what it replaced. Undoing a load puts "
               "back exactly what it replaced; a later load of the same month (or, for "
               "workforce and estates, quarter) must be undone first.")
COMMITMENTS_ABOUT = (
    "Each organisation's, or a footprint's, pledge to raise its local share by a date: "
    "charted with its trajectory on the Overview, Local spend and Place pages and in the "
    "exports. Entered here or with `anchor load commitment FILE`; audited and undone like any "
    "load.")
CHANGE_POINTS_ABOUT = (
    "Where a measure's process changed for an organisation or a footprint (a new hospital "
    "opening, a change of supplier register): its SPC chart works out its limits afresh from "
    "there and names the change. Recording and removing one is audited.")
DEMO_ABOUT = ("The demo footprint is synthetic. Remove it before relying on real data; "
              "organisations and quarters you have loaded stay.")


def analysts_only(role_label: str) -> str:
    """What someone who may not load is told instead of the page."""
    return ("The Data page is for analysts and admins: it is where quarters are loaded, "
            f"checked and undone. You are using Anchor as a {role_label}.")


@dataclass(frozen=True)
class Check:
    """One data-quality list: its title, what it found (`found` False: nothing, and
    `caption` says what that means), and the rows as the page shows them."""

    title: str
    found: bool
    caption: str
    table: pd.DataFrame


@dataclass(frozen=True)
class DataView:
    empty: bool  # nothing loaded yet but the geography Anchor installs itself
    history: pd.DataFrame  # loads.load_history: what the undo control offers
    loads: pd.DataFrame  # the audit trail as the page shows it
    org_names: dict[str, str]  # code: short name
    held: pd.DataFrame  # the spend held, by organisation and month (report.coverage_table)
    held_caption: str
    unplaced: pd.DataFrame  # loads.supplier_postcode_problems: what placing suppliers works on
    checks: tuple[Check, ...]
    has_demo: bool


def _check(title: str, found: pd.DataFrame, none: str, about: str, table) -> Check:
    return Check(title, not found.empty, about if not found.empty else f"None: {none}", table)


def held_caption(held: pd.DataFrame) -> str:
    """What the table of spend held says, and how many organisation-quarters are partial."""
    if held.empty:
        return "No spend is loaded yet."
    partial = held.loc[held["Quarter held"] != "complete", ["Organisation", "Quarter"]]
    return ("Each organisation's invoice lines and spend for every month held, newest first. A "
            "spend load replaces the months its file is for, so a quarter is complete once all "
            "three of its months are loaded; pages open on the latest quarter every chosen "
            "organisation holds in full. "
            + (f"{plural(len(partial.drop_duplicates()), 'organisation-quarter')} partial."
               if not partial.empty else "Every quarter held is complete."))


def checks(source: Source, org_names: dict[str, str], unplaced: pd.DataFrame) -> tuple[Check, ...]:
    """The data-quality lists, in the page's order."""
    sites = source.query(loads.sites_not_placed)
    staff = source.query(loads.staff_not_placed)
    no_flags = source.query(loads.suppliers_without_flags)
    gaps = report.missing_quarters_table(source.query(loads.missing_quarters), org_names)
    return (
        _check("Suppliers whose spend cannot be placed", unplaced,
               "every supplier has a postcode the geography knows.",
               f"{plural(len(unplaced), 'supplier')}, {fmt.gbp(unplaced['spend_gbp'].sum())} of "
               "spend, whose location is not known (local shares leave it out) until the "
               "supplier register gives each a postcode the geography knows and can place. "
               "Largest spend first.",
               report.postcode_problems_table(unplaced)),
        _check("Sites that cannot be placed", sites,
               "every site has a postcode the geography knows and can place.",
               f"{plural(len(sites), 'site')} whose estate returns count in no place until the "
               "sites file gives a postcode the geography knows.",
               report.sites_not_placed_table(sites, org_names)),
        _check("Staff whose home cannot be placed", staff,
               "at each organisation's latest quarter, every member of staff has a home LSOA "
               "the geography knows.",
               "At each organisation's latest workforce quarter: staff with no home LSOA, or one "
               "the geography does not know, count as not local. Counts of 1 to 4 read *.",
               report.staff_not_placed_table(staff, org_names)),
        _check("Suppliers without SME or VCSE flags", no_flags,
               "every supplier is flagged SME or not, and VCSE or not.",
               f"{plural(len(no_flags), 'supplier')}, {fmt.gbp(no_flags['spend_gbp'].sum())} of "
               "spend, left out of the SME and VCSE shares until the register says yes or no. "
               "Largest spend first.",
               report.missing_flags_table(no_flags)),
        _check("Quarters missing", gaps,
               "every organisation has every quarter of spend, workforce and estates data from "
               "the first held to the latest.",
               "Quarters with no rows for an organisation, between the first and the latest "
               "quarter held of each kind of data.",
               gaps),
    )


def build(source: Source, filters: Filters | None) -> DataView:
    """What the Data page shows. `filters` is the sidebar's (None when it has nothing to
    choose from): with none, and no load but the geography's, the view is `empty`."""
    history = source.query(loads.load_history)
    # the geography Anchor installs on its first start is not data anyone loaded
    if filters is None and history["table_name"].eq("geography").all():
        return DataView(True, history, report.history_table(history), {}, pd.DataFrame(), "",
                        pd.DataFrame(), (), False)
    orgs = source.query(reference.organisations)
    org_names = {c: fmt.short_org_name(n) for c, n in zip(orgs["org_code"], orgs["name"])}
    held = report.coverage_table(source.query(reference.spend_months), org_names)
    unplaced = source.query(loads.supplier_postcode_problems)
    return DataView(
        empty=False, history=history, loads=report.history_table(history), org_names=org_names,
        held=held, held_caption=held_caption(held), unplaced=unplaced,
        checks=checks(source, org_names, unplaced),
        has_demo=bool(source.query(reference.has_demo_data)),
    )
