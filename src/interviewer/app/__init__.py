"""The use cases every front end shares: services, the practice session (+ summary, schedule), review and its
figures, scheduling, export. Imported by `tui/`, `cli/` and plain mode; imports only grading, store, core and
the support modules (locations, config, fsutil)."""
