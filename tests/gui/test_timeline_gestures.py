"""Editing the day on the timeline: real mouse and key events on the real widget, a real
store on a real SQLite file, and the file read back after each gesture."""

from __future__ import annotations

import ast
import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPaintEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from typing_extensions import override

import ml_day.gui.timeline.drag as drag_module
import ml_day.gui.timeline.selection_edits as selection_edits_module
from ml_day.core.blocks import Block, BlockDraft, Category
from ml_day.core.clock import ManualClock
from ml_day.core.editing import PlanEdit, UpdateBlock
from ml_day.gui.store import PlanStore
from ml_day.gui.timeline.drag import Drag, DragKind, DragModifiers
from ml_day.gui.timeline.view import TimelineView
from ml_day.paths import resolve_paths

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pytestqt.qtbot import QtBot

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = dt.date(2026, 11, 27)
THURSDAY = FRIDAY - dt.timedelta(days=1)
SPRING_FORWARD = dt.date(2026, 3, 29)
LUNCH = "Lunch with the team"
MEETINGS = "Meetings and client calls"
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


def at(hour: int, minute: int = 0, day: dt.date = FRIDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


# ---------------------------------------------------------------- the rig


@dataclass
class Rig:
    """A shown timeline wired to a real store, as the window wires it."""

    store: PlanStore
    view: TimelineView
    day: dt.date
    database: Path
    edits: list[PlanEdit] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    def reload(self) -> None:
        self.view.set_day(self.day, self.store.day_blocks(self.day), BERLIN)

    def id_of(self, title: str, day: dt.date | None = None) -> int:
        """The id of the block titled ``title`` that starts on ``day`` (default: any)."""
        matches = [
            block.id
            for block in self.view.blocks()
            if block.title == title and (day is None or block.start.date() == day)
        ]
        assert len(matches) == 1, f"{title!r}: {matches}"
        return matches[0]

    def stored(self, block_id: int) -> tuple[dt.datetime, dt.datetime] | None:
        """The block's start and end as the database file has them (None if absent)."""
        with sqlite3.connect(self.database) as connection:
            row = connection.execute(
                'SELECT start, "end" FROM block WHERE id = ?', (block_id,)
            ).fetchone()
        if row is None:
            return None
        return dt.datetime.fromisoformat(row[0]), dt.datetime.fromisoformat(row[1])

    def stored_titled(
        self, title: str, day: dt.date = FRIDAY
    ) -> list[tuple[dt.datetime, dt.datetime, str]]:
        """Start, end and category of each stored block titled ``title`` starting on
        ``day``, in time order."""
        with sqlite3.connect(self.database) as connection:
            rows = connection.execute(
                'SELECT block.start, block."end", category.name FROM block '
                "JOIN category ON category.id = block.category_id "
                "WHERE block.title = ? ORDER BY block.start",
                (title,),
            ).fetchall()
        found = [
            (dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end), category)
            for start, end, category in rows
        ]
        return [row for row in found if row[0].date() == day]

    def block_count(self) -> int:
        with sqlite3.connect(self.database) as connection:
            (count,) = connection.execute("SELECT COUNT(*) FROM block").fetchone()
        return int(count)

    # -------------------------------------------------------- pointer
    def y_of(self, wall: dt.datetime) -> int:
        """Viewport y of a wall time on the shown day."""
        return round(self.view.scale().y_of(wall)) - self.view.verticalScrollBar().value()

    def pixels(self, minutes: float) -> int:
        return round(self.view.scale().pixels_for(dt.timedelta(minutes=minutes)))

    def centre(self, block_id: int) -> QPoint:
        return self.view.block_rect(block_id).center()

    def empty_x(self) -> int:
        return self.view.viewport().width() // 2

    def press(self, pos: QPoint, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        QTest.mousePress(self.view.viewport(), LEFT, modifiers, pos)

    def move(self, pos: QPoint, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        """A pointer move with the left button held (QTest.mouseMove carries no button)."""
        viewport = self.view.viewport()
        event = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            Qt.MouseButton.NoButton,
            LEFT,
            modifiers,
        )
        QApplication.sendEvent(viewport, event)

    def release(self, pos: QPoint, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        QTest.mouseRelease(self.view.viewport(), LEFT, modifiers, pos)

    def drag(
        self,
        start: QPoint,
        end: QPoint,
        modifiers: Qt.KeyboardModifier = NO_MODIFIER,
        *,
        release: bool = True,
    ) -> None:
        """Press at ``start``, move there in a few steps, release (unless told not to)."""
        self.press(start, modifiers)
        for step in (1, 2, 3, 4):
            self.move(start + (end - start) * step / 4, modifiers)
        if release:
            self.release(end, modifiers)

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        QTest.keyClick(self.view, key, modifiers)


class MakeRig(Protocol):
    def __call__(
        self,
        day: dt.date = FRIDAY,
        drafts: Sequence[BlockDraft] | None = None,
        *,
        height: int = 700,
        editable: bool = True,
    ) -> Rig: ...


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(at(10, 15), BERLIN)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[list[PlanStore]]:
    opened: list[PlanStore] = []
    yield opened
    for store in opened:
        store.close()


@pytest.fixture
def make_rig(qtbot: QtBot, clock: ManualClock, tmp_path: Path, stores: list[PlanStore]) -> MakeRig:
    """A timeline of ``day`` on a fresh plan: the template's day, or exactly ``drafts``."""

    def make(
        day: dt.date = FRIDAY,
        drafts: Sequence[BlockDraft] | None = None,
        *,
        height: int = 700,
        editable: bool = True,
    ) -> Rig:
        paths = resolve_paths(tmp_path / f"data-{len(stores)}")
        store = PlanStore(paths)
        stores.append(store)
        store.open()
        if drafts is not None:
            for filled in (day - dt.timedelta(days=1), day):
                store.plan.mark_day_filled(filled)
            for draft in drafts:
                store.plan.add_block(draft)
        view = TimelineView(clock)
        qtbot.addWidget(view)
        view.resize(600, height)
        rig = Rig(store, view, day, paths.database)
        view.editRequested.connect(rig.edits.append)
        view.editRequested.connect(store.apply)
        view.statusMessage.connect(rig.statuses.append)
        store.planChanged.connect(rig.reload)
        rig.reload()
        view.set_editable(editable)
        with qtbot.waitActive(view):
            view.show()
            view.activateWindow()
        view.setFocus()
        return rig

    return make


def draft(title: str, start: dt.datetime, end: dt.datetime, *, fixed: bool = False) -> BlockDraft:
    return BlockDraft(title=title, category="deep-work", start=start, end=end, fixed=fixed)


# ---------------------------------------------------------------- move


def test_a_drag_moves_the_block_snapped_and_stores_it_only_on_release(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    view, lunch = rig.view, rig.id_of(LUNCH)
    view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    target = start + QPoint(0, rig.pixels(13))  # 13 minutes later: snaps to 12:15

    rig.drag(start, target, release=False)
    assert view.is_dragging()
    assert rig.stored(lunch) == (at(12), at(13)), "nothing is stored during the drag"
    assert rig.edits == []
    (preview,) = view.preview_rects()
    assert abs(preview.top() - (rig.y_of(at(12, 15)) + 1)) <= 1
    assert rig.statuses[-1] == (
        "Moving Lunch with the team 12:15\u201313:15 · Alt: no snapping · "
        "Shift: push later blocks · Ctrl: copy"
    )

    rig.release(target)
    assert rig.stored(lunch) == (at(12, 15), at(13, 15))
    assert [edit.description for edit in rig.edits] == ["Move Lunch with the team"]
    assert rig.statuses[-1] == ""
    assert not view.is_dragging()
    assert view.preview_rects() == []
    assert view.selected_blocks() == [lunch]
    assert abs(view.block_rect(lunch).top() - (rig.y_of(at(12, 15)) + 1)) <= 1
    assert rig.store.undo_stack.undoText() == "Move Lunch with the team"


def test_alt_moves_to_the_minute(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, 18), ALT)  # 18 px = 16.9 minutes
    assert rig.stored(lunch) == (at(12, 17), at(13, 17))


def test_the_status_bar_shows_the_modifiers_held(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, 18), ALT | CTRL, release=False)
    assert rig.statuses[-1] == (
        "Copying Lunch with the team 12:17\u201313:17 · not snapping (Alt) · "
        "Shift: push later blocks · copy (Ctrl)"
    )
    rig.key(Qt.Key.Key_Escape)
    rig.release(start + QPoint(0, 18), ALT | CTRL)


def test_a_press_and_release_without_moving_far_is_a_click(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    nudge = QPoint(0, QApplication.startDragDistance() - 1)
    rig.drag(start, start + nudge)
    assert rig.edits == []
    assert rig.stored(lunch) == (at(12), at(13))
    assert rig.view.selected_block() == lunch


def test_escape_during_a_drag_puts_the_block_back(make_rig: MakeRig) -> None:
    rig = make_rig()
    view, lunch = rig.view, rig.id_of(LUNCH)
    view.ensure_time_visible(at(13, 30))
    before = view.block_rect(lunch)
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, 60), release=False)
    assert view.preview_rects() != []
    rig.key(Qt.Key.Key_Escape)
    assert not view.is_dragging()
    assert view.preview_rects() == []
    assert rig.statuses[-1] == ""
    rig.move(start + QPoint(0, 90))
    rig.release(start + QPoint(0, 90))
    assert rig.edits == []
    assert rig.stored(lunch) == (at(12), at(13))
    assert view.block_rect(lunch) == before


# ---------------------------------------------------------------- resize


def test_dragging_the_top_edge_changes_the_start(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(11, 0))
    rect = rig.view.block_rect(lunch)
    top = QPoint(rect.center().x(), rect.top() + 1)
    rig.drag(top, top - QPoint(0, rig.pixels(31)))
    assert rig.stored(lunch) == (at(11, 30), at(13))
    assert rig.edits[-1].description == "Resize Lunch with the team"


def test_dragging_the_bottom_edge_changes_the_end(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(14, 0))
    rect = rig.view.block_rect(lunch)
    bottom = QPoint(rect.center().x(), rect.bottom() - 1)
    rig.drag(bottom, bottom + QPoint(0, rig.pixels(14)))
    assert rig.stored(lunch) == (at(12), at(13, 15))


def test_a_block_is_never_resized_below_five_minutes(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(14, 0))
    rect = rig.view.block_rect(lunch)
    bottom = QPoint(rect.center().x(), rect.bottom() - 1)
    rig.drag(bottom, bottom - QPoint(0, rig.pixels(150)))
    assert rig.stored(lunch) == (at(12), at(12, 5))
    rect = rig.view.block_rect(lunch)
    top = QPoint(rect.center().x(), rect.top())
    assert rig.view.hit_test(top) is not None
    rig.drag(top, top + QPoint(0, rig.pixels(120)))
    assert rig.stored(lunch) == (at(12), at(12, 5)), "the top edge cannot pass the end"


def test_the_cursor_tells_edges_from_bodies(make_rig: MakeRig) -> None:
    rig = make_rig()
    viewport, lunch = rig.view.viewport(), rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    rect = rig.view.block_rect(lunch)
    QTest.mouseMove(viewport, QPoint(rect.center().x(), rect.top() + 1))
    assert viewport.cursor().shape() == Qt.CursorShape.SizeVerCursor
    QTest.mouseMove(viewport, rect.center())
    assert viewport.cursor().shape() == Qt.CursorShape.OpenHandCursor
    rig.drag(rect.center(), rect.center() + QPoint(0, 30), release=False)
    assert viewport.cursor().shape() == Qt.CursorShape.ClosedHandCursor
    rig.release(rect.center() + QPoint(0, 30))


# ---------------------------------------------------------------- create


def test_dragging_on_empty_time_draws_a_block_that_gets_its_title_typed(
    make_rig: MakeRig, qtbot: QtBot
) -> None:
    rig = make_rig()
    view = rig.view
    view.ensure_time_visible(at(21, 45))
    count = rig.block_count()
    start = QPoint(rig.empty_x(), rig.y_of(at(21, 31)))
    end = QPoint(rig.empty_x(), rig.y_of(at(20, 44)))  # upwards works too
    rig.drag(start, end)
    assert view.is_creating()
    assert rig.block_count() == count, "nothing is stored before the title"
    editor = view.title_editor()
    assert editor.isVisible()
    assert editor.hasFocus()
    (preview,) = view.preview_rects()
    assert editor.geometry().top() >= preview.top()
    QTest.keyClicks(editor, "Review pull requests")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert rig.stored_titled("Review pull requests") == [(at(20, 45), at(21, 30), "general")]
    assert rig.edits[-1].description == "Create Review pull requests"
    assert not editor.isVisible()
    assert not view.is_creating()
    assert view.preview_rects() == []
    created = rig.id_of("Review pull requests")
    assert view.selected_blocks() == [created], "the new block is selected"
    assert view.hasFocus()


def test_a_double_click_on_empty_time_creates_a_half_hour_block(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.view.ensure_time_visible(at(21, 45))
    QTest.mouseDClick(
        rig.view.viewport(), LEFT, NO_MODIFIER, QPoint(rig.empty_x(), rig.y_of(at(21, 1)))
    )
    editor = rig.view.title_editor()
    assert editor.isVisible()
    QTest.keyClicks(editor, "Stretch")
    QTest.keyClick(editor, Qt.Key.Key_Enter)
    assert rig.stored_titled("Stretch") == [(at(21), at(21, 30), "general")]


def test_escape_or_leaving_the_title_empty_creates_nothing(make_rig: MakeRig) -> None:
    rig = make_rig()
    view = rig.view
    view.ensure_time_visible(at(21, 45))
    count = rig.block_count()
    start = QPoint(rig.empty_x(), rig.y_of(at(20, 45)))
    rig.drag(start, start + QPoint(0, rig.pixels(40)))
    QTest.keyClicks(view.title_editor(), "Never mind")
    QTest.keyClick(view.title_editor(), Qt.Key.Key_Escape)
    assert not view.is_creating()
    assert not view.title_editor().isVisible()
    assert view.preview_rects() == []

    rig.drag(start, start + QPoint(0, rig.pixels(40)))
    assert view.title_editor().hasFocus()
    view.setFocus()  # focus leaves with no title typed
    assert not view.is_creating()

    rig.drag(start, start + QPoint(0, rig.pixels(40)))
    QTest.keyClicks(view.title_editor(), "   ")
    QTest.keyClick(view.title_editor(), Qt.Key.Key_Return)
    assert not view.is_creating()
    assert rig.edits == []
    assert rig.block_count() == count


def test_leaving_the_title_editor_with_a_title_creates_the_block(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.view.ensure_time_visible(at(21, 45))
    start = QPoint(rig.empty_x(), rig.y_of(at(20, 45)))
    rig.drag(start, start + QPoint(0, rig.pixels(30)))
    QTest.keyClicks(rig.view.title_editor(), "Read")
    rig.view.setFocus()
    assert rig.stored_titled("Read") == [(at(20, 45), at(21, 15), "general")]


def test_tab_commits_the_title_and_another_day_drops_it(make_rig: MakeRig) -> None:
    rig = make_rig()
    view = rig.view
    view.ensure_time_visible(at(21, 45))
    start = QPoint(rig.empty_x(), rig.y_of(at(20, 45)))
    rig.drag(start, start + QPoint(0, rig.pixels(30)))
    QTest.keyClicks(view.title_editor(), "Tidy desk")
    QTest.keyClick(view.title_editor(), Qt.Key.Key_Tab)
    assert rig.stored_titled("Tidy desk") == [(at(20, 45), at(21, 15), "general")]
    assert view.hasFocus()

    count = rig.block_count()
    view.begin_create(at(21, 30))
    QTest.keyClicks(view.title_editor(), "Half typed")
    view.set_day(FRIDAY + dt.timedelta(days=1), [], BERLIN)
    assert not view.is_creating()
    assert rig.block_count() == count


def test_the_snap_step_is_one_of_the_offered_ones(make_rig: MakeRig) -> None:
    view = make_rig().view
    assert view.snap_minutes() == 5
    for minutes in (5, 10, 15, 30):
        view.set_snap_minutes(minutes)
        assert view.snap_minutes() == minutes
    with pytest.raises(ValueError, match="one of 5, 10, 15, 30"):
        view.set_snap_minutes(7)


def test_a_move_snaps_to_the_chosen_step(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.set_snap_minutes(15)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, rig.pixels(23)))
    assert rig.stored(lunch) == (at(12, 30), at(13, 30))


# ---------------------------------------------------------------- copy, push, several blocks


def test_ctrl_drag_drops_a_copy_and_leaves_the_original(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, rig.pixels(60)), CTRL)
    assert rig.stored_titled(LUNCH) == [(at(12), at(13), "meal"), (at(13), at(14), "meal")]
    assert rig.stored(lunch) == (at(12), at(13))
    assert rig.edits[-1].description == "Copy Lunch with the team"
    (copy,) = [b.id for b in rig.view.blocks() if b.title == LUNCH and b.id != lunch]
    assert rig.view.selected_blocks() == [copy], "the copy is selected"


def test_shift_drag_pushes_the_later_blocks(make_rig: MakeRig) -> None:
    rig = make_rig(
        drafts=[
            draft("Plan", at(9), at(10)),
            draft("Code", at(10), at(11)),
            draft("Review", at(11, 30), at(12)),
            draft("Client call", at(13), at(14), fixed=True),
        ]
    )
    view = rig.view
    plan, code, review, call = (rig.id_of(t) for t in ("Plan", "Code", "Review", "Client call"))
    view.ensure_time_visible(at(9))
    start = rig.centre(plan)
    allowed = start + QPoint(0, rig.pixels(45))
    rig.drag(start, allowed, SHIFT, release=False)
    assert "pushing 2 later blocks (Shift)" in rig.statuses[-1]
    assert len(view.preview_rects()) == 3, "the block and the two it pushes"

    too_far = start + QPoint(0, rig.pixels(210))  # Plan at 12:30 would push the fixed call
    rig.move(too_far, SHIFT)
    assert rig.statuses[-1] == "No room to push: Client call at 13:00 is fixed"
    rig.release(too_far, SHIFT)

    assert rig.stored(plan) == (at(9, 45), at(10, 45)), "the last allowed place"
    assert rig.stored(code) == (at(10, 45), at(11, 45))
    assert rig.stored(review) == (at(11, 45), at(12, 15))
    assert rig.stored(call) == (at(13), at(14))
    (edit,) = rig.edits
    assert [op.block_id for op in edit.operations if isinstance(op, UpdateBlock)] == [
        plan,
        code,
        review,
    ]
    rig.store.undo_stack.undo()
    assert rig.stored(plan) == (at(9), at(10))
    assert rig.stored(review) == (at(11, 30), at(12)), "one undo takes back the whole push"


def test_shift_drag_into_a_fixed_block_moves_nothing(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(14))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, rig.pixels(30)), SHIFT)
    assert "No room to push: Meetings and client calls at 13:00 is fixed" in rig.statuses
    assert rig.edits == []
    assert rig.stored(lunch) == (at(12), at(13))


def test_ctrl_and_shift_clicks_select_several_blocks_that_move_together(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    view = rig.view
    catch_up = rig.id_of("Catch up: overnight runs, email, today's task list")
    lunch, meetings = rig.id_of(LUNCH), rig.id_of(MEETINGS)
    view.verticalScrollBar().setValue(rig.y_of(at(8, 30)) + view.verticalScrollBar().value())
    QTest.mouseClick(view.viewport(), LEFT, NO_MODIFIER, rig.centre(catch_up))
    QTest.mouseClick(view.viewport(), LEFT, CTRL, rig.centre(lunch))
    QTest.mouseClick(view.viewport(), LEFT, SHIFT, rig.centre(meetings))
    assert sorted(view.selected_blocks()) == sorted([catch_up, lunch, meetings])
    QTest.mouseClick(view.viewport(), LEFT, CTRL, rig.centre(meetings))
    assert sorted(view.selected_blocks()) == sorted([catch_up, lunch]), "Ctrl-click toggles"
    undo_steps = rig.store.undo_stack.count()

    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, rig.pixels(30)))
    assert rig.stored(catch_up) == (at(9, 30), at(10, 30))
    assert rig.stored(lunch) == (at(12, 30), at(13, 30))
    assert rig.stored(meetings) == (at(13), at(14))
    assert rig.edits[-1].description == "Move 2 blocks"
    assert rig.store.undo_stack.count() == undo_steps + 1
    assert sorted(view.selected_blocks()) == sorted([catch_up, lunch])


# ---------------------------------------------------------------- scrolling


def test_dragging_near_the_bottom_edge_scrolls(make_rig: MakeRig, qtbot: QtBot) -> None:
    rig = make_rig(height=400)
    view, lunch = rig.view, rig.id_of(LUNCH)
    bar = view.verticalScrollBar()
    view.ensure_time_visible(at(12, 30))
    start = rig.centre(lunch)
    before = bar.value()
    assert not view.is_auto_scrolling()
    edge = QPoint(start.x(), view.viewport().height() - 4)
    rig.drag(start, edge, release=False)
    assert view.is_auto_scrolling()
    qtbot.waitUntil(lambda: bar.value() >= before + 120, timeout=5000)
    scrolled = bar.value() - before
    rig.move(QPoint(start.x(), view.viewport().height() // 2))
    assert not view.is_auto_scrolling(), "the timer runs only near an edge"
    middle = QPoint(start.x(), view.viewport().height() // 2)
    rig.release(middle)
    stored = rig.stored(lunch)
    assert stored is not None
    moved_minutes = (stored[0] - at(12)) / dt.timedelta(minutes=1)
    expected = view.scale().duration_for(middle.y() - start.y() + scrolled)
    assert abs(moved_minutes - expected / dt.timedelta(minutes=1)) <= 5
    assert stored[1] - stored[0] == dt.timedelta(hours=1)


# ---------------------------------------------------------------- daylight saving and midnight


def test_a_block_dragged_across_the_skipped_hour_keeps_its_real_duration(
    make_rig: MakeRig,
) -> None:
    rig = make_rig(
        SPRING_FORWARD, [draft("Night job", at(1, 0, SPRING_FORWARD), at(2, 0, SPRING_FORWARD))]
    )
    view, job = rig.view, rig.id_of("Night job")
    view.verticalScrollBar().setValue(0)
    start = rig.centre(job)
    rig.drag(start, start + QPoint(0, rig.pixels(30)))
    assert rig.stored(job) == (at(1, 30, SPRING_FORWARD), at(3, 30, SPRING_FORWARD))
    (block,) = view.blocks()
    assert (block.start, block.end) == (at(1, 30, SPRING_FORWARD), at(3, 30, SPRING_FORWARD))


def test_dragging_the_morning_part_of_a_night_moves_the_one_block(make_rig: MakeRig) -> None:
    rig = make_rig()
    view = rig.view
    sleep = rig.id_of("Sleep", THURSDAY)
    view.verticalScrollBar().setValue(0)
    rect = view.block_rect(sleep)
    assert view.hit_test(QPoint(rect.center().x(), rect.top() + 1)) is not None
    start = rect.center()
    rig.drag(start, start + QPoint(0, rig.pixels(30)))
    assert rig.stored(sleep) == (at(23, 0, THURSDAY), at(6, 30))


# ---------------------------------------------------------------- keyboard


def test_arrow_keys_move_the_selection_and_shift_arrows_its_end(make_rig: MakeRig) -> None:
    rig = make_rig()
    view, lunch = rig.view, rig.id_of(LUNCH)
    view.set_selected_block(lunch)
    rig.key(Qt.Key.Key_Down)
    assert rig.stored(lunch) == (at(12, 5), at(13, 5))
    rig.key(Qt.Key.Key_Up)
    rig.key(Qt.Key.Key_Up)
    assert rig.stored(lunch) == (at(11, 55), at(12, 55))
    rig.key(Qt.Key.Key_Down, SHIFT)
    assert rig.stored(lunch) == (at(11, 55), at(13))
    view.set_snap_minutes(15)
    rig.key(Qt.Key.Key_Up, SHIFT)
    assert rig.stored(lunch) == (at(11, 55), at(12, 45))
    assert [edit.description for edit in rig.edits] == [
        "Move Lunch with the team",
        "Move Lunch with the team",
        "Move Lunch with the team",
        "Resize Lunch with the team",
        "Resize Lunch with the team",
    ]
    assert view.selected_block() == lunch


def test_without_a_selection_the_arrow_keys_scroll(make_rig: MakeRig) -> None:
    rig = make_rig()
    bar = rig.view.verticalScrollBar()
    rig.view.set_selected_block(-1)
    bar.setValue(200)
    rig.key(Qt.Key.Key_Down)
    assert bar.value() == 200 + bar.singleStep()
    assert rig.edits == []


def test_tab_walks_the_blocks_in_time_order(make_rig: MakeRig) -> None:
    rig = make_rig()
    view = rig.view
    order = [
        segment.block.id
        for segment in sorted(
            (placed.segment for placed in view.placed_segments()),
            key=lambda s: (s.start, s.end, s.block.id),
        )
    ]
    view.set_selected_block(-1)
    for expected in order[:3]:
        rig.key(Qt.Key.Key_Tab)
        assert view.selected_block() == expected
        assert view.hasFocus(), "Tab stays in the timeline"
    rig.key(Qt.Key.Key_Backtab, SHIFT)
    assert view.selected_block() == order[1]
    view.set_selected_block(order[-1])
    rig.key(Qt.Key.Key_Tab)
    assert view.selected_block() == order[0], "it wraps around"
    view.set_selected_block(order[-2])
    rig.key(Qt.Key.Key_Tab)
    rect = view.block_rect(order[-1])
    assert 0 <= rect.top() < view.viewport().height(), "the block walked to is shown"


def test_delete_and_backspace_delete_the_selection(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch, meetings = rig.id_of(LUNCH), rig.id_of(MEETINGS)
    rig.view.set_selected_block(lunch)
    rig.key(Qt.Key.Key_Delete)
    assert rig.stored(lunch) is None
    assert rig.edits[-1].description == "Delete Lunch with the team"
    assert rig.view.selected_blocks() == []
    rig.view.set_selected_block(meetings)
    rig.key(Qt.Key.Key_Backspace)
    assert rig.stored(meetings) is None
    rig.store.undo_stack.undo()
    assert rig.stored(meetings) == (at(13), at(14))


def test_ctrl_d_duplicates_the_selection_after_itself(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.set_selected_block(lunch)
    rig.key(Qt.Key.Key_D, CTRL)
    assert rig.stored_titled(LUNCH) == [(at(12), at(13), "meal"), (at(13), at(14), "meal")]
    assert rig.edits[-1].description == "Duplicate Lunch with the team"
    (copy,) = [b.id for b in rig.view.blocks() if b.title == LUNCH and b.id != lunch]
    assert rig.view.selected_blocks() == [copy]


def test_n_creates_a_block_after_the_selection_with_its_title_typed(make_rig: MakeRig) -> None:
    rig = make_rig()
    rig.view.set_selected_block(rig.id_of("Head home"))
    rig.key(Qt.Key.Key_N)
    editor = rig.view.title_editor()
    assert editor.hasFocus()
    QTest.keyClicks(editor, "Call mum")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert rig.stored_titled("Call mum") == [(at(20, 30), at(21), "general")]
    rig.view.set_selected_block(-1)
    rig.key(Qt.Key.Key_Insert)  # no selection: at now (10:15 on the clock)
    QTest.keyClicks(editor, "Stand-up")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert rig.stored_titled("Stand-up") == [(at(10, 15), at(10, 45), "general")]


def test_p_pushes_the_rest_of_the_day(make_rig: MakeRig) -> None:
    rig = make_rig()
    email, sleep = rig.id_of("Last email check"), rig.id_of("Sleep", FRIDAY)
    rig.view.set_selected_block(rig.id_of("Head home"))
    rig.key(Qt.Key.Key_P)
    assert rig.stored(email) == (at(22, 15), at(22, 30))
    assert rig.stored(sleep) == (at(22, 45), at(6, 15, FRIDAY + dt.timedelta(days=1)))
    assert rig.edits[-1].description == "Push 2 blocks by 15 min"

    rig.view.set_selected_block(rig.id_of(LUNCH))
    rig.key(Qt.Key.Key_P)
    assert rig.statuses[-1] == "No room to push: Meetings and client calls at 13:00 is fixed"
    assert len(rig.edits) == 1


def test_push_after_selection_says_when_it_is_shortened(make_rig: MakeRig) -> None:
    rig = make_rig()
    finish = rig.id_of("Finish tasks, unit tests, model metrics vs baseline, client requests")
    rig.view.set_selected_block(rig.id_of(MEETINGS))
    rig.view.push_after_selection(90)
    assert rig.stored(finish) == (at(15), at(18))
    assert rig.edits[-1].description == "Push 1 block by 60 min"
    assert rig.statuses[-1] == (
        "Pushed by 60 min only: Wrap-up: merge pending changes, nothing left half-done "
        "at 18:00 is fixed"
    )


def test_enter_and_a_double_click_open_the_editor(make_rig: MakeRig, qtbot: QtBot) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.set_selected_block(lunch)
    with qtbot.waitSignal(rig.view.blockActivated) as blocker:
        rig.key(Qt.Key.Key_Return)
    assert blocker.args == [lunch]
    rig.view.ensure_time_visible(at(13, 30))
    with qtbot.waitSignal(rig.view.blockActivated) as blocker:
        QTest.mouseDClick(rig.view.viewport(), LEFT, NO_MODIFIER, rig.centre(lunch))
    assert blocker.args == [lunch]
    assert rig.edits == []


def test_escape_clears_the_selection_and_left_right_stay_for_the_window(
    make_rig: MakeRig,
) -> None:
    rig = make_rig()
    rig.view.set_selected_blocks([rig.id_of(LUNCH), rig.id_of(MEETINGS)])
    assert len(rig.view.selected_blocks()) == 2
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
        event = QKeyEvent(QEvent.Type.KeyPress, key, NO_MODIFIER)
        QApplication.sendEvent(rig.view, event)
        assert not event.isAccepted()
    rig.key(Qt.Key.Key_Escape)
    assert rig.view.selected_blocks() == []


# ---------------------------------------------------------------- undo, the context menu


def test_undo_and_redo_of_a_drag_restore_and_reapply_the_rows(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, rig.pixels(45)))
    assert rig.stored(lunch) == (at(12, 45), at(13, 45))
    rig.store.undo_stack.undo()
    assert rig.stored(lunch) == (at(12), at(13))
    assert abs(rig.view.block_rect(lunch).top() - (rig.y_of(at(12)) + 1)) <= 1
    rig.store.undo_stack.redo()
    assert rig.stored(lunch) == (at(12, 45), at(13, 45))
    assert abs(rig.view.block_rect(lunch).top() - (rig.y_of(at(12, 45)) + 1)) <= 1


def menu_action(menu: QMenu, text: str) -> None:
    for action in menu.actions():
        if action.text().split("\t")[0] == text:
            assert action.isEnabled(), text
            action.trigger()
            return
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            for inner in submenu.actions():
                if inner.text().split("\t")[0] == text:
                    inner.trigger()
                    return
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def test_the_context_menu_edits_the_block_under_the_pointer(
    make_rig: MakeRig, qtbot: QtBot
) -> None:
    rig = make_rig()
    view = rig.view
    lunch, home = rig.id_of(LUNCH), rig.id_of("Head home")
    view.ensure_time_visible(at(13, 30))
    menu = view.context_menu(rig.centre(lunch))
    assert view.selected_block() == lunch
    texts = [action.text().split("\t")[0] for action in menu.actions() if action.text()]
    assert texts == [
        "Edit…",
        "Duplicate",
        "Delete",
        "Mark done",
        "Push rest of day",
    ]
    menu_action(menu, "Mark done")
    with sqlite3.connect(rig.database) as connection:
        (done,) = connection.execute("SELECT done FROM block WHERE id = ?", (lunch,)).fetchone()
    assert done == 1
    assert rig.edits[-1].description == "Mark done Lunch with the team"
    with qtbot.waitSignal(view.blockActivated) as blocker:
        menu_action(view.context_menu(rig.centre(lunch)), "Edit…")
    assert blocker.args == [lunch]
    menu_action(view.context_menu(rig.centre(lunch)), "Mark not done")
    menu_action(view.context_menu(rig.centre(lunch)), "Delete")
    assert rig.stored(lunch) is None

    view.ensure_time_visible(at(20, 30))
    menu_action(view.context_menu(rig.centre(home)), "by 30 min")
    assert rig.stored_titled("Last email check")[0][:2] == (at(22, 30), at(22, 45))

    empty = QPoint(rig.empty_x(), rig.y_of(at(21, 0)))
    menu = view.context_menu(empty)
    assert [action.text() for action in menu.actions()] == ["New block here"]
    menu_action(menu, "New block here")
    QTest.keyClicks(view.title_editor(), "Walk")
    QTest.keyClick(view.title_editor(), Qt.Key.Key_Return)
    assert rig.stored_titled("Walk") == [(at(21), at(21, 30), "general")]


# ---------------------------------------------------------------- not editable


def test_a_timeline_that_is_not_editable_edits_nothing(make_rig: MakeRig) -> None:
    rig = make_rig(editable=False)
    view, lunch = rig.view, rig.id_of(LUNCH)
    assert not view.is_editable()
    view.ensure_time_visible(at(13, 30))
    count = rig.block_count()
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, 60))
    rect = view.block_rect(lunch)
    rig.drag(QPoint(start.x(), rect.bottom() - 1), QPoint(start.x(), rect.bottom() + 40))
    empty = QPoint(rig.empty_x(), rig.y_of(at(8, 30)))
    rig.drag(empty, empty + QPoint(0, 30))
    QTest.mouseDClick(view.viewport(), LEFT, NO_MODIFIER, empty)
    view.set_selected_block(lunch)
    for key, modifiers in (
        (Qt.Key.Key_Down, NO_MODIFIER),
        (Qt.Key.Key_Down, SHIFT),
        (Qt.Key.Key_D, CTRL),
        (Qt.Key.Key_N, NO_MODIFIER),
        (Qt.Key.Key_P, NO_MODIFIER),
        (Qt.Key.Key_Delete, NO_MODIFIER),
    ):
        rig.key(key, modifiers)
    view.push_after_selection(15)
    view.duplicate_selection()
    view.delete_selection()
    view.mark_selection_done(True)
    view.begin_create()
    menu = view.context_menu(rig.centre(lunch))
    assert [a.isEnabled() for a in menu.actions() if a.text()][1:] == [False] * 4
    assert not view.is_creating()
    assert rig.edits == []
    assert rig.block_count() == count
    assert rig.stored(lunch) == (at(12), at(13))
    assert view.preview_rects() == []

    view.set_editable(True)
    view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, rig.pixels(30)))
    assert rig.stored(lunch) == (at(12, 30), at(13, 30))


def test_turning_editing_off_drops_a_drag_under_way(make_rig: MakeRig) -> None:
    rig = make_rig()
    lunch = rig.id_of(LUNCH)
    rig.view.ensure_time_visible(at(13, 30))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, 60), release=False)
    rig.view.set_editable(False)
    rig.release(start + QPoint(0, 60))
    assert rig.edits == []
    assert rig.stored(lunch) == (at(12), at(13))


# ---------------------------------------------------------------- painting


class PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.rects.append(QRect(event.rect()))
        return False


def test_a_drag_repaints_only_where_the_preview_was_and_is(make_rig: MakeRig, qtbot: QtBot) -> None:
    rig = make_rig()
    view, lunch = rig.view, rig.id_of(LUNCH)
    view.ensure_time_visible(at(14))
    start = rig.centre(lunch)
    rig.drag(start, start + QPoint(0, 20), release=False)
    QApplication.processEvents()
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    rig.move(start + QPoint(0, 30))
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=2000)
    painted = QRect()
    for rect in spy.rects:
        painted = painted.united(rect)
    (preview,) = view.preview_rects()
    assert painted.contains(preview)
    assert painted.height() <= preview.height() + rig.pixels(15) + 8, "old and new place only"
    rig.release(start + QPoint(0, 30))


def test_the_preview_is_painted_where_the_block_will_go(make_rig: MakeRig) -> None:
    rig = make_rig()
    view, lunch = rig.view, rig.id_of(LUNCH)
    view.ensure_time_visible(at(16))
    before = view.viewport().grab().toImage()
    rect = view.block_rect(lunch)
    start = rect.center()
    rig.drag(start, start + QPoint(0, rig.pixels(180)), release=False)
    (preview,) = view.preview_rects()
    during = view.viewport().grab().toImage()
    probe = QPoint(preview.center().x(), preview.top() + 3)
    assert during.pixelColor(probe) != before.pixelColor(probe)
    rig.key(Qt.Key.Key_Escape)
    rig.release(start + QPoint(0, rig.pixels(180)))
    after = view.viewport().grab().toImage()
    assert after.pixelColor(probe) == before.pixelColor(probe)


# ---------------------------------------------------------------- the drag logic, without Qt


def test_the_drag_and_edit_modules_import_no_qt() -> None:
    for module in (drag_module, selection_edits_module):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        }
        assert imported
        assert not any(name.startswith(("PySide6", "shiboken6")) for name in imported)


MEAL = Category(name="meal", colour="#e08a1e")


def stored_block(
    block_id: int, start: dt.datetime, end: dt.datetime, *, fixed: bool = False
) -> Block:
    return Block(
        id=block_id, title=f"b{block_id}", category=MEAL, start=start, end=end, fixed=fixed
    )


def test_a_create_drag_spans_the_snapped_press_and_pointer_either_way() -> None:
    drag = Drag(
        DragKind.CREATE, day=FRIDAY, zone=BERLIN, blocks=[], press=at(10, 2), snap_minutes=15
    )
    drag.update(at(9, 1), DragModifiers())
    assert drag.created_span() == (at(9), at(10))
    drag.update(at(10, 4), DragModifiers())
    assert drag.created_span() == (at(10), at(10, 5)), "at least five minutes"
    drag.update(at(23, 59), DragModifiers())
    assert drag.created_span() == (at(10), at(0, 0, FRIDAY + dt.timedelta(days=1)))
    assert drag.edit() is None, "a new block is created once it has a title"


def test_a_move_keeps_part_of_the_block_on_the_day() -> None:
    block = stored_block(1, at(12), at(14))
    next_midnight = at(0, 0, FRIDAY + dt.timedelta(days=1))

    def grabbed_at(press: dt.datetime) -> Drag:
        return Drag(
            DragKind.MOVE,
            day=FRIDAY,
            zone=BERLIN,
            blocks=[block],
            press=press,
            snap_minutes=5,
            grabbed=1,
        )

    by_the_top = grabbed_at(at(12))
    (placed,) = by_the_top.update(next_midnight, DragModifiers()).placed
    assert (placed.start, placed.end) == (
        at(23, 55),
        next_midnight + dt.timedelta(hours=1, minutes=55),
    )
    by_the_bottom = grabbed_at(at(14))
    (placed,) = by_the_bottom.update(at(0, 0), DragModifiers()).placed
    assert (placed.start, placed.end) == (at(22, 5, THURSDAY), at(0, 5))
    by_the_bottom.update(at(14), DragModifiers())
    assert by_the_bottom.edit() is None, "a drag back to where it started changes nothing"


def test_a_resize_never_makes_a_block_longer_than_a_day() -> None:
    night = stored_block(1, at(22, 0, THURSDAY), at(6))
    drag = Drag(
        DragKind.RESIZE_END,
        day=FRIDAY,
        zone=BERLIN,
        blocks=[night],
        press=at(6),
        snap_minutes=5,
        grabbed=1,
    )
    (placed,) = drag.update(at(23), DragModifiers()).placed
    assert placed.end == at(22)
    edit = drag.edit()
    assert edit is not None
    assert edit.description == "Resize b1"
