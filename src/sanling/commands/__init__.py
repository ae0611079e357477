"""The command groups, one module per noun: parse options, call the ledger, render."""
