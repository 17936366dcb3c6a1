"""Helpers for testing code that uses mirscope (a throwaway PostgreSQL server)."""
