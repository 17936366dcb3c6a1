"""Revisions of the knowledge-base schema, one module each (``NNNN_what.py``)."""
