"""sanling: a command-line ledger for the township 三零 creation campaign."""

__version__ = "0.1.0"
