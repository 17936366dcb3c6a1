"""mirscope.web (see the package README)."""
