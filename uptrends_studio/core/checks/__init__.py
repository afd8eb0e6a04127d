"""Checks: diagnostics, the full check of an integration, body validity, target rules."""
