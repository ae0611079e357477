"""What tests share besides fixtures: the CLI runner (`cli`) and ledgers built through the
library (`ledgers`), the way full-stack-fastapi-template keeps its factories in tests/utils/.

conftest.py holds only fixtures; a test imports what it calls from here.
"""

from tests.helpers.cli import Result, add_dispute, audit_text, dump, fail, run
from tests.helpers.env import PG_URL, TODAY

__all__ = ["PG_URL", "TODAY", "Result", "add_dispute", "audit_text", "dump", "fail", "run"]
