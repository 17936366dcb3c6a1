"""mirscope.sequences (see the package README)."""
