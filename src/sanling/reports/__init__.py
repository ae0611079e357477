"""Report builders, one module per report: (ledger, period) -> a typed report object.

Counting happens in SQL. Every report object offers data() (the report JSON, whose keys
docs/reports.md explains), sections() (tables for the renderers) and explain(key) (the
records behind one figure).
"""
