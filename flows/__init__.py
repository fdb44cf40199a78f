"""Prefect flows and I/O: discovery, the warehouse, orchestration and the `bulletins` command."""
