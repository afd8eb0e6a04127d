"""The Customizations tab: HTTP steps (list + editor) and user-defined functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.content_type import body_kind
from uptrends_studio.core.checks.diagnostics import Diagnostic
from uptrends_studio.core.checks.field_path import FUNCTIONS, STEPS, FieldPath
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    HASH_ALGORITHMS,
    HTTP_METHODS,
    JWT_ALGORITHMS,
    AlertType,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    JwtFunction,
    MappingEntry,
    MappingFunction,
    RegexFunction,
    Step,
    UserFunction,
)
from uptrends_studio.core.document.refactor import count_references, rename_references
from uptrends_studio.gui.document import IntegrationDocument

if TYPE_CHECKING:
    from uptrends_studio.gui.import_dialog import ImportRequestDialog
from uptrends_studio.gui.editor.context import EditorContext
from uptrends_studio.gui.section import FoldingSection
from uptrends_studio.gui.template_editor import TemplateEditor

TYPE_BOX_LABELS = {
    AlertType.ERROR: "Error alert",
    AlertType.OK: "OK alert",
    AlertType.REMINDER: "Reminder alert",
}
MAX_STEP_ROWS = 4
"""The step list grows to this many rows before it scrolls (the body editor comes first)."""


def step_label(step: Step, index: int) -> str:
    """List text: number, name and the ticked types (``helper`` when none)."""
    types = ", ".join(t.value for t in step.alert_types) if step.alert_types else "helper step"
    return f"{index + 1}. {step.name}    [{types}]"


class _HeaderRow(QWidget):
    """One request header: literal name, template value, remove button."""

    changed = Signal()
    remove_requested = Signal()

    def __init__(self, context: EditorContext | None) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.name.setPlaceholderText("Header name")
        self.value = TemplateEditor(context, single_line=True)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name.setMinimumWidth(150)
        layout.addWidget(self.name, 2)
        layout.addWidget(self.value, 5)
        layout.addWidget(self.remove)
        self.name.textEdited.connect(self.changed)
        self.value.text_edited.connect(self.changed)
        self.remove.clicked.connect(self.remove_requested)


class StepEditor(QWidget):
    """Edits one step. Emits the edited step; knows nothing about the document.

    Signals:
        step_edited(object, str): the new Step and a merge key for undo.
    """

    step_edited = Signal(object, str)

    def __init__(self, context: EditorContext | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._step = Step("")
        self._loading = False
        self.name = QLineEdit()
        self.type_boxes = {
            t: QCheckBox(TYPE_BOX_LABELS[t])
            for t in (AlertType.ERROR, AlertType.OK, AlertType.REMINDER)
        }
        self.type_hint = QLabel()
        self.type_hint.setStyleSheet("color: palette(mid);")
        self.method = QComboBox()
        self.method.addItems(HTTP_METHODS)
        self.url = TemplateEditor(context, single_line=True)
        self.headers_box = QVBoxLayout()
        self.headers_box.setSpacing(4)
        self.header_rows: list[_HeaderRow] = []
        self.add_header = QPushButton("Add &header")
        self.body = TemplateEditor(context)
        self.auth_type = QComboBox()
        self.auth_type.addItems([a.value for a in AuthType])
        self.username = TemplateEditor(context, single_line=True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password, or a {{@VaultItem.<guid>.Password}} reference")
        self.password_reveal = QCheckBox("Show")

        types_row = QHBoxLayout()
        for box in self.type_boxes.values():
            types_row.addWidget(box)
        types_row.addWidget(self.type_hint, 1)
        request_row = QHBoxLayout()
        request_row.addWidget(self.method)
        request_row.addWidget(self.url, 1)
        headers_widget = QVBoxLayout()
        headers_widget.addLayout(self.headers_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_header)
        add_row.addStretch(1)
        headers_widget.addLayout(add_row)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.password_reveal)
        self.auth_form = QFormLayout()
        self.auth_form.addRow("Type", self.auth_type)
        self.auth_form.addRow("Username", self.username)
        self.auth_form.addRow("Password", password_row)

        top = QFormLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addRow("Step &name", self.name)
        top.addRow("Message types", types_row)
        top.addRow("Method and URL", request_row)
        headers_body = QWidget()
        headers_body.setLayout(headers_widget)
        headers_widget.setContentsMargins(0, 0, 0, 0)
        self.headers_section = FoldingSection("Request headers", headers_body, expanded=True)
        body_label = QLabel("Request &body")
        body_label.setBuddy(self.body)
        auth_body = QWidget()
        auth_body.setLayout(self.auth_form)
        self.auth_form.setContentsMargins(0, 0, 0, 0)
        # Authentication folds to one line while it is not used (most webhooks need none).
        self.auth_section = FoldingSection("Authentication: None", auth_body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.headers_section)
        layout.addWidget(body_label)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.auth_section)

        self.name.textEdited.connect(lambda _: self._emit("name"))
        for box in self.type_boxes.values():
            box.toggled.connect(lambda _checked: self._emit("types"))
        self.method.currentIndexChanged.connect(lambda _: self._emit("method"))
        self.url.text_edited.connect(lambda _: self._emit("url"))
        self.body.text_edited.connect(lambda _: self._emit("body"))
        self.auth_type.currentIndexChanged.connect(lambda _: self._emit("auth"))
        self.username.text_edited.connect(lambda _: self._emit("username"))
        self.password.textEdited.connect(lambda _: self._emit("password"))
        self.password_reveal.toggled.connect(self._on_password_reveal_toggled)
        self.add_header.clicked.connect(self._on_add_header_clicked)

    def editors(self) -> dict[str, TemplateEditor]:
        """Template editors by field suffix (``url``, ``body``, ``headers[0].value``, ...)."""
        found = {"url": self.url, "body": self.body, "authentication.username": self.username}
        for index, row in enumerate(self.header_rows):
            found[FieldPath.header(index, "value")] = row.value
        return found

    def set_step(self, step: Step) -> None:
        """Show ``step``; editors whose text already matches are left alone (cursor kept)."""
        self._step = step
        self._loading = True
        try:
            if self.name.text() != step.name:
                self.name.setText(step.name)
            for alert_type, box in self.type_boxes.items():
                box.setChecked(alert_type in step.alert_types)
            self.type_hint.setText(
                "" if step.alert_types else "No type ticked: a helper step that runs first"
            )
            self.method.setCurrentText(step.method)
            if self.url.text() != step.url:
                self.url.set_text(step.url)
            self._sync_headers(step.headers)
            kind = body_kind(step.header("Content-Type"))
            self.body.set_content_kind(kind.value)
            if self.body.text() != step.body:
                self.body.set_text(step.body)
            self.auth_type.setCurrentText(step.authentication.type.value)
            if self.username.text() != step.authentication.username:
                self.username.set_text(step.authentication.username)
            if self.password.text() != step.authentication.password:
                self.password.setText(step.authentication.password)
            enabled = step.authentication.type is not AuthType.NONE
            self.username.setEnabled(enabled)
            self.password.setEnabled(enabled)
            self.auth_section.set_title(f"Authentication: {step.authentication.type.value}")
            if enabled:
                self.auth_section.set_expanded(True)
            count = len(step.headers)
            self.headers_section.set_title(
                f"Request headers ({count}): " + ", ".join(h.name for h in step.headers[:3])
                if count
                else "Request headers (none)"
            )
        finally:
            self._loading = False

    def _sync_headers(self, headers: Sequence[Header]) -> None:
        while len(self.header_rows) > len(headers):
            row = self.header_rows.pop()
            self.headers_box.removeWidget(row)
            row.deleteLater()
        while len(self.header_rows) < len(headers):
            row = _HeaderRow(self._context)
            index = len(self.header_rows)
            row.changed.connect(lambda i=index: self._emit(f"header{i}"))
            row.remove_requested.connect(lambda i=index: self._remove_header(i))
            self.header_rows.append(row)
            self.headers_box.addWidget(row)
        for row, header in zip(self.header_rows, headers, strict=True):
            if row.name.text() != header.name:
                row.name.setText(header.name)
            if row.value.text() != header.value:
                row.value.set_text(header.value)

    def _current(self) -> Step:
        types = tuple(t for t in ALERT_TYPES if self.type_boxes[t].isChecked())
        headers = tuple(Header(r.name.text(), r.value.text()) for r in self.header_rows)
        return Step(
            name=self.name.text(),
            alert_types=types,
            method=self.method.currentText(),
            url=self.url.text(),
            headers=headers,
            body=self.body.text(),
            authentication=Authentication(
                AuthType(self.auth_type.currentText()), self.username.text(), self.password.text()
            ),
        )

    def _emit(self, merge_key: str) -> None:
        if self._loading:
            return
        step = self._current()
        if step != self._step:
            self._step = step
            self.step_edited.emit(step, merge_key)

    def _on_add_header_clicked(self) -> None:
        step = replace(self._current(), headers=(*self._current().headers, Header("", "")))
        self.step_edited.emit(step, "")
        if self.header_rows:
            self.header_rows[-1].name.setFocus()

    def _remove_header(self, index: int) -> None:
        current = self._current()
        if 0 <= index < len(current.headers):
            headers = current.headers[:index] + current.headers[index + 1 :]
            self.step_edited.emit(replace(current, headers=headers), "")

    def _on_password_reveal_toggled(self, checked: bool) -> None:
        self.password.setEchoMode(
            QLineEdit.EchoMode.Normal if checked else QLineEdit.EchoMode.Password
        )


class FunctionEditor(QWidget):
    """Edits one user-defined function (mapping table, regex, hash with key, or JWT encode).

    Signals:
        function_edited(object, str): the new function and a merge key for undo.
    """

    function_edited = Signal(object, str)

    def __init__(self, context: EditorContext | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._function: UserFunction = MappingFunction("")
        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(["Mapping", "Regular expression", "Hash", "JSON Web Token (JWT) encode"])
        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels(["From", "To"])
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.verticalHeader().hide()
        self.add_row = QPushButton("Add row")
        self.remove_row = QPushButton("Remove row")
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText(r"e.g. ^(\w+) — the first group of the first match")
        self.try_input = QLineEdit()
        self.try_input.setPlaceholderText("Try it: type an input")
        self.try_output = QLabel()
        self.algorithm = QComboBox()
        self.algorithm.addItems(HASH_ALGORITHMS)
        self.key = TemplateEditor(context, single_line=True)
        self.jwt_algorithm = QComboBox()
        self.jwt_algorithm.addItems(JWT_ALGORITHMS)
        # The signing key is a secret: masked like a password, revealed on request.
        self.jwt_key = QLineEdit()
        self.jwt_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.jwt_key.setPlaceholderText(
            "HMAC secret or PEM private key, or {{SecretVariable}} / {{@VaultItem.<guid>.Password}}"
        )
        self.jwt_key_reveal = QCheckBox("Show")
        self.jwt_header = TemplateEditor(context, single_line=True)
        self.jwt_usage = QLabel(
            'Call it with the claims as a JSON object: {{token({"sub":"{{@alert.alertGuid}}",'
            '"iat":{{@DateTime(UNIX)}}})}}, or with a variable that holds them: '
            "{{token({{Claims}})}}."
        )
        self.jwt_usage.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Function name", self.name)
        form.addRow("Type", self.kind)
        self.mapping_box = QWidget()
        mapping_layout = QVBoxLayout(self.mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(self.mapping)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_row)
        buttons.addWidget(self.remove_row)
        buttons.addStretch(1)
        mapping_layout.addLayout(buttons)
        self.regex_box = QWidget()
        regex_form = QFormLayout(self.regex_box)
        regex_form.setContentsMargins(0, 0, 0, 0)
        regex_form.addRow("Pattern", self.pattern)
        regex_form.addRow("Test input", self.try_input)
        regex_form.addRow("Result", self.try_output)
        self.hash_box = QWidget()
        hash_form = QFormLayout(self.hash_box)
        hash_form.setContentsMargins(0, 0, 0, 0)
        hash_form.addRow("Algorithm", self.algorithm)
        hash_form.addRow("Secret key (HMAC)", self.key)
        self.jwt_box = QWidget()
        jwt_form = QFormLayout(self.jwt_box)
        jwt_form.setContentsMargins(0, 0, 0, 0)
        jwt_form.addRow("Algorithm", self.jwt_algorithm)
        key_row = QHBoxLayout()
        key_row.addWidget(self.jwt_key, 1)
        key_row.addWidget(self.jwt_key_reveal)
        jwt_form.addRow("Signing key", key_row)
        jwt_form.addRow("Extra header fields (JSON, optional)", self.jwt_header)
        jwt_form.addRow(self.jwt_usage)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.mapping_box, 1)
        layout.addWidget(self.regex_box)
        layout.addWidget(self.hash_box)
        layout.addWidget(self.jwt_box)
        layout.addStretch(0)

        self.name.editingFinished.connect(lambda: self._emit("name"))
        self.kind.currentIndexChanged.connect(lambda _: self._emit("kind"))
        self.mapping.itemChanged.connect(lambda _: self._emit("mapping"))
        self.add_row.clicked.connect(self._on_add_row_clicked)
        self.remove_row.clicked.connect(self._on_remove_row_clicked)
        self.pattern.textEdited.connect(lambda _: self._emit("pattern"))
        self.pattern.textEdited.connect(self._update_try)
        self.try_input.textEdited.connect(self._update_try)
        self.algorithm.currentIndexChanged.connect(lambda _: self._emit("algorithm"))
        self.key.text_edited.connect(lambda _: self._emit("key"))
        self.jwt_algorithm.currentIndexChanged.connect(lambda _: self._emit("algorithm"))
        self.jwt_key.textEdited.connect(lambda _: self._emit("key"))
        self.jwt_key_reveal.toggled.connect(self._on_jwt_key_reveal_toggled)
        self.jwt_header.text_edited.connect(lambda _: self._emit("header"))

    def set_function(self, function: UserFunction) -> None:
        """Show ``function``."""
        self._function = function
        self._loading = True
        try:
            if not self.name.hasFocus():
                self.name.setText(function.name)
            kind = (
                0
                if isinstance(function, MappingFunction)
                else 1
                if isinstance(function, RegexFunction)
                else 3
                if isinstance(function, JwtFunction)
                else 2
            )
            self.kind.setCurrentIndex(kind)
            self.mapping_box.setVisible(kind == 0)
            self.regex_box.setVisible(kind == 1)
            self.hash_box.setVisible(kind == 2)
            self.jwt_box.setVisible(kind == 3)
            if isinstance(function, MappingFunction):
                rows = [(e.source, e.target) for e in function.mapping]
                current = [
                    (self._cell(r, 0), self._cell(r, 1)) for r in range(self.mapping.rowCount())
                ]
                if rows != current:
                    self.mapping.setRowCount(len(rows))
                    for r, (source, target) in enumerate(rows):
                        self.mapping.setItem(r, 0, QTableWidgetItem(source))
                        self.mapping.setItem(r, 1, QTableWidgetItem(target))
            elif isinstance(function, RegexFunction):
                if self.pattern.text() != function.pattern:
                    self.pattern.setText(function.pattern)
                self._update_try()
            elif isinstance(function, JwtFunction):
                self.jwt_algorithm.setCurrentText(function.algorithm)
                if self.jwt_key.text() != function.key:
                    self.jwt_key.setText(function.key)
                if self.jwt_header.text() != function.header:
                    self.jwt_header.set_text(function.header)
            else:
                self.algorithm.setCurrentText(function.algorithm)
                if self.key.text() != function.key:
                    self.key.set_text(function.key)
                self.key.setEnabled(function.algorithm.startswith("HMAC"))
        finally:
            self._loading = False

    def _cell(self, row: int, column: int) -> str:
        item = self.mapping.item(row, column)
        return item.text() if item is not None else ""

    def _current(self) -> UserFunction:
        name = self.name.text().strip() or self._function.name
        kind = self.kind.currentIndex()
        if kind == 0:
            rows = tuple(
                MappingEntry(self._cell(r, 0), self._cell(r, 1))
                for r in range(self.mapping.rowCount())
            )
            return MappingFunction(name, rows)
        if kind == 1:
            return RegexFunction(name, self.pattern.text())
        if kind == 3:
            return JwtFunction(
                name, self.jwt_algorithm.currentText(), self.jwt_key.text(), self.jwt_header.text()
            )
        return HashFunction(name, self.algorithm.currentText(), self.key.text())

    def _emit(self, merge_key: str) -> None:
        if self._loading:
            return
        try:
            function = self._current()
        except RuntimeError:
            # The name field reports "editing finished" while the editor is being destroyed,
            # after some of its fields are gone: nothing is being edited any more.
            return
        if function != self._function:
            self._function = function
            self.function_edited.emit(function, merge_key)

    def _on_add_row_clicked(self) -> None:
        function = self._current()
        if isinstance(function, MappingFunction):
            self.function_edited.emit(
                replace(function, mapping=(*function.mapping, MappingEntry("", ""))), ""
            )

    def _on_remove_row_clicked(self) -> None:
        function = self._current()
        row = self.mapping.currentRow()
        if isinstance(function, MappingFunction) and 0 <= row < len(function.mapping):
            rows = function.mapping[:row] + function.mapping[row + 1 :]
            self.function_edited.emit(replace(function, mapping=rows), "")

    def _on_jwt_key_reveal_toggled(self, checked: bool) -> None:
        self.jwt_key.setEchoMode(
            QLineEdit.EchoMode.Normal if checked else QLineEdit.EchoMode.Password
        )

    def _update_try(self) -> None:
        from uptrends_studio.core.language.functions import FunctionError, apply_user_function

        try:
            # On the UI thread, per keystroke: a catastrophic pattern stops within 0.2 s.
            result = apply_user_function(
                RegexFunction("t", self.pattern.text()), self.try_input.text(), timeout=0.2
            )
            self.try_output.setText(f"“{result}”")
        except FunctionError as exc:
            self.try_output.setText(
                str(exc) if exc.fallback is None else f"“{exc.fallback}” — {exc}"
            )


class CustomizationsTab(QWidget):
    """Steps (list + editor) and user-defined functions, editing the document.

    Signals:
        status_message(str): something worth a status-bar message happened.
    """

    status_message = Signal(str)

    def __init__(
        self,
        document: IntegrationDocument,
        context: EditorContext | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._loading = False
        self.steps = QListWidget()
        self.steps.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.steps.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.steps.setToolTip("Drag to reorder, or Alt+Up / Alt+Down")
        self.steps.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
        self.add_step = QPushButton("Add step")
        self.duplicate_step = QAction("&Duplicate step", self)
        self.remove_step = QAction("&Remove step", self)
        self.remove_step.setShortcut(QKeySequence.StandardKey.Delete)
        self.remove_step.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.steps.addAction(self.remove_step)
        self.step_editor = StepEditor(context)
        step_scroll = QScrollArea()
        step_scroll.setWidgetResizable(True)
        step_scroll.setWidget(self.step_editor)

        self.functions = QListWidget()
        self.add_function = QPushButton("Add function")
        self.remove_function = QPushButton("Remove")
        self.function_editor = FunctionEditor(context)

        # Steps listed above the editor (as on the Uptrends screen), the buttons in one row: the
        # list is as tall as its steps (one line for one step, four at most, then it scrolls),
        # so the body editor below gets the height.
        steps_side = QWidget()
        steps_layout = QVBoxLayout(steps_side)
        steps_layout.setContentsMargins(4, 4, 4, 0)
        steps_layout.setSpacing(2)
        self.import_step = QAction("&Import from curl / HTTP request…", self)
        self.import_step.setToolTip(
            "Add a step from a curl command or a raw HTTP request (Ctrl+Shift+I)"
        )
        # One button and a menu beside the "HTTP steps" tab: the body editor keeps the room.
        self.step_menu_button = QToolButton()
        self.step_menu_button.setText("More")
        self.step_menu_button.setToolTip("Import, duplicate or remove a step")
        self.step_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        step_menu = QMenu(self.step_menu_button)
        step_menu.addActions([self.import_step, self.duplicate_step, self.remove_step])
        self.step_menu_button.setMenu(step_menu)
        # The step buttons sit beside the "HTTP steps" tab (its corner): no row of their own.
        self.step_buttons = QWidget()
        step_buttons = QHBoxLayout(self.step_buttons)
        step_buttons.setContentsMargins(0, 0, 4, 0)
        step_buttons.setSpacing(4)
        step_buttons.addWidget(self.add_step)
        step_buttons.addWidget(self.step_menu_button)
        steps_layout.addWidget(self.steps)
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        steps_split = QWidget()
        split_layout = QVBoxLayout(steps_split)
        split_layout.setContentsMargins(0, 0, 0, 0)
        split_layout.setSpacing(0)
        split_layout.addWidget(steps_side)
        split_layout.addWidget(step_scroll, 1)
        step_scroll.setFrameShape(QFrame.Shape.NoFrame)

        functions_side = QWidget()
        functions_layout = QVBoxLayout(functions_side)
        functions_layout.setContentsMargins(0, 0, 0, 0)
        functions_hint = QLabel("User defined functions — call as {{name({{var}})}}")
        functions_hint.setWordWrap(True)
        functions_layout.addWidget(functions_hint)
        functions_layout.addWidget(self.functions, 1)
        function_buttons = QHBoxLayout()
        function_buttons.addWidget(self.add_function)
        function_buttons.addWidget(self.remove_function)
        functions_layout.addLayout(function_buttons)
        functions_split = QSplitter(Qt.Orientation.Horizontal)
        functions_split.addWidget(functions_side)
        functions_split.addWidget(self.function_editor)
        functions_split.setStretchFactor(1, 1)
        functions_split.setSizes([220, 700])

        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(steps_split, "HTTP steps")
        self.sections.addTab(functions_split, "User defined functions")
        self.sections.setCornerWidget(self.step_buttons, Qt.Corner.TopRightCorner)
        self.sections.currentChanged.connect(lambda index: self.step_buttons.setVisible(index == 0))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections)

        self.steps.currentRowChanged.connect(self._on_steps_current_row_changed)
        self.steps.model().rowsMoved.connect(self._on_steps_rows_moved)
        self.add_step.clicked.connect(self.add_new_step)
        self.import_step.triggered.connect(self.import_request)
        self.duplicate_step.triggered.connect(self.duplicate_current_step)
        self.remove_step.triggered.connect(self.remove_current_step)
        self.step_editor.step_edited.connect(self._on_step_editor_step_edited)
        self.functions.currentRowChanged.connect(self._on_functions_current_row_changed)
        self.add_function.clicked.connect(self.add_new_function)
        self.remove_function.clicked.connect(self.remove_current_function)
        self.function_editor.function_edited.connect(self._on_function_editor_function_edited)
        up = QShortcut(QKeySequence("Alt+Up"), self.steps)
        up.activated.connect(lambda: self.move_current_step(-1))
        down = QShortcut(QKeySequence("Alt+Down"), self.steps)
        down.activated.connect(lambda: self.move_current_step(1))
        document.changed.connect(self.refresh)
        self.refresh()

    # -- document -> widgets ------------------------------------------------------------------

    def set_compact(self, compact: bool) -> None:
        """Fold the request headers (presentation mode): the body editor gets their lines."""
        self.step_editor.headers_section.set_expanded(not compact)

    def _fit_step_list(self) -> None:
        """As tall as the steps: one line for one step, up to four, then the list scrolls."""
        rows = min(max(self.steps.count(), 1), MAX_STEP_ROWS)
        row_height = max(self.steps.sizeHintForRow(0), self.steps.fontMetrics().height() + 4)
        frame = 2 * self.steps.frameWidth()
        self.steps.setFixedHeight(rows * row_height + frame)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_step_list()

    def refresh(self) -> None:
        """Show the document's steps and functions, keeping the selection."""
        integration = self._document.integration
        self._loading = True
        try:
            self._fill_list(self.steps, [step_label(s, i) for i, s in enumerate(integration.steps)])
            self._fill_list(self.functions, [f"{f.name}()" for f in integration.functions])
            self._fit_step_list()
            predefined = [v.name for v in integration.variables]
            functions = [f.name for f in integration.functions]
            for editor in (
                *self.step_editor.editors().values(),
                self.function_editor.key,
                self.function_editor.jwt_header,
            ):
                editor.set_names(predefined, functions)
            row = self.steps.currentRow()
            has_step = 0 <= row < len(integration.steps)
            self.step_editor.setEnabled(has_step)
            self.duplicate_step.setEnabled(has_step)
            self.remove_step.setEnabled(has_step)
            if has_step:
                self.step_editor.set_step(integration.steps[row])
            frow = self.functions.currentRow()
            has_function = 0 <= frow < len(integration.functions)
            self.function_editor.setEnabled(has_function)
            self.remove_function.setEnabled(has_function)
            if has_function:
                self.function_editor.set_function(integration.functions[frow])
        finally:
            self._loading = False

    @staticmethod
    def _fill_list(widget: QListWidget, labels: list[str]) -> None:
        row = widget.currentRow()
        if [widget.item(i).text() for i in range(widget.count())] != labels:
            widget.clear()
            for label in labels:
                widget.addItem(QListWidgetItem(label))
        if labels:
            widget.setCurrentRow(min(max(row, 0), len(labels) - 1))

    def current_step(self) -> int:
        """Index of the step shown in the editor, or -1."""
        return self.steps.currentRow()

    def editor_for(self, field: FieldPath) -> TemplateEditor | None:
        """Select the step or function of ``field`` and return its editor (``None``: no editor)."""
        index, rest = field.item_index, str(field.rest)
        if index is None or field.section not in (STEPS, FUNCTIONS):
            return None
        if field.section == STEPS:
            self.sections.setCurrentIndex(0)
            self.steps.setCurrentRow(index)
            return self.step_editor.editors().get(rest)
        self.sections.setCurrentIndex(1)
        self.functions.setCurrentRow(index)
        if rest == "header":
            return self.function_editor.jwt_header
        return self.function_editor.key if rest == "key" else None

    def show_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Underline each diagnostic in the editor of its field (current step and function)."""
        step = self.steps.currentRow()
        by_place: dict[tuple[FieldPath, str], list[Diagnostic]] = {}
        for diagnostic in diagnostics:
            place = (diagnostic.field.item, str(diagnostic.field.rest))
            by_place.setdefault(place, []).append(diagnostic)
        for suffix, editor in self.step_editor.editors().items():
            editor.set_diagnostics(by_place.get((FieldPath.step(step), suffix), []))
        function = FieldPath.function(self.functions.currentRow())
        self.function_editor.key.set_diagnostics(by_place.get((function, "key"), []))
        self.function_editor.jwt_header.set_diagnostics(by_place.get((function, "header"), []))

    # -- widgets -> document ------------------------------------------------------------------

    def _replace_steps(
        self,
        steps: Sequence[Step],
        label: str,
        merge_key: str | None = None,
        select: int | None = None,
    ) -> None:
        self._document.apply(
            replace(self._document.integration, steps=tuple(steps)), label, merge_key
        )
        if select is not None:
            self.steps.setCurrentRow(select)

    def _on_steps_current_row_changed(self, _row: int) -> None:
        if not self._loading:
            self.refresh()

    def _on_step_editor_step_edited(self, step: object, merge_key: str) -> None:
        assert isinstance(step, Step)
        row = self.steps.currentRow()
        steps = list(self._document.integration.steps)
        if not 0 <= row < len(steps):
            return
        steps[row] = step
        key = f"steps[{row}].{merge_key}" if merge_key else None
        self._replace_steps(steps, f"Edit step {step.name}", key)

    def import_request(self) -> ImportRequestDialog:
        """Ask for a curl command or raw HTTP request and append it as a step."""
        from uptrends_studio.gui.import_dialog import ImportRequestDialog  # first use (start-up)

        integration = self._document.integration
        taken = {t for s in integration.steps for t in s.alert_types}
        row = self.steps.currentRow()
        dialog = ImportRequestDialog(
            self,
            free_types=tuple(t for t in ALERT_TYPES if t not in taken),
            selected_step=integration.steps[row] if 0 <= row < len(integration.steps) else None,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_import_dialog_accepted(dialog))
        dialog.open()
        return dialog

    def _on_import_dialog_accepted(self, dialog: ImportRequestDialog) -> None:
        step = dialog.step()
        if step is None:
            return
        integration = self._document.integration
        # The types the user ticked in the dialog (by default the ones no step sends yet).
        step = replace(step, alert_types=dialog.alert_types())
        row = self.steps.currentRow()
        if dialog.replaces_selected() and 0 <= row < len(integration.steps):
            steps = tuple(step if i == row else s for i, s in enumerate(integration.steps))
            self._replace_steps(steps, f"Replace step {row + 1} by import", select=row)
            self.status_message.emit(f"Replaced step {row + 1} with {step.method} {step.url}")
            return
        steps = (*integration.steps, step)
        self._replace_steps(steps, f"Import step {step.name}", select=len(steps) - 1)
        types = ", ".join(t.value for t in step.alert_types) or "helper step, runs first"
        self.status_message.emit(
            f"Imported {step.method} {step.url} as step {len(steps)} ({types})"
        )

    def add_new_step(self) -> None:
        """Append a step (no type ticked if every type is already taken)."""
        integration = self._document.integration
        taken = {t for s in integration.steps for t in s.alert_types}
        free = tuple(t for t in ALERT_TYPES if t not in taken)
        template = integration.steps[-1] if integration.steps else None
        step = Step(
            name=f"Step {len(integration.steps) + 1}",
            alert_types=free,
            method="POST",
            url=template.url if template else "{{ApiUrl}}",
            headers=template.headers if template else (Header("Content-Type", "application/json"),),
            body="",
        )
        steps = (*integration.steps, step)
        self._replace_steps(steps, "Add step", select=len(steps) - 1)

    def duplicate_current_step(self) -> None:
        """Copy the selected step below it (with no type ticked, so coverage stays valid)."""
        row = self.steps.currentRow()
        steps = list(self._document.integration.steps)
        if not 0 <= row < len(steps):
            return
        copy = replace(steps[row], name=f"{steps[row].name} (copy)", alert_types=())
        steps.insert(row + 1, copy)
        self._replace_steps(steps, "Duplicate step", select=row + 1)

    def remove_current_step(self) -> None:
        """Remove the selected step (undoable)."""
        row = self.steps.currentRow()
        steps = list(self._document.integration.steps)
        if not 0 <= row < len(steps):
            return
        name = steps.pop(row).name
        self._replace_steps(steps, f"Remove step {name}", select=min(row, len(steps) - 1))

    def move_current_step(self, delta: int) -> None:
        """Move the selected step up (-1) or down (+1)."""
        row = self.steps.currentRow()
        steps = list(self._document.integration.steps)
        target = row + delta
        if not (0 <= row < len(steps) and 0 <= target < len(steps)):
            return
        steps[row], steps[target] = steps[target], steps[row]
        self._replace_steps(steps, "Move step", select=target)

    def _on_steps_rows_moved(self) -> None:
        # A drag in the list: rebuild the order from the labels' leading numbers.
        order = [
            int(self.steps.item(i).text().split(".", 1)[0]) - 1 for i in range(self.steps.count())
        ]
        old = self._document.integration.steps
        if sorted(order) != list(range(len(old))) or order == list(range(len(old))):
            return
        self._replace_steps(
            [old[i] for i in order], "Reorder steps", select=self.steps.currentRow()
        )

    def _on_functions_current_row_changed(self, _row: int) -> None:
        if not self._loading:
            self.refresh()

    def _on_function_editor_function_edited(self, function: object, merge_key: str) -> None:
        assert isinstance(function, MappingFunction | RegexFunction | HashFunction | JwtFunction)
        row = self.functions.currentRow()
        integration = self._document.integration
        functions = list(integration.functions)
        if not 0 <= row < len(functions):
            return
        old = functions[row]
        if function.name != old.name and any(
            f.name == function.name for i, f in enumerate(functions) if i != row
        ):
            self.status_message.emit(f"A function called '{function.name}' already exists")
            self.function_editor.set_function(old)
            return
        functions[row] = function
        updated = replace(integration, functions=tuple(functions))
        if function.name != old.name and count_references(integration, old.name, call=True):
            updated = rename_references(updated, old.name, function.name, call=True)
        key = f"functions[{row}].{merge_key}" if merge_key else None
        self._document.apply(updated, f"Edit function {function.name}", key)

    def add_new_function(self) -> None:
        """Append a mapping function."""
        integration = self._document.integration
        names = {f.name for f in integration.functions}
        name, number = "map", 1
        while name in names:
            number += 1
            name = f"map{number}"
        function = MappingFunction(
            name, (MappingEntry("Alert", "critical"), MappingEntry("Ok", "resolved"))
        )
        functions = (*integration.functions, function)
        self._document.apply(replace(integration, functions=functions), "Add function")
        self.functions.setCurrentRow(len(functions) - 1)

    def remove_current_function(self) -> None:
        """Remove the selected function (undoable)."""
        row = self.functions.currentRow()
        integration = self._document.integration
        if not 0 <= row < len(integration.functions):
            return
        functions = integration.functions[:row] + integration.functions[row + 1 :]
        self._document.apply(replace(integration, functions=functions), "Remove function")
