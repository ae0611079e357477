"""CSV: headers in the ledger language, one table after another (a blank line between)."""

from __future__ import annotations

import csv
import io

from sanling.i18n import header
from sanling.render import Detail, Listing, Report, cell, sections_of
from sanling.safetext import csv_cell


def _cell(value: object) -> str:
    """A cell as people read it, never a formula a spreadsheet would run."""
    return csv_cell(value, cell(value))


def _write(out: io.StringIO, part: Listing | Detail) -> None:
    w = csv.writer(out)
    if isinstance(part, Detail):
        w.writerow([header("card_item"), header("value")])
        for key, value in part.fields.items():
            w.writerow([part.heading(key), _cell(value)])
        for section in part.sections:
            out.write("\n")
            _write(out, section)
        return
    w.writerow([c.heading() for c in part.columns])
    for row in part.rows:
        w.writerow([_cell(row.get(c.key)) for c in part.columns])
    if part.totals:
        w.writerow([_cell(part.totals.get(c.key)) for c in part.columns])


def to_csv(obj: Listing | Detail | Report) -> str:
    out = io.StringIO()
    for i, part in enumerate(sections_of(obj)):
        if i:
            out.write("\n")
        _write(out, part)
    return out.getvalue()
