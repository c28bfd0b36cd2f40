"""Kawasaki SDGs dashboard: data checks, the DuckDB build, queries, figures, translations."""
