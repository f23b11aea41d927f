"""The `interviewer` command line: `main.py` is the entry point, `commands/` one module per command group,
`context.py` the CLI's layer of the config and the services it builds."""
