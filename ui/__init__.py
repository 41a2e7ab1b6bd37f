"""Streamlit user interface: pages (one file a page) and components. No business rules."""
