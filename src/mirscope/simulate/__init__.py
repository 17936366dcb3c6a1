"""mirscope.simulate (see the package README)."""
