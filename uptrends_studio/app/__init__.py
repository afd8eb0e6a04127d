"""The application layer: what the Studio does, without Qt (house style, section 2).

``core`` ← ``app`` ← ``gui`` / ``cli``. This package imports the core only; the window and the
command line are thin clients of it, so a test run (masking, labels, history) and the choice of
proxy are written once. See ``docs/architecture.md``.
"""
