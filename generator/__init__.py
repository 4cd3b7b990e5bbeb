"""Improvement plan generator: load -> validate -> project -> render -> build -> publish."""
