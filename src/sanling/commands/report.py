"""sanling report: bulletin, sweep, monthly, grading and annual reports (报表)."""

import typer

from sanling.commands.reports import annual, bulletin, grading, monthly, sweep

app = typer.Typer(no_args_is_help=True)

for _module in (bulletin, sweep, monthly, grading, annual):
    _module.register(app)
