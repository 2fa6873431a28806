"""Plain, typed pipeline steps; flows wire them, the CLI calls them directly."""

EXTRACTOR_VERSION = "0.2.0"
