"""The demo footprint's fixed facts: organisations, real hospital sites, categories.

Organisations and sites are real (Black Country and West Birmingham); every
supplier, invoice, member of staff and figure generated from them is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FOOTPRINT_CODE = "BCWB"
FOOTPRINT_NAME = "Black Country and West Birmingham"

BIRMINGHAM = "E08000025"
DUDLEY = "E08000027"
SANDWELL = "E08000028"
WALSALL = "E08000030"
WOLVERHAMPTON = "E08000031"
HOME_LADS = (BIRMINGHAM, DUDLEY, SANDWELL, WALSALL, WOLVERHAMPTON)

FIRST_QUARTER = date(2014, 4, 1)  # 2014/15 Q1
LAST_QUARTER = date(2025, 7, 1)  # 2025/26 Q2


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    org_type: str
    spend_2014_gbp: float  # in-scope non-pay spend in 2014/15
    headcount_2014: int
    home_lad: str
    hq_postcode: str  # where invoices to the trust are addressed; in `home_lad`


ORGS = [
    Org("RXK", "Sandwell and West Birmingham Hospitals NHS Trust", "Acute trust",
        114.1e6, 6900, SANDWELL, "B71 4HJ"),
    Org("RNA", "The Dudley Group NHS Foundation Trust", "Acute trust",
        128.0e6, 4800, DUDLEY, "DY1 2HQ"),
    Org("RBK", "Walsall Healthcare NHS Trust", "Acute and community trust",
        86.0e6, 4300, WALSALL, "WS2 9PS"),
    Org("RL4", "The Royal Wolverhampton NHS Trust", "Acute and community trust",
        176.0e6, 7800, WOLVERHAMPTON, "WV10 0QP"),
    Org("TAJ", "Black Country Healthcare NHS Foundation Trust", "Mental health and learning disability trust",
        42.0e6, 2900, SANDWELL, "B70 9PL"),
]


@dataclass(frozen=True)
class Site:
    code: str
    org: str
    name: str
    postcode: str
    site_area_ha: float
    gia_m2: float
    opened: date | None = None  # sites that open within the demo's years


SITES = [
    Site("RXK01", "RXK", "Sandwell General Hospital", "B71 4HJ", 14.6, 68_000),
    Site("RXK02", "RXK", "City Hospital", "B18 7QH", 12.9, 81_000),
    Site("RXK03", "RXK", "Rowley Regis Hospital", "B65 8DA", 3.4, 9_800),
    Site("RXK04", "RXK", "Midland Metropolitan University Hospital", "B66 2QT", 7.3, 86_000,
         opened=date(2024, 10, 1)),
    Site("RNA01", "RNA", "Russells Hall Hospital", "DY1 2HQ", 16.2, 92_000),
    Site("RNA02", "RNA", "Guest Outpatient Centre", "DY1 4SE", 1.7, 6_400),
    Site("RBK01", "RBK", "Walsall Manor Hospital", "WS2 9PS", 11.8, 78_000),
    Site("RL401", "RL4", "New Cross Hospital", "WV10 0QP", 27.5, 142_000),
    Site("RL402", "RL4", "West Park Hospital", "WV1 4PW", 4.1, 11_500),
    Site("RL403", "RL4", "Cannock Chase Hospital", "WS11 5XY", 9.6, 24_000),
    Site("TAJ01", "TAJ", "Penn Hospital", "WV4 5HN", 5.2, 9_200),
    Site("TAJ02", "TAJ", "Hallam Street Hospital", "B71 4NH", 2.3, 5_600),
    Site("TAJ03", "TAJ", "Bushey Fields Hospital", "DY1 2LZ", 4.4, 8_300),
    Site("TAJ04", "TAJ", "Dorothy Pattison Hospital", "WS2 9XH", 2.0, 4_900),
    Site("TAJ05", "TAJ", "Trust headquarters, Delta Point", "B70 9PL", 0.6, 3_400),
]


@dataclass(frozen=True)
class Category:
    name: str
    is_influenceable: bool
    localness: float  # share of this category a local supply base could take in 2014/15
    typical_contract_gbp: float  # typical annual value of one large supplier
    order_based: bool  # many small orders (catalogue lines) rather than monthly invoices
    weight: float  # share of an acute trust's large-supplier spend
    description: str


CATEGORIES = [
    Category("Clinical consumables (NHS Supply Chain)", False, 0.0, 0, True, 0.150,
             "Catalogue orders through the national NHS Supply Chain framework."),
    Category("Drugs and medicines (national contracts)", False, 0.0, 3.0e6, True, 0.130,
             "Medicines bought on nationally negotiated contracts."),
    Category("Healthcare services from NHS bodies", False, 0.0, 1.2e6, False, 0.070,
             "Payments to other NHS bodies for services and staff."),
    Category("Energy and utilities (national framework)", False, 0.0, 1.5e6, False, 0.045,
             "Gas, electricity and water bought through national frameworks."),
    Category("PFI unitary charge", False, 0.0, 0, False, 0.0,
             "Charges under a private finance initiative contract."),
    Category("Medical and surgical equipment", True, 0.06, 600e3, False, 0.095,
             "Equipment and devices bought outside the national catalogue."),
    Category("Agency and locum staffing", True, 0.30, 500e3, False, 0.075,
             "Temporary clinical and non-clinical staff from agencies."),
    Category("Estates maintenance and construction", True, 0.58, 450e3, False, 0.085,
             "Building works, repairs, mechanical and electrical maintenance."),
    Category("Cleaning, portering and security", True, 0.50, 400e3, False, 0.045,
             "Soft facilities management services."),
    Category("Catering and food", True, 0.42, 300e3, False, 0.035,
             "Food, drink and catering services for patients, staff and visitors."),
    Category("IT, digital and telecoms", True, 0.14, 500e3, False, 0.060,
             "Hardware, software, licences and telecoms."),
    Category("Professional and consultancy services", True, 0.30, 250e3, False, 0.035,
             "Legal, audit, advisory and consultancy services."),
    Category("Transport, couriers and taxis", True, 0.52, 200e3, False, 0.020,
             "Patient transport, couriers and taxis."),
    Category("Laundry and linen", True, 0.40, 300e3, False, 0.015,
             "Laundry services and linen hire."),
    Category("Grounds, gardening and waste", True, 0.55, 200e3, False, 0.015,
             "Grounds maintenance, gardening and waste collection."),
    Category("Printing, stationery and office supplies", True, 0.45, 150e3, True, 0.010,
             "Printing, stationery and office consumables."),
    Category("Training and education", True, 0.45, 150e3, False, 0.008,
             "Courses, apprenticeships and training providers."),
    Category("Furniture, fittings and equipment", True, 0.30, 200e3, False, 0.007,
             "Furniture and non-medical equipment."),
    Category("Community and voluntary sector services", True, 0.80, 150e3, False, 0.005,
             "Services commissioned from charities and social enterprises."),
]

# Where suppliers are based. "wm" is the rest of the West Midlands; "national" the rest of GB.
SUPPLIER_CLASSES = [SANDWELL, BIRMINGHAM, DUDLEY, WALSALL, WOLVERHAMPTON, "wm", "national"]
SUPPLIER_POOL_SIZE = {
    SANDWELL: 520,
    BIRMINGHAM: 1250,
    DUDLEY: 470,
    WALSALL: 420,
    WOLVERHAMPTON: 430,
    "wm": 850,
    "national": 2350,
}
WEST_MIDLANDS_LADS = (
    "E08000029",  # Solihull
    "E08000026",  # Coventry
    "E07000192",  # Cannock Chase
    "E07000196",  # South Staffordshire
    "E07000194",  # Lichfield
    "E07000234",  # Bromsgrove
    "E07000239",  # Wyre Forest
    "E06000020",  # Telford and Wrekin
    "E06000021",  # Stoke-on-Trent
    "E07000199",  # Tamworth
    "E07000222",  # Warwick
)
NATIONAL_LADS = (
    "E09000033",  # Westminster
    "E09000001",  # City of London
    "E09000028",  # Southwark
    "E09000019",  # Islington
    "E08000003",  # Manchester
    "E08000035",  # Leeds
    "E06000023",  # Bristol
    "E06000018",  # Nottingham
    "E07000032",  # Amber Valley
    "E06000042",  # Milton Keynes
    "E06000038",  # Reading
    "E08000012",  # Liverpool
    "E08000021",  # Newcastle upon Tyne
    "E06000016",  # Leicester
    "E07000178",  # Oxford
    "E07000008",  # Cambridge
    "E06000030",  # Swindon
    "E08000019",  # Sheffield
    "W06000015",  # Cardiff
    "S12000049",  # Glasgow City
)

# Named public bodies and national suppliers: (name, postcode, category, class)
PUBLIC_BODIES = [
    ("NHS Supply Chain", "DE55 4QJ", "Clinical consumables (NHS Supply Chain)", "national"),
    ("University Hospitals Birmingham NHS Foundation Trust", "B15 2TH",
     "Healthcare services from NHS bodies", BIRMINGHAM),
    ("Birmingham Community Healthcare NHS Foundation Trust", "B7 4BN",
     "Healthcare services from NHS bodies", BIRMINGHAM),
    ("Birmingham Women's and Children's NHS Foundation Trust", "B4 6NH",
     "Healthcare services from NHS bodies", BIRMINGHAM),
    ("West Midlands Ambulance Service University NHS Foundation Trust", "DY5 1LX",
     "Healthcare services from NHS bodies", DUDLEY),
    ("NHS Blood and Transplant", "BS34 7QH", "Healthcare services from NHS bodies", "national"),
    ("NHS Property Services Ltd", "SW1H 0EU", "Healthcare services from NHS bodies", "national"),
    ("NHS Business Services Authority", "NE15 8NY", "Healthcare services from NHS bodies",
     "national"),
]

# The local commitment RXK made after the CLES study: raise the local share by 10%.
COMMITMENTS = [
    # org, baseline first quarter, baseline last quarter, kind, amount, target quarter,
    # where it was made
    ("RXK", date(2014, 4, 1), date(2015, 1, 1), "relative_pct", 10.0, date(2018, 1, 1),
     "the trust's local purchasing pledge after the CLES study (demo)"),
]

# RXK 2014/15, suppliers paid over £100k in the year: the CLES study's figures.
RXK_2014_LARGE_TOTAL_GBP = 89.0e6
RXK_2014_LARGE_SHARES = {
    SANDWELL: 0.019,
    BIRMINGHAM: 0.143,
    DUDLEY: 0.011,
    WALSALL: 0.008,
    WOLVERHAMPTON: 0.013,
    "wm": 0.094,
    "national": 0.712,
}

STAFF_GROUPS = [
    # group, share of headcount, bands, commuting scale in km
    ("Nursing and midwifery registered", 0.28, ("Band 5", "Band 6", "Band 7", "Band 8a"), 9.0),
    ("Additional clinical services", 0.20, ("Band 2", "Band 3", "Band 4"), 5.0),
    ("Medical and dental", 0.12, ("Medical",), 18.0),
    ("Allied health professionals", 0.07, ("Band 5", "Band 6", "Band 7", "Band 8a"), 11.0),
    ("Scientific, therapeutic and technical", 0.07, ("Band 5", "Band 6", "Band 7"), 11.0),
    ("Administrative and clerical", 0.20, ("Band 2", "Band 3", "Band 4", "Band 5", "Band 6",
                                           "Band 7", "Band 8b", "Band 8c"), 7.0),
    ("Estates and ancillary", 0.06, ("Band 1", "Band 2", "Band 3"), 4.5),
]

# Full-time annual pay in 2014/15 by Agenda for Change band (mid-point, rounded).
BAND_PAY_2014 = {
    "Band 1": 14_300, "Band 2": 15_600, "Band 3": 17_400, "Band 4": 20_000,
    "Band 5": 24_500, "Band 6": 30_800, "Band 7": 37_100, "Band 8a": 44_100,
    "Band 8b": 52_000, "Band 8c": 62_000, "Medical": 72_000,
}
