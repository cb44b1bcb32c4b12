"""The local channel through which the command line hands work to the running app.

DuckDB lets one process have a warehouse open for writing, and the app keeps it open for
as long as it serves. So the app stays the one writer: beside the warehouse it serves a Unix
domain socket (`<warehouse>.sock`, readable and writable by its own account only), and
`anchor load`, `undo`, `report` and `imd`, finding the warehouse held, send it their command
instead. The app runs the command's own code (`anchor.cli.run_forwarded`) on its warehouse,
one request at a time, and streams back what the command prints, the files it writes and
its exit code.

One request, one connection, JSON lines both ways:

    -> {"argv": [...], "user": "ci-job", "role": "analyst", "tty": false,
        "files": {"file": {"name": "spend.csv", "data": "<base64>"}}}
    <- {"out": "text"} | {"err": "text"} | {"write": "path", "data": "<base64>"}
    <- {"exit": 0}

A load in the app runs in one transaction: if the command line goes away midway, the app
finishes it (or rolls it back) all the same; if the app dies midway, DuckDB discards the
unfinished transaction when the file is next opened. No Streamlit here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# AF_UNIX paths are limited to 108 bytes on Linux; a deeper warehouse gets its socket in
# the temporary folder, named after the warehouse's path.
_MAX_SOCKET_PATH = 100
# A command line that stops sending, or stops reading what the app sends, must not hold up
# the channel (or, inside a load, the app's write lock) for ever: waits are bounded.
_REQUEST_WAIT_S = 60.0
_REPLY_WAIT_S = 10.0


def _max_request_bytes() -> int:
    """The biggest file a load accepts, as base64, and room for the rest of the request."""
    from anchor import config

    return int(config.max_upload_mb() * 1024 * 1024 * 4 / 3) + 1024 * 1024


def socket_paths(warehouse: Path | str) -> list[Path]:
    """Where the app serves the channel for this warehouse, in the order it tries them:
    beside the warehouse, else (a long path, a folder it cannot write) the temporary folder."""
    warehouse = Path(warehouse).resolve()
    digest = hashlib.sha256(str(warehouse).encode()).hexdigest()[:16]
    paths = [warehouse.with_name(warehouse.name + ".sock"),
             Path(tempfile.gettempdir()) / f"anchor-{digest}.sock"]
    return [p for p in paths if len(str(p)) <= _MAX_SOCKET_PATH]


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# -- the app's side ----------------------------------------------------------------------------

class ToClient:
    """A text stream whose writes go to the command line as `{"out": ...}` or `{"err": ...}`.

    Once the command line has gone (killed, or its terminal closed) writes are dropped: the
    command carries on to the end of its transaction rather than failing halfway."""

    def __init__(self, conn: socket.socket, key: str, tty: bool) -> None:
        self.conn, self.key, self.tty = conn, key, tty
        self.gone = False

    def send(self, message: dict) -> None:
        if self.gone:
            return
        try:
            _send(self.conn, message)
        except OSError:
            self.gone = True

    def write(self, text: str) -> int:
        if text:
            self.send({self.key: text})
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self.tty


class _ThisThread:
    """Stands in for sys.stdout or sys.stderr while a request runs: the request's thread
    writes to the command line, every other thread (the app's sessions) where it did."""

    def __init__(self, usual: Any, mine: ToClient) -> None:
        self.usual, self.mine = usual, mine
        self.thread = threading.get_ident()

    def _target(self) -> Any:
        return self.mine if threading.get_ident() == self.thread else self.usual

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.usual, name)


Handler = Callable[[dict, ToClient, ToClient], int]


class ChannelServer:
    """The app's end: a daemon thread that takes one request at a time and runs it with
    `handler(request, out, err) -> exit code`."""

    def __init__(self, warehouse: Path | str, handler: Handler) -> None:
        self.handler = handler
        self.path: Path | None = None
        self.idle = threading.Event()  # set while no request is running (tests wait on it)
        self.idle.set()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for path in socket_paths(warehouse):
            try:
                self._bind(path)
            except OSError as exc:
                log.info("anchor channel: cannot serve at %s: %s", path, exc)
                continue
            self.path = path
            break
        if self.path is None:
            self._sock.close()
            raise OSError(f"No place to serve the command-line channel for {warehouse}.")
        self._sock.listen(8)
        self._thread = threading.Thread(target=self._serve, name="anchor-channel", daemon=True)
        self._thread.start()

    def _bind(self, path: Path) -> None:
        # This process holds the warehouse's lock, so a socket already there was left by an
        # app that died: nobody else can be serving this warehouse.
        if path.is_socket():
            path.unlink()
        self._sock.bind(str(path))
        # Before listen() no one can connect, so the mode is set before anyone could use it.
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed
            self.idle.clear()
            try:
                with conn:
                    self._handle(conn)
            except Exception:  # nothing a request does may stop the channel or the app
                log.exception("anchor channel: a request failed")
            finally:
                self.idle.set()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(_REQUEST_WAIT_S)
        limit = _max_request_bytes()
        with conn.makefile("rb") as reader:
            line = reader.readline(limit + 1)
        conn.settimeout(_REPLY_WAIT_S)
        if len(line) > limit:
            self._refuse(conn, f"The request is larger than the app takes ({limit:,} bytes: "
                               "files up to ANCHOR_MAX_UPLOAD_MB).")
            return
        try:
            request = json.loads(line)
        except ValueError:
            request = None
        if not isinstance(request, dict) or not isinstance(request.get("argv"), list):
            self._refuse(conn, "The app could not read this request.")
            return
        tty = bool(request.get("tty"))
        out, err = ToClient(conn, "out", tty), ToClient(conn, "err", tty)
        log.info("anchor channel: %s for %s (%s)", " ".join(map(str, request["argv"][:1])),
                 request.get("user"), request.get("role"))
        usual_out, usual_err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _ThisThread(usual_out, out), _ThisThread(usual_err, err)
        try:
            code = self.handler(request, out, err)
        finally:
            sys.stdout, sys.stderr = usual_out, usual_err
        out.send({"exit": int(code)})

    @staticmethod
    def _refuse(conn: socket.socket, message: str) -> None:
        _send(conn, {"err": message + "\n"})
        _send(conn, {"exit": 2})

    def close(self) -> None:
        self._sock.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


# -- the command line's side -------------------------------------------------------------------

class NoChannel(Exception):
    """Nothing serves the channel: no app, a stale socket, or one we must not trust."""


def _connect(warehouse: Path) -> socket.socket:
    owners = {os.getuid()}
    try:
        owners.add(warehouse.stat().st_uid)
    except OSError:
        pass
    for path in socket_paths(warehouse):
        try:
            # Only the app's own account (the warehouse's owner) may be told our files: a
            # socket someone else left in a shared folder is not the app's.
            if not path.is_socket() or path.stat().st_uid not in owners:
                continue
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(str(path))
            except OSError:
                conn.close()
                raise
            return conn
        except (FileNotFoundError, ConnectionRefusedError):
            continue  # no app, or one that died and left its socket behind
        except PermissionError as exc:
            raise NoChannel(f"The app's channel {path} belongs to another account: run the "
                            "command as the account the app runs as.") from exc
    raise NoChannel("no running Anchor app offers its channel")


def forward(warehouse: Path, request: dict, stdout: Any = None, stderr: Any = None) -> int:
    """Send a command to the app serving `warehouse`; print what it prints, write the files
    it writes, and return its exit code. Raises NoChannel when no app is listening."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    conn = _connect(warehouse)
    with conn:
        _send(conn, request)
        conn.shutdown(socket.SHUT_WR)
        with conn.makefile("rb") as reader:
            for line in reader:
                message = json.loads(line)
                if "out" in message:
                    stdout.write(message["out"])
                    stdout.flush()
                elif "err" in message:
                    stderr.write(message["err"])
                    stderr.flush()
                elif "write" in message:
                    out = Path(message["write"])
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(decode(message["data"]))
                elif "exit" in message:
                    return int(message["exit"])
    stderr.write("The app stopped before the command finished. Nothing of a load it had not "
                 "finished is kept: check `anchor` again, or the Data page, once it is back.\n")
    return 2


def serve(wh: Any) -> ChannelServer | None:
    """Serve the command line for the app's warehouse `wh` (an `anchor.db.Warehouse` open for
    writing). None, with a warning in the log, when there is nowhere to put the socket: the
    app serves its viewers all the same."""
    from anchor.cli import run_forwarded

    try:
        return ChannelServer(wh.path, lambda request, out, err: run_forwarded(wh, request,
                                                                              out, err))
    except OSError as exc:
        log.warning("anchor channel: the command line cannot hand work to this app: %s", exc)
        return None
