"""Prefect deployments of the flows (deployments/serve.py), served by `ogi serve`."""
