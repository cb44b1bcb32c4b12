"""Check a file before anything is written: every problem with its file, row, column and value.

`check` turns a `RawFile` into a `CheckedFile`: the rows exactly as they would be written,
the slices (organisation and quarter) they replace, and the report. Errors block the load;
warnings (a new supplier, an unknown postcode) are shown and do not. Every check works on
whole columns (see `anchor.loading.parse`); the warehouse is only read, for organisations,
footprints, sites, suppliers, categories, postcodes, LSOAs and local authorities.

The package: `check` (one file, and several at once), `common` (the report, the file
checked, the bounds, the reference data), `cells` (checks of one column), `slices` (what a
load replaces), and one module for each table: `spend`, `workforce`, `estate`, `supplier`,
`organisation`, `site`.
"""

from anchor.loading.validation.cells import CODE_PATTERN
from anchor.loading.validation.check import FORMULA_PROBLEM, SKIPPED, check, check_many, combine
from anchor.loading.validation.common import (
    EARLIEST_DATE,
    EARLIEST_QUARTER,
    ISSUE_COLUMNS,
    LARGEST,
    MAX_ROWS_PER_PROBLEM,
    PLACEABLE_POSTCODES_SQL,
    CheckedFile,
    Issues,
    Progress,
    Reference,
    first_problem,
    no_progress,
    ordered,
    plural,
    reference,
)
from anchor.loading.validation.organisation import NO_HOME_KM
from anchor.loading.validation.slices import MONTH_OF_PAYMENT, SHRINK_WARNING, SLICED_KINDS
from anchor.loading.validation.spend import MAX_SPELLINGS

__all__ = [
    "CODE_PATTERN", "EARLIEST_DATE", "EARLIEST_QUARTER", "FORMULA_PROBLEM", "ISSUE_COLUMNS",
    "LARGEST", "MAX_ROWS_PER_PROBLEM", "MAX_SPELLINGS", "MONTH_OF_PAYMENT", "NO_HOME_KM",
    "PLACEABLE_POSTCODES_SQL", "SHRINK_WARNING", "SKIPPED", "SLICED_KINDS", "CheckedFile",
    "Issues", "Progress", "Reference", "check", "check_many", "combine", "first_problem",
    "no_progress", "ordered", "plural", "reference",
]
