"""What assistive technology reads: names, descriptions, roles and focus, read
through ``QAccessible`` in process, as a screen reader's bridge would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from ml_day.core.clock import ManualClock
from ml_day.gui.app import settings_for
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.gui.timeline.accessibility import AccessibleBlock, AccessibleTimeline
from ml_day.paths import AppPaths

FRIDAY = dt.date(2026, 11, 27)


@pytest.fixture
def window(qtbot: QtBot, paths: AppPaths, clock: ManualClock) -> Iterator[MainWindow]:
    store = PlanStore(paths)
    main = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(main)
    main.show_day(FRIDAY)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    store.open()
    yield main
    store.close()


def name_of(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return interface.text(QAccessible.Text.Name)


def description_of(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return interface.text(QAccessible.Text.Description)


def focusable_controls(root: QWidget) -> list[QWidget]:
    return [
        widget
        for widget in root.findChildren(QWidget)
        if widget.isVisibleTo(root)
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and widget.isEnabled()
        # The line edit inside a spin box or date edit speaks for its parent.
        and widget.objectName() != "qt_spinbox_lineedit"
    ]


def tab_interfaces(bar: QTabBar) -> list[QAccessibleInterface]:
    interface = QAccessible.queryAccessibleInterface(bar)
    assert interface is not None
    tabs = [interface.child(i) for i in range(interface.childCount())]
    return [tab for tab in tabs if tab.role() == QAccessible.Role.PageTab]


def assert_every_control_described(root: QWidget) -> None:
    controls = focusable_controls(root)
    assert controls, "no focusable control found"
    # A tab bar speaks through its tabs: the reader announces the tab in focus.
    for bar in [w for w in controls if isinstance(w, QTabBar)]:
        tabs = tab_interfaces(bar)
        assert len(tabs) == bar.count()
        for tab in tabs:
            assert tab.text(QAccessible.Text.Name).strip()
            assert tab.text(QAccessible.Text.Description).strip(), tab.text(QAccessible.Text.Name)
    controls = [w for w in controls if not isinstance(w, QTabBar)]
    unnamed = [w for w in controls if not name_of(w).strip()]
    undescribed = [w for w in controls if not description_of(w).strip()]
    assert not unnamed, [type(w).__name__ + ":" + w.objectName() for w in unnamed]
    assert not undescribed, [(type(w).__name__, name_of(w)) for w in undescribed]


def timeline_interface(window: MainWindow) -> AccessibleTimeline:
    interface = QAccessible.queryAccessibleInterface(window.timeline)
    assert isinstance(interface, AccessibleTimeline)
    return interface


def children(interface: AccessibleTimeline) -> list[AccessibleBlock]:
    found = [interface.child(i) for i in range(interface.childCount())]
    assert all(isinstance(child, AccessibleBlock) for child in found)
    return [child for child in found if isinstance(child, AccessibleBlock)]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_every_control_of_the_window_has_a_name_and_a_description(window: MainWindow) -> None:
    assert_every_control_described(window)


def test_the_timeline_lists_every_block_with_a_spoken_name(window: MainWindow) -> None:
    interface = timeline_interface(window)
    assert interface.role() == QAccessible.Role.List
    assert interface.text(QAccessible.Text.Name) == "Day timeline"
    assert "2026-11-27" in interface.text(QAccessible.Text.Description)

    names = [child.text(QAccessible.Text.Name) for child in children(interface)]
    assert interface.childCount() == len(window.timeline.accessible_blocks())
    assert "Lunch with the team, 12:00 to 13:00, meal" in names
    # The night that began the day before is announced with its real start.
    assert names[0] == "Sleep, 22:30 the day before to 06:00, sleep"
    assert names[-1] == "Sleep, 22:30 to 06:00 the next day, sleep"
    lunch = children(interface)[names.index("Lunch with the team, 12:00 to 13:00, meal")]
    assert lunch.role() == QAccessible.Role.ListItem
    assert lunch.text(QAccessible.Text.Description) == "1 h"
    assert lunch.parent() is interface
    assert interface.indexOfChild(lunch) == names.index(lunch.text(QAccessible.Text.Name))


def test_block_flags_are_part_of_the_description(window: MainWindow) -> None:
    interface = timeline_interface(window)
    by_name = {child.text(QAccessible.Text.Name): child for child in children(interface)}
    wrap_up = next(c for n, c in by_name.items() if n.startswith("Wrap-up"))
    assert wrap_up.text(QAccessible.Text.Description) == "2 h, fixed time, deadline"
    sleep = next(c for n, c in by_name.items() if n.endswith("the next day, sleep"))
    assert "no reminders" in sleep.text(QAccessible.Text.Description)


def test_block_rectangles_are_where_the_blocks_are_drawn(window: MainWindow) -> None:
    interface = timeline_interface(window)
    lunch_id = next(b.id for b in window.timeline.blocks() if b.title == "Lunch with the team")
    window.timeline.ensure_block_visible(lunch_id)
    child = interface.block_interface(lunch_id)
    assert child is not None
    drawn = window.timeline.block_rect(lunch_id)
    top_left = window.timeline.viewport().mapToGlobal(drawn.topLeft())
    assert child.rect().topLeft() == top_left
    assert child.rect().size() == drawn.size()
    centre = child.rect().center()
    assert interface.childAt(centre.x(), centre.y()) is child
    assert not child.state().offscreen


def test_the_selected_block_is_the_focused_child_and_follows_the_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    interface = timeline_interface(window)
    window.timeline.setFocus()
    assert interface.focusChild() is None
    QTest.keyClick(window.timeline, Qt.Key.Key_Tab)
    first = interface.focusChild()
    assert isinstance(first, AccessibleBlock)
    assert first.state().selected and first.state().focused
    QTest.keyClick(window.timeline, Qt.Key.Key_Tab)
    second = interface.focusChild()
    assert isinstance(second, AccessibleBlock)
    assert second.block_id != first.block_id
    assert not first.state().selected
    assert second.block_id == window.timeline.selected_block()


def test_children_follow_the_day_shown(window: MainWindow) -> None:
    interface = timeline_interface(window)
    before = interface.childCount()
    lunch_id = next(b.id for b in window.timeline.blocks() if b.title == "Lunch with the team")
    assert interface.block_interface(lunch_id) is not None
    window.timeline.set_day(FRIDAY, [], window.timeline.zone())
    assert interface.childCount() == 0
    assert interface.block_interface(lunch_id) is None
    assert interface.child(0) is None
    window.reload()
    assert interface.childCount() == before


def test_focus_order_runs_from_the_day_buttons_to_the_timeline(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.previous_button.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(4):
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[:4] == [
        window.previous_button,
        window.today_button,
        window.next_button,
        window.date_picker,
    ]
    # Tab first walks the date's sections (year, month, day), as Qt's date fields do.
    for _ in range(3):
        if QApplication.focusWidget() is not window.date_picker:
            break
        QTest.keyClick(window.date_picker, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.timeline
    # Tab walks the blocks inside the timeline; Ctrl+Tab leaves it.
    QTest.keyClick(window.timeline, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.timeline
    QTest.keyClick(window.timeline, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not window.timeline


def test_every_control_of_the_block_editor_has_a_name_and_a_description(
    qtbot: QtBot, window: MainWindow
) -> None:
    from ml_day.gui.block_editor import BlockEditor

    lunch = next(b for b in window.timeline.blocks() if b.title == "Lunch with the team")
    editor = BlockEditor(
        lunch.draft(),
        categories=[lunch.category],
        zone=window.timeline.zone(),
        done=False,
        deletable=True,
        parent=window,
    )
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    assert_every_control_described(editor)
