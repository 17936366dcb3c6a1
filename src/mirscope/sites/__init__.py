"""mirscope.sites (see the package README)."""
