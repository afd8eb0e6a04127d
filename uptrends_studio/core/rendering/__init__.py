"""Rendered messages: the requests each alert type sends, the live preview, diffs."""
