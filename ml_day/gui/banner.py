"""The in-window banner: the last way a notification reaches the user.

Used when neither a notification service nor a tray can show it. A window
embeds a :class:`Banner` (hidden until a message arrives); the message stays
10 seconds once the user can see it, and can be closed at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ml_day.overrides import override

BANNER_MS = 10_000
"""How long a message stays once the banner is on screen."""


class Banner(QFrame):
    """A strip with the latest message and a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Notification")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("bannerSummary")
        bold = self.summary_label.font()
        bold.setBold(True)
        self.summary_label.setFont(bold)
        self.summary_label.setWordWrap(True)
        self.body_label = QLabel(self)
        self.body_label.setObjectName("bannerBody")
        self.body_label.setWordWrap(True)
        self.body_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("bannerClose")
        self.close_button.setText("×")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAccessibleName("Dismiss notification")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)

        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.summary_label)
        texts.addWidget(self.body_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 4, 6)
        layout.addLayout(texts, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

        self.hide_timer = QTimer(self)
        self.hide_timer.setObjectName("bannerHideTimer")
        self.hide_timer.setSingleShot(True)
        self.hide_timer.setInterval(BANNER_MS)
        self.hide_timer.timeout.connect(self.dismiss)
        self.hide()

    def show_message(self, summary: str, body: str) -> None:
        """Show the message; it hides by itself 10 s after it is on screen."""
        self.summary_label.setText(summary)
        self.body_label.setText(body)
        self.body_label.setVisible(bool(body))
        self.setToolTip(f"{summary}\n{body}" if body else summary)
        self.show()
        if self.isVisible():
            self.hide_timer.start()
        # Otherwise the window is hidden (in the tray): the countdown starts
        # when it is shown again (showEvent), so the message is not missed.

    def dismiss(self) -> None:
        self.hide_timer.stop()
        self.hide()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.hide_timer.start()


class BannerBackend:
    """Delivers into a :class:`Banner`: always available, called on the UI thread."""

    name = "banner"
    ui_thread = True

    def __init__(self, banner: Banner) -> None:
        self._banner = banner

    def available(self) -> bool:
        return True

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        del urgency, app_icon
        self._banner.show_message(summary, body)
