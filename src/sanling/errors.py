"""Errors the core raises; cli.py turns each into one `error:` line and an exit code.

Every error carries a message and, where one helps, a hint. Messages are built by the caller
with i18n.t() so they follow the ledger language.
"""

from __future__ import annotations


class SanlingError(Exception):
    """A request that is wrong for the ledger: exit code 1."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # The input field the error is about (a schema or column key such as "found"), where
        # the raiser knows it: an import names that column instead of guessing from the text.
        self.field = field

    def line(self) -> str:
        text = (
            f"error: {self.message} (hint: {self.hint})" if self.hint else f"error: {self.message}"
        )
        from sanling.safetext import shown

        # User text with line breaks must not split the one line, nor move the cursor (ESC).
        return shown(" ".join(text.splitlines()))


class NotFound(SanlingError):
    """A named record, subject or town does not exist."""


class InvalidValue(SanlingError):
    """A value outside what the domain allows (a future date, a negative count...)."""


class InvalidState(SanlingError):
    """A status change the workflow does not allow (resolving a resolved dispute...)."""


class Duplicate(SanlingError):
    """A name or number that must be unique is taken."""


class LedgerMissing(SanlingError):
    """There is no ledger at the given place."""


class NeedsUpgrade(SanlingError):
    """The ledger's schema is behind (or ahead of) this version of sanling."""


class DeliveryFailed(SanlingError):
    """A report could not be delivered (webhook)."""


class UsageError(SanlingError):
    """A usage error found after parsing (a missing combination of options): exit code 2."""

    exit_code = 2
