"""Exports: request snippets, the handover sheet and the Uptrends checklist."""
