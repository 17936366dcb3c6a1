"""mirscope.clinical (see the package README)."""
