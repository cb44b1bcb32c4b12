"""Small files in the layout of Companies House's free "Basic Company Data" CSV, as published
(header spelled as the real file spells it, leading spaces and all)."""

from __future__ import annotations

import csv
import io

HEADER = (
    ["CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
     "RegAddress.AddressLine1", " RegAddress.AddressLine2", "RegAddress.PostTown",
     "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode", "CompanyCategory",
     "CompanyStatus", "CountryOfOrigin", "DissolutionDate", "IncorporationDate",
     "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate",
     "Accounts.LastMadeUpDate", "Accounts.AccountCategory", "Returns.NextDueDate",
     "Returns.LastMadeUpDate", "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding",
     "Mortgages.NumMortPartSatisfied", "Mortgages.NumMortSatisfied", "SICCode.SicText_1",
     "SICCode.SicText_2", "SICCode.SicText_3", "SICCode.SicText_4",
     "LimitedPartnerships.NumGenPartners", "LimitedPartnerships.NumLimPartners", "URI"]
    + [f for i in range(1, 11) for f in (f" PreviousName_{i}.CONDATE",
                                         f" PreviousName_{i}.CompanyName")]
    + ["ConfStmtNextDueDate", " ConfStmtLastMadeUpDate"]
)


def company_row(name: str, number: str, postcode: str, *, category="Private Limited Company",
                status="Active", accounts="SMALL") -> list[str]:
    row = [""] * len(HEADER)
    at = {h.strip(): i for i, h in enumerate(HEADER)}
    row[at["CompanyName"]] = name
    row[at["CompanyNumber"]] = number
    row[at["RegAddress.AddressLine1"]] = "1 HIGH STREET"
    row[at["RegAddress.PostTown"]] = "BIRMINGHAM"
    row[at["RegAddress.Country"]] = "ENGLAND"
    row[at["RegAddress.PostCode"]] = postcode
    row[at["CompanyCategory"]] = category
    row[at["CompanyStatus"]] = status
    row[at["CountryOfOrigin"]] = "United Kingdom"
    row[at["IncorporationDate"]] = "01/04/2010"
    row[at["Accounts.AccountCategory"]] = accounts
    row[at["SICCode.SicText_1"]] = "56290 - Other food services"
    row[at["URI"]] = f"http://business.data.gov.uk/id/company/{number}"
    return row


def companies_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return out.getvalue().encode()
