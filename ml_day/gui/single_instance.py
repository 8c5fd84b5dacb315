"""One planner per plan: a second launch hands its request to the running window.

The running app listens on a local socket named after the application id
(``org.mlday.MLDay``) in the user's runtime folder; a plan kept in another
folder (``--data-dir``) gets its own socket, so two different plans can be
open side by side. A second launch connects, sends one line of JSON
(``{"action": "new-block", ...}``) and exits once the first app answered.

The second launch checks with the standard library's ``socket`` module, which
costs nothing at start-up; the running app's server is a ``QLocalServer``
(Qt Network is about 15-25 ms to import), started after the first paint. If
two launches race past the check, the later one finds the name taken when it
starts its server, forwards its request to the earlier one and quits.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ml_day import APP_ID

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

    from ml_day.paths import AppPaths

log = logging.getLogger("ml_day.gui.instance")

ANSWER_TIMEOUT_S = 3.0
"""How long a second launch waits for the running app to answer."""
MAX_REQUEST_BYTES = 4096
ACTIVATION_TOKEN_VARIABLES = ("XDG_ACTIVATION_TOKEN", "DESKTOP_STARTUP_ID")
"""What the launcher gives the new process so its window may take the focus
(Wayland, X11); the second launch passes them on to the running app."""


class Action(enum.StrEnum):
    RAISE = "raise"
    SHOW_TODAY = "show-today"
    NEW_BLOCK = "new-block"


@dataclass(frozen=True, slots=True)
class InstanceRequest:
    action: Action
    activation_tokens: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_environment(cls, action: Action) -> InstanceRequest:
        tokens = tuple(
            (name, os.environ[name]) for name in ACTIVATION_TOKEN_VARIABLES if os.environ.get(name)
        )
        return cls(action, tokens)

    def encode(self) -> bytes:
        import json  # noqa: PLC0415 - only when an app answers: start-up never pays for it

        document = {"action": self.action.value, "activation": dict(self.activation_tokens)}
        return json.dumps(document).encode() + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> InstanceRequest | None:
        """The request in ``data``, or None if it is not one (never raises)."""
        import json  # noqa: PLC0415

        try:
            document = json.loads(data.decode("utf-8"))
            action = Action(document["action"])
            activation = document.get("activation", {})
            tokens = tuple(
                (name, str(activation[name]))
                for name in ACTIVATION_TOKEN_VARIABLES
                if isinstance(activation, dict) and isinstance(activation.get(name), str)
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        return cls(action, tokens)


def socket_path(paths: AppPaths) -> Path:
    """Where the running app listens for later launches of the same plan."""
    name = APP_ID
    if paths.chosen:
        name = f"{APP_ID}.{zlib.crc32(str(paths.data_dir).encode()):08x}"
    return _runtime_dir() / name


def _runtime_dir() -> Path:
    """The user's private runtime folder (``$XDG_RUNTIME_DIR``), or one of our own
    in the temporary folder, readable by the user alone."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute() and Path(runtime).is_dir():
        return Path(runtime)
    import tempfile  # noqa: PLC0415 - rarely needed, and slow to import

    folder = Path(tempfile.gettempdir()) / f"{APP_ID}-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def forward_to_running_instance(path: Path, request: InstanceRequest) -> bool:
    """Hand ``request`` to the app listening at ``path``; True once it answered.

    False when nothing listens there (no file, or one left by an app that
    crashed) or the app does not answer in time: then this launch starts.
    """
    if not path.exists():
        return False  # no app runs; and no need to load the socket module before painting
    import socket  # noqa: PLC0415

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(ANSWER_TIMEOUT_S)
        try:
            client.connect(str(path))  # fails at once when no app runs
            client.sendall(request.encode())
            answer = client.recv(64)
        except OSError:
            return False
    return answer.startswith(b"ok")


class InstanceServer(QObject):
    """Listens for later launches and emits what they ask for."""

    requested = Signal(object)
    """An :class:`InstanceRequest` from a later launch."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer  # noqa: PLC0415 - after the first paint

        self._path = path
        self._server: QLocalServer = QLocalServer(self)
        # No socket options: with them Qt binds in a temporary folder and renames
        # the socket over the path, replacing a running app's socket. The folder
        # is the user's alone (see _runtime_dir), which is the access control.
        self._server.setSocketOptions(QLocalServer.SocketOption.NoOptions)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def path(self) -> Path:
        return self._path

    def listen(self) -> bool:
        """Start listening; False if another app already listens at the path."""
        if self._server.listen(str(self._path)):
            return True
        if _someone_listens(self._path):
            return False
        # A socket file left by an app that did not quit cleanly: nobody answers.
        log.info("removing a stale instance socket at %s", self._path)
        self._server.removeServer(str(self._path))
        if not self._server.listen(str(self._path)):
            # Not fatal: this app runs on; later launches start their own.
            log.warning("cannot listen for later launches: %s", self._server.errorString())
        return True

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            self._buffers[connection] = b""
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(lambda c=connection: self._drop(c))
            self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        data = self._buffers.get(connection, b"") + bytes(connection.readAll().data())
        if b"\n" not in data and len(data) < MAX_REQUEST_BYTES:
            self._buffers[connection] = data
            return
        request = InstanceRequest.decode(data.split(b"\n", 1)[0])
        connection.write(b"ok\n" if request is not None else b"error\n")
        connection.flush()
        connection.disconnectFromServer()
        self._buffers.pop(connection, None)
        if request is None:
            log.warning("ignored a malformed request from a later launch")
            return
        log.info("a later launch asked to %s", request.action.value)
        self.requested.emit(request)

    def _drop(self, connection: QLocalSocket) -> None:
        self._buffers.pop(connection, None)
        connection.deleteLater()


def _someone_listens(path: Path) -> bool:
    """True if a process accepts connections at ``path`` (nothing is sent)."""
    import socket  # noqa: PLC0415

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(ANSWER_TIMEOUT_S)
        try:
            client.connect(str(path))
        except OSError:
            return False
    return True


def apply_activation_tokens(request: InstanceRequest) -> None:
    """Let this process use the later launch's focus permission for its next activation."""
    for name, value in request.activation_tokens:
        with contextlib.suppress(ValueError):
            os.environ[name] = value
