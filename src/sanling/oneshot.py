"""Garbage collection for a process that runs one command and ends (the `sanling` program).

Python's cyclic collector, run over and over on the objects that importing SQLAlchemy,
Pydantic and the models creates (all of them alive until exit), and once more at exit, was a
third of `dispute add`. cli.main switches collection off; the first engine (db.make_engine),
made once the command has imported what it needs, freezes those objects so that no
collection scans them again, and switches collection back on for the work itself, which may
be long (an import, a province's report). Tests and library callers never call `defer`, so
their collector is left alone. Kept apart from db.py: `sanling --help` must not import
SQLAlchemy.
"""

import gc

_resume_at_first_engine = False


def defer() -> None:
    """No cyclic collection until `resume` (for a one-command process)."""
    global _resume_at_first_engine
    gc.disable()
    _resume_at_first_engine = True


def resume() -> None:
    """Freeze what exists (the imported modules) and collect again, once, if deferred."""
    global _resume_at_first_engine
    if _resume_at_first_engine:
        _resume_at_first_engine = False
        gc.freeze()
        gc.enable()
