"""The parts a :class:`~uptrends_studio.gui.template_editor.TemplateEditor` is composed of.

Each part does one job and is wired up by the editor, which owns them:

- :mod:`.context`: what the editor may ask about names (:class:`EditorContext`).
- :mod:`.offsets`: Python string offsets <-> Qt positions of the editor's document.
- :mod:`.completer`: the completion popup after ``{{``.
- :mod:`.diagnostics`: wavy underlines that follow edits, and the fixes at a position.
- :mod:`.tooltips`: the tooltip of the token and diagnostics under the mouse.
- :mod:`.quick_fixes`: quick-fix menus and the context menu's fix entries.
- :mod:`.find_controller`: searching and replacing for the find bar.
- :mod:`.gutter`: the line-number gutter with severity marks.
- :mod:`.keys`: which keys the editor handles itself, and what they do.
"""
