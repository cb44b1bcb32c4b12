"""Streamlit-only code: the cache layer, sidebar and shared page components."""
