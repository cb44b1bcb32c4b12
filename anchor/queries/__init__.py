"""Named questions of the warehouse. Each function takes a `Warehouse` first, binds every
value, and returns a DataFrame or a small dataclass. SQL lives only in this package."""
