"""mirscope.network (see the package README)."""
