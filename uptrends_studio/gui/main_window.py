"""The Studio window: menus, actions, the Uptrends-flow tabs, preview, sample and problems docks.

It wires collaborators together and handles files; the editing logic lives in the tabs and the
rendering in the core.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.field_path import (
    FUNCTIONS,
    STEPS,
    VARIABLES,
    FieldPath,
)
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.integration_file import LoadedIntegration
from uptrends_studio.core.document.jsonfile import write_text_atomic
from uptrends_studio.core.document.model import AlertType, Header, Integration, Step, Variable
from uptrends_studio.core.document.sample_files import load_sample_with_secrets
from uptrends_studio.core.document.samples import SUFFIX as SAMPLE_SUFFIX
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.core.secret_store import (
    FALLBACK_MESSAGE,
    LazyStore,
    SecretOrigin,
    SecretStore,
    SlotKind,
    integration_slots,
    keep_in_dotenv,
    store_warning,
)
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.editor_context import StudioEditorContext
from uptrends_studio.gui.first_paint import PaintWatch
from uptrends_studio.gui.models import DiagnosticsModel
from uptrends_studio.gui.preview_controller import DEBOUNCE_MS, PreviewController
from uptrends_studio.gui.preview_pane import PreviewPane
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.secrets_banner import SecretsBanner
from uptrends_studio.gui.settings import Settings
from uptrends_studio.gui.staged import LazyPage, StagedStart
from uptrends_studio.gui.theme import THEMES, apply_theme
from uptrends_studio.paths import resource_path

if TYPE_CHECKING:
    from uptrends_studio.app.workspace import Workspace
    from uptrends_studio.gui.checklist_view import ChecklistDialog
    from uptrends_studio.gui.customizations_tab import CustomizationsTab
    from uptrends_studio.gui.gallery_dialog import GalleryDialog
    from uptrends_studio.gui.message_types_tab import MessageTypesTab
    from uptrends_studio.gui.sample_panel import SamplePanel
    from uptrends_studio.gui.test_tab import TestTab
    from uptrends_studio.gui.uptrends_dialog import UptrendsDialog
    from uptrends_studio.gui.variables_tab import VariablesTab

PRESENTATION_SCALE = 1.5
ROOMY_HEIGHT = 900
"""Below this window height the Problems dock starts hidden behind its status-bar badge."""
ROOMY_WIDTH = 1500
"""Below this window width the sample dock starts narrow."""
PROBLEMS_HEIGHT = 110
SAMPLE_DOCK_WIDTH = 360
SAMPLE_DOCK_NARROW = 300
FIRST_PREVIEW_WAIT_MS = 250
"""How long a new window waits for its first preview before it is shown without it."""
STAGED_START_LATEST_MS = 1000
"""The staged start begins at the latest this long after the window is shown."""
TAB_MAIN, TAB_CUSTOMIZATIONS, TAB_MESSAGE_TYPES, TAB_TEST = range(4)
TAB_LABELS = ("Main && predefined variables", "Customizations", "Message types", "Test")
FILE_FILTER = "Uptrends integrations (*.integration.json);;JSON files (*.json);;All files (*)"
DEMO_PATH = resource_path("demo.integration.json")


def blank_integration() -> Integration:
    """A new integration as Uptrends creates it: ApiUrl and one step for every type."""
    return Integration(
        name="New integration",
        variables=(
            Variable(
                "ApiUrl",
                value="http://127.0.0.1:8787/alerts",
                description="Where the alerts are posted (the Studio's local receiver).",
            ),
        ),
        steps=(
            Step(
                "Send alert",
                body='{\n  "type": "{{@alert.type}}",\n  "monitor": '
                '"{{@JsonEncode({{@monitor.name}})}}",\n  "description": '
                '"{{@JsonEncode({{@alert.description}})}}",\n  "incident": '
                '"{{@incident.key}}"\n}',
                headers=(Header("Content-Type", "application/json"),),
            ),
        ),
    )


class MainWindow(QMainWindow):
    """The Uptrends Studio main window."""

    def __init__(
        self,
        document: IntegrationDocument,
        samples: SampleState,
        catalogue: Catalogue,
        settings: Settings,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        history_root: Path | None = None,
        secret_store: SecretStore | None = None,
    ) -> None:
        super().__init__()
        self.secret_store: SecretStore = secret_store or LazyStore()
        """Where secret values live (the OS keyring, or memory when there is none)."""
        self._store_warned = False
        self.document = document
        self.samples = samples
        self.catalogue = catalogue
        self.settings = settings
        self.setAcceptDrops(True)
        self._docks_before: list[QDockWidget] = []
        self._checklist: ChecklistDialog | None = None
        self.setMinimumSize(QSize(900, 560))

        self._history_root = history_root
        self._workspace: Workspace | None = None
        self.staged = StagedStart(self)
        """What the window builds after its first preview is painted (see ``gui/staged``)."""

        self.context = StudioEditorContext(document, samples, catalogue)
        # The tabs are built when first shown or asked for, and at the latest right after the
        # first preview is painted: before it, only the tab on screen and the preview exist.
        self._pages = (
            LazyPage(self._build_variables_tab),
            LazyPage(self._build_customizations_tab),
            LazyPage(self._build_message_types_tab),
            LazyPage(self._build_test_tab),
        )
        self.tabs = QTabWidget()
        for page, label in zip(self._pages, TAB_LABELS, strict=True):
            self.tabs.addTab(page, label)
        self.preview_pane = PreviewPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.preview_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # The first preview is computed on the worker while the rest of the window is built.
        self.controller = PreviewController(
            document, samples, catalogue, debounce_ms=debounce_ms, parent=self
        )
        self.controller.set_shown_types(  # all (None) while the comparison is on screen
            lambda: (
                None
                if self.tabs.currentIndex() == TAB_MESSAGE_TYPES
                else (self.preview_pane.alert_type(),)
            )
        )
        self.controller.refresh_now()
        # Above the tabs: the banner about secret values (no keyring, or missing on open).
        self.secrets_banner = SecretsBanner()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(2)
        central_layout.addWidget(self.secrets_banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._sample_page = LazyPage(self._build_sample_panel)
        # The dock keeps the width the panel needed last time, so it does not jump when the
        # panel arrives after the first paint.
        self._sample_page.setMinimumWidth(settings.reserved_width("samplePanel"))
        self.sample_dock = QDockWidget("Sample alert data", self)
        self.sample_dock.setObjectName("sampleDock")
        self.sample_dock.setWidget(self._sample_page)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.sample_dock)

        self.problems_model = DiagnosticsModel()
        self.problems = QTableView()
        self.problems.setModel(self.problems_model)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().hide()
        self.problems.setWordWrap(False)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self.status_counts = QLabel()
        self.statusBar().addPermanentWidget(self.status_counts)
        # The problems count as a badge that opens the list: it stays when the dock is hidden
        # (a short screen, presentation mode), so problems are never out of sight.
        self.problems_badge = QToolButton()
        self.problems_badge.setObjectName("problemsBadge")
        self.problems_badge.setAutoRaise(True)
        self.problems_badge.setToolTip("Show the list of problems (F8 goes to the next one)")
        self.problems_badge.clicked.connect(self.show_problems)
        self.statusBar().addPermanentWidget(self.problems_badge)

        self._build_actions()
        self._connect()
        self._restore_state()
        self._update_title()
        if settings.presentation():
            self.set_presentation_mode(True)
        self._pages[self.tabs.currentIndex()].widget()  # the tab on screen
        # The first frame shows the first preview when it is quick to compute (one paint, not
        # an empty preview and then the rendered one); a slow one arrives when it is ready.
        self.controller.wait(FIRST_PREVIEW_WAIT_MS)
        for page in (*self._pages, self._sample_page):
            self.staged.add(page.widget)
        # The rest right after the first paint, with the preview in it or (a slow first
        # preview) still to come.
        self._start_watch = PaintWatch(self.preview_pane, self.staged.begin)

    # -- the parts built on first use --------------------------------------------------------

    @property
    def workspace(self) -> Workspace:
        """The open integration, the sample sets, secrets and history, without Qt."""
        if self._workspace is None:
            from uptrends_studio.app.workspace import SampleSets, Workspace
            from uptrends_studio.core.delivery.history import default_history_dir

            root = self._history_root
            self._workspace = Workspace(
                self.document,
                self.samples,
                self.catalogue,
                history_root=root if root is not None else default_history_dir(),
                sample_sets=SampleSets(self.catalogue, store=self.secret_store, env=os.environ),
                store=self.secret_store,
            )
        return self._workspace

    @property
    def variables_tab(self) -> VariablesTab:
        """The "Main & predefined variables" tab."""
        return cast("VariablesTab", self._pages[TAB_MAIN].widget())

    @property
    def customizations_tab(self) -> CustomizationsTab:
        """The Customizations tab: steps, requests and the template editors."""
        return cast("CustomizationsTab", self._pages[TAB_CUSTOMIZATIONS].widget())

    @property
    def message_types_tab(self) -> MessageTypesTab:
        """The Message types tab: which step sends what, every type side by side."""
        return cast("MessageTypesTab", self._pages[TAB_MESSAGE_TYPES].widget())

    @property
    def test_tab(self) -> TestTab:
        """The Test tab: sends, the local receiver and the history."""
        return cast("TestTab", self._pages[TAB_TEST].widget())

    @property
    def sample_panel(self) -> SamplePanel:
        """The sample alert data in the left dock."""
        return cast("SamplePanel", self._sample_page.widget())

    def page_built(self, index: int) -> bool:
        """True once the tab at ``index`` exists (tests of the staged start)."""
        return self._pages[index].is_built()

    def show_tab(self, tab: int | QWidget) -> None:
        """Make a tab current: its index or its widget (built first if need be)."""
        if isinstance(tab, int):
            index = tab
        else:
            index = next(i for i, page in enumerate(self._pages) if page.built_widget() is tab)
        self._pages[index].widget()
        self.tabs.setCurrentIndex(index)

    def current_tab(self) -> QWidget:
        """The widget of the current tab (built if need be)."""
        return self._pages[self.tabs.currentIndex()].widget()

    def _build_variables_tab(self) -> QWidget:
        from uptrends_studio.gui.variables_tab import VariablesTab

        tab = VariablesTab(
            self.document, describe_secret=self._describe_secret, secret_store=self.secret_store
        )
        tab.status_message.connect(self._show_status)
        return tab

    def _build_customizations_tab(self) -> QWidget:
        from uptrends_studio.gui.customizations_tab import CustomizationsTab

        tab = CustomizationsTab(self.document, self.context)
        tab.status_message.connect(self._show_status)
        tab.set_compact(self.presentation_action.isChecked())
        tab.show_diagnostics(self.controller.preview.diagnostics)
        return tab

    def _build_message_types_tab(self) -> QWidget:
        from uptrends_studio.gui.message_types_tab import MessageTypesTab

        tab = MessageTypesTab()
        tab.set_reveal_secrets(self.preview_pane.reveal_secrets())
        self.preview_pane.reveal_toggled.connect(tab.set_reveal_secrets)
        tab.reveal_toggled.connect(self.preview_pane.set_reveal_secrets)
        tab.step_activated.connect(self._on_message_types_step_activated)
        return tab

    def _build_test_tab(self) -> QWidget:
        from uptrends_studio.gui.test_tab import TestTab

        tab = TestTab(self.workspace, self.document, self.samples, self.settings)
        tab.status_message.connect(self._show_status)
        tab.busy_changed.connect(self._on_test_tab_busy_changed)
        return tab

    def _build_sample_panel(self) -> QWidget:
        from uptrends_studio.gui.sample_panel import SamplePanel

        panel = SamplePanel(
            self.samples,
            self.catalogue,
            secret_store=self.secret_store,
            sample_sets=self.workspace.sample_sets,
        )
        panel.diagnostic_activated.connect(self.goto_diagnostic)
        panel.set_integration(self.document.integration)
        panel.set_preview(self.controller.preview)
        if self.document.path is not None:
            panel.set_default_folder(self.document.path.parent)
        self.settings.set_reserved_width("samplePanel", panel.minimumSizeHint().width())
        return panel

    # -- construction -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.new_action = self._action(
            "&New from demo", QKeySequence.StandardKey.New, self.new_from_demo
        )
        self.new_blank_action = self._action("New &blank", "Ctrl+Shift+N", self.new_blank)
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, self.open_dialog)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save)
        self.save_as_action = self._action(
            "Save &as…", QKeySequence.StandardKey.SaveAs, self.save_as
        )
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.new_template_action = self._action(
            "New from &template…", "Ctrl+Alt+N", self.new_from_template
        )
        for action in (
            self.new_action,
            self.new_template_action,
            self.new_blank_action,
            self.open_action,
        ):
            file_menu.insertAction(self.recent_menu.menuAction(), action)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        self.export_action = self._action(
            "&Export handover sheet…", "Ctrl+Shift+E", self.export_handover_dialog
        )
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

        edit_menu = menu.addMenu("&Edit")
        self.undo_action = self.document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.redo_action = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        edit_menu.addActions([self.undo_action, self.redo_action])

        view_menu = menu.addMenu("&View")
        self.type_actions: dict[AlertType, QAction] = {}
        for number, alert_type in enumerate(AlertType, start=1):
            action = self._action(
                f"Preview {alert_type.value}",
                f"Ctrl+{number}",
                lambda _=False, t=alert_type: self.set_alert_type(t),
            )
            action.setCheckable(True)
            self.type_actions[alert_type] = action
            view_menu.addAction(action)
        view_menu.addSeparator()
        for number, name in enumerate(("Main", "Customizations", "Message types", "Test")):
            view_menu.addAction(
                self._action(
                    f"Go to {name}",
                    f"Alt+{number + 1}",
                    lambda _=False, i=number: self.show_tab(i),
                )
            )
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = theme_menu.addAction(theme.capitalize())
            action.setCheckable(True)
            action.setChecked(theme == self.settings.theme())
            action.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
            self.theme_group.addAction(action)
            self.theme_actions[theme] = action
        self.presentation_action = self._action(
            "&Presentation mode (larger text)", "F11", self.set_presentation_mode
        )
        self.presentation_action.setCheckable(True)
        view_menu.addAction(self.presentation_action)
        view_menu.addSeparator()
        view_menu.addAction(self.sample_dock.toggleViewAction())
        view_menu.addAction(self.problems_dock.toggleViewAction())
        self.next_problem_action = self._action("Next problem", "F8", self.goto_next_problem)
        view_menu.addAction(self.next_problem_action)

        sample_menu = menu.addMenu("&Sample")
        self.from_uptrends_action = self._action("From &Uptrends…", None, self.sample_from_uptrends)
        sample_menu.addAction(self.from_uptrends_action)

        test_menu = menu.addMenu("&Test")
        self.send_action = self._action("&Send test alert", None, self.send_test_alert)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.lifecycle_action = self._action(
            "&Lifecycle run (Error, Reminders, Ok)", "Ctrl+Shift+Return", self.run_lifecycle
        )
        self.cancel_test_action = self._action("&Cancel test", None, lambda: self.test_tab.cancel())
        self.cancel_test_action.setEnabled(False)
        self.receiver_action = self._action(
            "Start/stop the local &receiver", None, lambda: self.test_tab.toggle_receiver()
        )
        test_menu.addActions([self.send_action, self.lifecycle_action, self.cancel_test_action])
        test_menu.addSeparator()
        test_menu.addAction(self.receiver_action)

        tools_menu = menu.addMenu("T&ools")
        self.import_request_action = self._action(
            "&Import step from cURL / HTTP…", "Ctrl+Shift+I", self.import_request
        )
        self.checklist_action = self._action(
            "&Copy to Uptrends…", "Ctrl+Shift+U", self.show_checklist
        )
        tools_menu.addActions([self.import_request_action, self.checklist_action])

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("&About Uptrends Studio", None, self.show_about))

    def _action(self, text: str, shortcut: object, slot: object) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey | str):
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _connect(self) -> None:
        self.document.dirty_changed.connect(self._update_title)
        self.document.path_changed.connect(self._update_title)
        self.document.changed.connect(self._update_title)  # an unsaved document shows its name
        self.document.changed.connect(self._on_document_changed)
        self.samples.changed.connect(self._on_samples_changed)
        self.controller.updated.connect(self._on_controller_updated)
        self.preview_pane.alert_type_changed.connect(self._on_preview_pane_alert_type_changed)
        self.preview_pane.reveal_toggled.connect(self._on_preview_pane_reveal_toggled)
        self.preview_pane.source_requested.connect(self.goto_source)
        self.problems.doubleClicked.connect(self._on_problems_double_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.secrets_banner.keep_in_dotenv_requested.connect(self.keep_secrets_in_dotenv)
        self.type_actions[AlertType.ERROR].setChecked(True)

    def _restore_state(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        else:
            # First start: docks at a sensible size once the window has its geometry.
            QTimer.singleShot(0, self.fit_docks_to_window)
        splitter = self.settings.splitter("main")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([600, 480])

    def fit_docks_to_window(self) -> None:
        """Dock sizes for the window's size, as on a first start (the editor gets the room)."""
        # The editor first: on a laptop screen the docks are narrow and the Problems list waits
        # behind its badge in the status bar until it is asked for.
        short = self.height() < ROOMY_HEIGHT
        if short and self.problems_model.rowCount() == 0:
            self.problems_dock.hide()
        self.resizeDocks([self.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)
        width = SAMPLE_DOCK_WIDTH if self.width() >= ROOMY_WIDTH else SAMPLE_DOCK_NARROW
        self.resizeDocks([self.sample_dock], [width], Qt.Orientation.Horizontal)

    def show_problems(self) -> None:
        """Show the Problems list (from the status-bar badge), even in presentation mode."""
        if self.problems_dock.isVisible():
            self.problems_dock.hide()
            return
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.resizeDocks([self.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)
        self.problems.setFocus()

    # -- reactions ----------------------------------------------------------------------------

    def _on_document_changed(self) -> None:
        panel = self._sample_page.built_widget()
        if panel is not None:
            cast("SamplePanel", panel).set_integration(self.document.integration)

    def _on_samples_changed(self) -> None:
        self.settings.set_last_sample(self.samples.key)

    def _on_controller_updated(self, preview: object) -> None:
        assert isinstance(preview, Preview)
        integration = self.document.integration
        sample = self.samples.sample
        self.preview_pane.set_preview(preview, integration, sample)
        # The side-by-side comparison is costly for big bodies: only while it is on screen.
        if self.tabs.currentIndex() == TAB_MESSAGE_TYPES:
            self.message_types_tab.set_preview(preview, integration, sample)
        panel = self._sample_page.built_widget()
        if panel is not None:
            cast("SamplePanel", panel).set_preview(preview)
        self.problems_model.set_diagnostics(preview.diagnostics)
        customizations = self._pages[TAB_CUSTOMIZATIONS].built_widget()
        if customizations is not None:
            cast("CustomizationsTab", customizations).show_diagnostics(preview.diagnostics)
        errors, warnings, notes = (preview.count(s) for s in Severity)
        self.status_counts.setText(
            f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning"
            f"{'s' if warnings != 1 else ''}, {notes} note{'s' if notes != 1 else ''} · "
            f"sample: {sample.name}"
        )
        self.problems_dock.setWindowTitle(f"Problems ({errors + warnings + notes})")
        total = errors + warnings + notes
        self.problems_badge.setText(
            f"⚠ {total} problem{'s' if total != 1 else ''}" if total else "No problems"
        )

    def set_presentation_mode(self, on: bool) -> None:
        """Larger text everywhere (editors, preview, tables) for a room; F11 toggles it."""
        self.presentation_action.setChecked(on)
        if on == bool(self.styleSheet()):
            return
        size = self.font().pointSizeF() * PRESENTATION_SCALE
        self.setStyleSheet(f"* {{ font-size: {size:.0f}pt; }}" if on else "")
        customizations = self._pages[TAB_CUSTOMIZATIONS].built_widget()
        if customizations is not None:
            cast("CustomizationsTab", customizations).set_compact(on)
        # Room for the editor and the preview: the docks step aside (and come back after).
        if on:
            self._docks_before = [
                d for d in (self.sample_dock, self.problems_dock) if not d.isHidden()
            ]
            for dock in self._docks_before:
                dock.hide()
        else:
            for dock in self._docks_before:
                dock.show()
            self._docks_before = []
        for widget in self.findChildren(QWidget):
            widget.updateGeometry()
        self.settings.set_presentation(on)

    def set_theme(self, theme: str) -> None:
        """Switch to a light, dark or system theme and remember it."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.settings.set_theme(theme)
        self.theme_actions[theme].setChecked(True)

    def _on_tabs_current_changed(self, index: int) -> None:
        self._pages[index].widget()  # built as it comes on screen, if the start has not yet
        # Message types and Test show every message and the response themselves: the preview
        # steps aside so they get the window's width.
        self.preview_pane.setVisible(index not in (TAB_MESSAGE_TYPES, TAB_TEST))
        if index == TAB_MESSAGE_TYPES:
            self.message_types_tab.set_preview(
                self.controller.preview, self.document.integration, self.samples.sample
            )

    def set_alert_type(self, alert_type: AlertType) -> None:
        """Show ``alert_type`` in the preview (Ctrl+1/2/3)."""
        self.preview_pane.set_alert_type(alert_type)  # emits alert_type_changed when it changes

    def _on_preview_pane_alert_type_changed(self, alert_type: object) -> None:
        assert isinstance(alert_type, AlertType)
        self.context.alert_type = alert_type
        for other, action in self.type_actions.items():
            action.setChecked(other is alert_type)

    def _on_preview_pane_reveal_toggled(self, revealed: bool) -> None:
        self.context.reveal_secrets = revealed

    def new_from_template(self) -> GalleryDialog | None:
        """Start a new, unsaved integration from a gallery template (Ctrl+Alt+N)."""
        if not self.maybe_save():
            return None
        from uptrends_studio.gui.gallery_dialog import GalleryDialog  # on first use (start-up)

        dialog = GalleryDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_gallery_accepted(dialog))
        dialog.open()
        return dialog

    def _on_gallery_accepted(self, dialog: GalleryDialog) -> None:
        integration = dialog.integration()
        if integration is not None:
            self.document.load(integration, None, dirty=True)
            self._show_status(f"New integration from the template '{integration.name}'")

    def export_handover_dialog(self) -> None:
        """Ask for a file and write the handover sheet (HTML or Markdown) there."""
        stem = _slug(self.document.integration.name).removesuffix(integration_file.SUFFIX)
        start = (self.document.path.parent if self.document.path else Path.home()) / stem
        name, chosen = QFileDialog.getSaveFileName(
            self,
            "Export handover sheet",
            str(start.with_suffix(".html")),
            "Web page (*.html);;Markdown (*.md)",
        )
        if name:
            self.export_handover(Path(name), markdown=chosen.startswith("Markdown"))

    def export_handover(self, path: Path, *, markdown: bool = False) -> bool:
        """Write the handover sheet to ``path``.

        It holds the purpose, the variables (secrets masked), the steps, the rendered requests,
        the problems and the last test results.
        """
        if markdown and path.suffix.lower() != ".md":
            path = path.with_suffix(".md")
        from uptrends_studio.core.exports.handover import handover  # on first use (start-up)

        try:
            text = handover(
                self.document.integration,
                self.samples.sample,
                self.catalogue,
                records=self.test_tab.history().latest_per_type(),
                fmt="markdown" if markdown else "html",
                source=str(self.document.path or self.document.display_name()),
            )
            write_text_atomic(path, text)
        except (StudioError, OSError) as exc:
            self._error("Cannot export the handover sheet", f"{path}: {exc}")
            return False
        self._show_status(f"Exported the handover sheet to {path}")
        return True

    def sample_from_uptrends(self) -> UptrendsDialog:
        """Sample → From Uptrends…: replay a real alert as the sample set."""
        from uptrends_studio.gui.uptrends_dialog import UptrendsDialog  # on first use

        folder = self.document.path.parent if self.document.path else None
        dialog = UptrendsDialog(self.secret_store, self, folder=folder)
        dialog.sample_imported.connect(self.sample_panel.use_sample_file)
        dialog.open()
        return dialog

    def import_request(self) -> None:
        """Show the steps and import a pasted curl command or raw HTTP request as a step."""
        self.show_tab(TAB_CUSTOMIZATIONS)
        self.customizations_tab.sections.setCurrentIndex(0)
        self.customizations_tab.import_request()

    def show_checklist(self) -> ChecklistDialog:
        """Open (or raise) the non-modal Copy to Uptrends checklist (Ctrl+Shift+U)."""
        if self._checklist is None:
            from uptrends_studio.gui.checklist_view import ChecklistDialog  # on first use

            self._checklist = ChecklistDialog(self.document, self.samples, self)
        self._checklist.show()
        self._checklist.raise_()
        self._checklist.activateWindow()
        return self._checklist

    def send_test_alert(self) -> None:
        """Show the Test tab and send the selected message type (Ctrl+Enter)."""
        self.show_tab(TAB_TEST)
        self.test_tab.send_test_alert()

    def run_lifecycle(self) -> None:
        """Show the Test tab and send Error, Reminders and Ok (Ctrl+Shift+Enter)."""
        self.show_tab(TAB_TEST)
        self.test_tab.run_lifecycle()

    def _on_test_tab_busy_changed(self, busy: bool) -> None:
        self.send_action.setEnabled(not busy)
        self.lifecycle_action.setEnabled(not busy)
        self.cancel_test_action.setEnabled(busy)

    def _on_message_types_step_activated(self, index: int) -> None:
        self.show_tab(TAB_CUSTOMIZATIONS)
        self.customizations_tab.sections.setCurrentIndex(0)
        self.customizations_tab.steps.setCurrentRow(index)

    def _on_problems_double_clicked(self, index: QModelIndex) -> None:
        self.goto_diagnostic(self.problems_model.diagnostic(index.row()))

    def goto_diagnostic(self, diagnostic: object) -> None:
        """Show the place a diagnostic is about: tab, step and editor position."""
        assert isinstance(diagnostic, Diagnostic)
        field = diagnostic.field
        if field.section in (STEPS, FUNCTIONS):
            self.show_tab(TAB_CUSTOMIZATIONS)
            editor = self.customizations_tab.editor_for(field)
            if field.leaf == "alertTypes" or field == FieldPath.STEPS:
                self.show_tab(TAB_MESSAGE_TYPES)
            elif editor is not None:
                editor.goto(diagnostic.line, diagnostic.column)
        elif field.section in (VARIABLES, FieldPath.NAME.section):
            self.show_tab(TAB_MAIN)
        self._show_status(diagnostic.message)

    def goto_source(self, step_index: int, field: str, offset: int) -> None:
        """Show the template text at ``offset`` of a step's ``field`` (a click in the preview)."""
        self.show_tab(TAB_CUSTOMIZATIONS)
        editor = self.customizations_tab.editor_for(FieldPath.step_field(step_index, field))
        if editor is not None:
            editor.goto_offset(offset)

    def goto_next_problem(self) -> None:
        """Select and show the next problem in the list (F8)."""
        count = self.problems_model.rowCount()
        if not count:
            self._show_status("No problems")
            return
        row = (self.problems.currentIndex().row() + 1) % count
        self.problems.selectRow(row)
        self.goto_diagnostic(self.problems_model.diagnostic(row))

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.display_name()}[*] — Uptrends Studio")
        self.setWindowModified(self.document.is_dirty())

    # -- files --------------------------------------------------------------------------------

    def maybe_save(self, *, with_sample: bool = False) -> bool:
        """Ask about unsaved changes; True when it is fine to continue.

        ``with_sample`` (on quit): edited sample values are part of the same question, so they
        are not lost either.
        """
        integration = self.document.is_dirty()
        sample = with_sample and self.samples.edited
        if not integration and not sample:
            return True
        what = [self.document.display_name()] if integration else []
        if sample:
            what.append(f"the sample set “{self.samples.sample.name}”")
        answer = QMessageBox.warning(
            self,
            "Unsaved changes",
            f"Save the changes to {' and '.join(what)} first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            if integration and not self.save():
                return False
            return not sample or self.sample_panel.save_edits()
        return answer == QMessageBox.StandardButton.Discard

    def new_from_demo(self) -> None:
        """Start a new, unsaved integration from the built-in demo."""
        if not self.maybe_save():
            return
        try:
            demo = integration_file.load(DEMO_PATH)
        except StudioError as exc:  # pragma: no cover - the shipped demo is tested
            self._error("Cannot open the demo", str(exc))
            return
        self.document.load(replace(demo, name="New integration"), None, dirty=True)

    def new_blank(self) -> None:
        """Start a new integration with one step (not modified until it is edited)."""
        if self.maybe_save():
            self.document.load(blank_integration(), None)

    def open_dialog(self) -> None:
        """Ask for a file and open it."""
        if not self.maybe_save():
            return
        start = str(self.document.path.parent) if self.document.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open integration", start, FILE_FILTER)
        if name:
            self.open_path(Path(name), ask=False)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        """Open an integration file; a malformed file is reported and nothing changes."""
        if ask and not self.maybe_save():
            return False
        try:
            loaded = self.load_integration(path)
        except StudioError as exc:
            self._error("Cannot open the file", str(exc))
            return False
        self.document.load(loaded.integration, path)
        self.settings.add_recent_file(path)
        self.sample_panel.set_default_folder(path.parent)
        missing = [
            f"the {s.slot.label}: set {s.slot.env_name} or enter the value"
            for s in loaded.sources
            if s.origin is SecretOrigin.MISSING
        ]
        if missing:
            self.secrets_banner.show_missing(missing)
        else:
            self.secrets_banner.hide()
        notes = [n.message for n in loaded.notes if n.message != FALLBACK_MESSAGE]
        self._show_status(f"Opened {path}" + (f" · {notes[0]}" if notes else ""))
        return True

    def _describe_secret(self, name: str) -> str:
        """Where the secret variable ``name`` gets its value (keyring, memory, environment)."""
        try:
            sources = integration_file.describe_secrets(
                self.document.integration,
                self.document.path,
                store=self.secret_store,
                env=os.environ,
            )
        except StudioError as exc:  # e.g. an unreadable .env file next to the integration
            return f"cannot tell ({exc})"
        source = next(
            (s for s in sources if s.slot.kind is SlotKind.VARIABLE and s.slot.name == name),
            None,
        )
        return source.describe() if source is not None else ""

    def load_integration(self, path: Path) -> LoadedIntegration:
        """Read an integration file with its secret values (environment, .env, keyring).

        Raises:
            StudioError: the file cannot be used (named, with the field and problem).
        """
        return integration_file.load_with_secrets(path, store=self.secret_store, env=os.environ)

    def save(self) -> bool:
        """Save to the current file (asks for one when new); True on success."""
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        start = self.document.path or Path.home() / f"{_slug(self.document.integration.name)}"
        name, _ = QFileDialog.getSaveFileName(self, "Save integration as", str(start), FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.name.endswith(integration_file.SUFFIX):
            path = path.with_name(path.name.removesuffix(".json") + integration_file.SUFFIX)
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            integration_file.save(
                self.document.integration, path, store=self.secret_store, env=os.environ
            )
        except StudioError as exc:
            self._error("Cannot save", str(exc))
            return False
        self.document.mark_saved(path)
        self.settings.add_recent_file(path)
        self.sample_panel.set_default_folder(path.parent)
        self._show_status(f"Saved {path}")
        warning = store_warning(self.secret_store)
        slots = [v for _slot, v in integration_slots(self.document.integration) if v]
        if warning and not self._store_warned and slots:
            self._store_warned = True
            # Not modal (a save never stops to ask): a banner above the tabs that stays.
            self.secrets_banner.show_no_keyring(len(slots))
        return True

    def keep_secrets_in_dotenv(self) -> bool:
        """Write the integration's secret values to the .env next to its file (no keyring)."""
        path = self.document.path
        if path is None and not self.save_as():
            return False
        path = self.document.path
        assert path is not None
        values = {
            slot.env_name: value
            for slot, value in integration_slots(self.document.integration)
            if value
        }
        try:
            written = keep_in_dotenv(path.parent, values)
        except StudioError as exc:
            self._error("Cannot keep the secrets in .env", str(exc))
            return False
        self.secrets_banner.hide()
        count = len(values)
        self._show_status(
            f"Kept {count} secret value{'s' if count != 1 else ''} in {written} "
            "(readable by you only); they are found there when the file is opened again"
        )
        return True

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        if not recent:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
            return
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list", self.settings.clear_recent_files)

    def _error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    def show_about(self) -> None:
        """The About box."""
        from uptrends_studio import __version__

        QMessageBox.about(
            self,
            "About Uptrends Studio",
            f"<b>Uptrends Studio {__version__}</b><p>Design, preview and check Uptrends custom "
            "integrations offline. Rendering rules: docs/semantics.md.</p>",
        )

    # -- drag and drop, closing ---------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(
            url.isLocalFile() and url.toLocalFile().endswith(".json")
            for url in event.mimeData().urls()
        ):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        for url in event.mimeData().urls():
            if self.open_dropped(url):
                event.acceptProposedAction()
                return

    def open_dropped(self, url: QUrl) -> bool:
        """Open a dropped integration, or switch to a dropped sample set."""
        if not url.isLocalFile():
            return False
        path = Path(url.toLocalFile())
        if path.name.endswith(SAMPLE_SUFFIX):
            try:
                sample = load_sample_with_secrets(
                    path, self.catalogue, store=self.secret_store, env=os.environ
                ).sample
            except StudioError as exc:
                self._error("Cannot use the sample file", str(exc))
                return False
            self.samples.set_sample(sample, str(path))
            return True
        return self.open_path(path)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Should the preview not be painted (a splitter closed onto it), the rest of the window
        # comes all the same.
        QTimer.singleShot(STAGED_START_LATEST_MS, self.staged.begin)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.maybe_save(with_sample=True):
            event.ignore()
            return
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.set_splitter("main", self.splitter.saveState())
        self.settings.sync()
        test_tab = self._pages[TAB_TEST].built_widget()
        if test_tab is not None:
            cast("TestTab", test_tab).shutdown()
        event.accept()


def _slug(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip().lower())
    return (cleaned.strip("-") or "integration") + integration_file.SUFFIX
