"""Uptrends Studio: design, preview and test Uptrends custom integrations offline."""

__version__ = "0.1.0"
