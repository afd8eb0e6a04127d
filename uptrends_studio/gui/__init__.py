"""Everything that imports Qt (PySide6)."""
