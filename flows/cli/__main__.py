"""`python -m flows.cli …` is `ogi …`."""

from flows.cli import main

main()
