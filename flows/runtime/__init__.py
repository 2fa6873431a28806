"""What runs the flows: the inbox watcher, the staged-document event, task runners, the backfill's
progress bar, the Prefect-server probe. Prefect, Dask, watchdog and rich live here and in the flows,
never under tasks/ (plain functions only)."""
