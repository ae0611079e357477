"""sanling report: bulletin, sweep, monthly, grading and annual reports (报表)."""

from sanling.commands.options import command_group
from sanling.commands.reports import annual, bulletin, grading, monthly, sweep

app = command_group()

for _module in (bulletin, sweep, monthly, grading, annual):
    _module.register(app)
