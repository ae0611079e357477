"""sanling report: bulletin, sweep, monthly, grading and annual reports (报表).

Each report is a module of commands/reports/ holding a function of the same name (its
options); adding a report is that file and its name here.
"""

from importlib import import_module

from sanling.commands.options import command_group

REPORTS = ("bulletin", "sweep", "monthly", "grading", "annual", "compliance", "appraisal")

app = command_group()

for _name in REPORTS:
    app.command(_name)(getattr(import_module(f"sanling.commands.reports.{_name}"), _name))
