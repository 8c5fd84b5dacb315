"""A minimal Qt tray icon, run in its own process on the desktop rig.

``python tests/desktop/tray_probe.py [--message]`` prints whether Qt sees a
system tray, shows a tray icon with a small menu (and, with ``--message``, a
balloon message from it), and runs until its Quit entry is clicked or it is
terminated (at most a minute).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

TOOLTIP = "Now: Deep work until 12:00"
MESSAGE = ("Lunch starts now — until 13:00", "Lunch with the team")
MENU = ("Now: Deep work until 12:00 (37 min left)", "Next: Lunch at 12:00", "Quit")
LIFETIME_MS = 60_000


def main() -> int:
    app = QApplication(sys.argv)
    app.setApplicationName("tray-probe")
    print(f"tray available: {QSystemTrayIcon.isSystemTrayAvailable()}", flush=True)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#2a9d8f"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    icon.setToolTip(TOOLTIP)
    menu = QMenu()
    for label in MENU[:2]:
        menu.addAction(label).setEnabled(False)
    menu.addSeparator()

    def quit_clicked() -> None:
        print("quit clicked", flush=True)
        app.quit()

    menu.addAction(MENU[2]).triggered.connect(quit_clicked)
    icon.setContextMenu(menu)
    icon.show()
    print(f"icon visible: {icon.isVisible()}", flush=True)
    print(f"supports messages: {QSystemTrayIcon.supportsMessages()}", flush=True)
    if "--message" in sys.argv[1:]:
        icon.showMessage(*MESSAGE)
    QTimer.singleShot(LIFETIME_MS, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
