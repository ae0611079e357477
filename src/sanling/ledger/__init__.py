"""The operations on records, one module per noun; each runs inside one Ledger transaction."""
