"""One builder per page: `build(source, filters)` reads what the page shows, through a
`Source` (anchor/measures/base.py), and returns it as a frozen view of tiles, frames, figures,
definitions and sentences. The page script renders the view; the exports and the load preview
take the same figures from the same measures. Views test with plain pytest on a warehouse
(`anchor.measures.WarehouseSource`)."""
