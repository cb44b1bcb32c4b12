"""Fictional supplier names. Any likeness to a real business is a coincidence."""

from __future__ import annotations

import re

import numpy as np

_SUFFIX = re.compile(r" (Group Ltd|UK Ltd|Ltd \(social enterprise\)|Ltd|plc|LLP|& Co|CIC|Trust|"
                     r"\(charity\))$")

LOCAL_WORDS = [
    "Brindley", "Tame", "Lyndon", "Oldbury", "Harborne", "Cradley", "Netherton", "Darlaston",
    "Bilston", "Pelsall", "Wednesbury", "Tipton", "Smethwick", "Halesowen", "Sedgley", "Aldridge",
    "Willenhall", "Amblecote", "Quinton", "Rowley", "Blackheath", "Langley", "Great Bridge",
    "Princes End", "Coseley", "Ettingshall", "Moxley", "Bloxwich", "Brownhills", "Wordsley",
    "Kingswinford", "Pensnett", "Gornal", "Rushall", "Fallings Park", "Tettenhall", "Heath Town",
    "Whitmore Reans", "Ladywood", "Winson Green", "Handsworth", "Soho Road", "Edgbaston",
    "Digbeth", "Balsall", "Nechells", "Aston", "Hockley", "Jewellery Quarter", "Bordesley",
    "Stechford", "Yardley", "Lozells", "Perry Barr", "Kingstanding", "Hamstead", "Friar Park",
    "Charlemont", "Hill Top", "Ocker Hill", "Dudley Port", "Brierley", "Lye", "Wollaston",
    "Old Hill", "Cakemore", "Warley", "Bearwood", "Cape Hill", "Portway", "Causeway",
]
NATIONAL_WORDS = [
    "Meriden", "Calder", "Severnside", "Pennine Vale", "Ashcombe", "Thamesgate", "Everley",
    "Carrowmore", "Linthorpe", "Brackenfield", "Oakhurst", "Fenwick Hale", "Marston Vale",
    "Kestrel", "Larkspur", "Halcyon", "Saltash", "Wendover", "Corrie", "Elmbridge", "Fairlop",
    "Glenmoor", "Hartwell", "Ivybridge", "Juniper", "Kenwood", "Lowther", "Mardale", "Norland",
    "Orchard Brook", "Pemberley", "Quarrendon", "Redmire", "Stourvale", "Torridge", "Ullswater",
    "Verwood", "Westerleigh", "Yarrow", "Ambrose Hill", "Bellamy Cross", "Cheverell",
    "Dunholme", "Easterbrook", "Foxcote", "Greystoke", "Holloway Park", "Ingleby", "Kirkstead",
]
SURNAMES = [
    "Patel", "Kaur", "Singh", "Evans", "Hughes", "Okafor", "Nowak", "Begum", "Hussain", "Baker",
    "Turner", "Walker", "Ahmed", "Campbell", "Edwards", "Mensah", "Kowalski", "Bennett", "Price",
    "Chowdhury", "Griffiths", "Morgan", "Khan", "Clarke", "Adeyemi", "Murphy", "Sharma", "Lloyd",
    "Brennan", "Osei", "Walsh", "Reid", "Malik", "Fletcher", "Gill", "Doherty", "Banks", "Rahman",
]
TRADES = {
    "Drugs and medicines (national contracts)": ["Pharma Distribution", "Pharmaceuticals",
                                                 "Medicines Wholesale"],
    "Energy and utilities (national framework)": ["Energy Supply", "Power", "Water Services"],
    "PFI unitary charge": ["Healthcare Partnership"],
    "Medical and surgical equipment": ["Medical", "Surgical", "Diagnostics", "Medical Devices",
                                       "Healthcare Products", "Orthopaedics"],
    "Agency and locum staffing": ["Recruitment", "Medical Staffing", "Nursing Agency",
                                  "Locums", "Care Staffing"],
    "Estates maintenance and construction": ["Building Services", "Construction",
                                             "Mechanical & Electrical", "Property Maintenance",
                                             "Roofing", "Joinery", "Plumbing & Heating"],
    "Cleaning, portering and security": ["Cleaning Services", "Facilities Services",
                                         "Security", "Hygiene Services"],
    "Catering and food": ["Catering", "Fresh Foods", "Bakery", "Food Services", "Dairies",
                          "Produce"],
    "IT, digital and telecoms": ["Digital", "IT Solutions", "Software", "Networks",
                                 "Data Systems", "Telecoms"],
    "Professional and consultancy services": ["Consulting", "Solicitors", "Accountants",
                                              "Advisory", "Associates"],
    "Transport, couriers and taxis": ["Couriers", "Taxis", "Transport", "Logistics",
                                      "Patient Travel"],
    "Laundry and linen": ["Laundry", "Linen Services", "Textile Care"],
    "Grounds, gardening and waste": ["Landscapes", "Grounds Maintenance", "Waste Services",
                                     "Recycling", "Tree Care"],
    "Printing, stationery and office supplies": ["Print", "Office Supplies", "Stationers",
                                                 "Signs & Print"],
    "Training and education": ["Training", "Skills Academy", "Learning", "Education Services"],
    "Furniture, fittings and equipment": ["Furniture", "Interiors", "Office Furniture",
                                          "Fittings"],
    "Community and voluntary sector services": ["Community Trust", "Wellbeing",
                                                "Carers Network", "Community Action",
                                                "Advice Centre"],
}


def supplier_name(
    rng: np.random.Generator,
    category: str,
    is_local: bool,
    is_sme: bool,
    is_vcse: bool,
    *,
    partners: bool = False,
) -> str:
    """A made-up name; `partners` gives the rarer 'Kaur & Evans ...' form."""
    words = LOCAL_WORDS if is_local else NATIONAL_WORDS
    stem = words[rng.integers(len(words))]
    if partners:
        a, b = rng.choice(len(SURNAMES), size=2, replace=False)
        stem = f"{SURNAMES[a]} & {SURNAMES[b]}"
    trade = TRADES[category][rng.integers(len(TRADES[category]))]
    if is_vcse:
        suffix = ["CIC", "Trust", "(charity)", "Ltd (social enterprise)"][rng.integers(4)]
        if suffix == "Trust" and trade.endswith("Trust"):
            suffix = "CIC"
    elif category == "Professional and consultancy services":
        suffix = ["LLP", "Ltd", "& Co"][rng.integers(3)]
    elif is_sme:
        suffix = "Ltd"
    else:
        suffix = ["Group Ltd", "plc", "UK Ltd", "Ltd"][rng.integers(4)]
    return f"{stem} {trade} {suffix}"


def name_stem(name: str) -> str:
    """A name without its company suffix: 'Everley Pharma Distribution plc' -> '... Distribution'."""
    return _SUFFIX.sub("", name)
