"""Import kind `items` (DESIGN.md §5) — filled in by the catalog import work."""
