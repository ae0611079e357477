"""Import and export of ledgers as spreadsheets (导入导出台账): CSV, Excel (.xlsx) and JSON.

Kept light at the package level (the command line reads KINDS for its help); the readers,
the per-kind specs, the importer and the exporter are modules imported when a command runs.
"""

from __future__ import annotations

# The kinds of cli.md, in the order a whole ledger is best imported (subjects first, then
# sweeps, then the records that link to them).
KINDS = (
    "subjects",
    "sweeps",
    "disputes",
    "petitions",
    "backlog",
    "hazards",
    "hotspots",
    "patrols",
    "cases",
    "accidents",
    "persons",
)
