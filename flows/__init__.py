"""Prefect flows: each only wires the plain functions of tasks/ into runs people schedule.
flows/runtime/ is what runs them (watcher, events, task runners, progress); flows/cli/ is `ogi`."""
