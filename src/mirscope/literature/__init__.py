"""mirscope.literature (see the package README)."""
