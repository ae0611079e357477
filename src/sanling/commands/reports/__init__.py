"""The report commands, one module per report; each adds its command to `sanling report`."""
