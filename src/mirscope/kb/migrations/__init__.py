"""Alembic migrations of the knowledge-base schema (shipped with the package).

Each revision in ``versions/`` carries ``schema_version``, the integer that
``schema_info.schema_version`` holds once the revision is applied; revisions are numbered
``0001``, ``0002``... in the order they apply. Use :mod:`mirscope.kb.migrate` (or
``mirscope kb upgrade``) to run them; see ``docs/kb-postgresql.md`` for adding one.
"""
