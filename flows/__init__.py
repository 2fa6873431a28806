"""Prefect flows: each only wires the plain functions of tasks/ into runs people schedule."""
