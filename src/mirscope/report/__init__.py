"""mirscope.report (see the package README)."""
