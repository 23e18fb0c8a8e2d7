"""Loaded into a child process through PYTHONPATH by tests/speech/test_offline.py.

An audit hook records, then refuses, every Internet (AF_INET/AF_INET6) socket, connection
and host lookup made through Python, and notes whether onnxruntime's telemetry switch was
set at the moment onnxruntime was imported (its telemetry runs in C++, below Python's
socket module, so only the switch and a system-call trace can show it). Each record is a
JSON line in ``$STARCOACH_NET_LOG``. With ``$STARCOACH_NET_LINGER_S`` the process stays
alive that long at exit once onnxruntime is loaded: its telemetry first looks up its
host about ten seconds after it starts, later than a short command ends.
"""

import atexit
import json
import os
import socket
import sys
import time

_LOG = os.environ["STARCOACH_NET_LOG"]
_INET = {socket.AF_INET, socket.AF_INET6, -1}  # -1: the default family, AF_INET
_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "socket.getnameinfo"}


def _note(kind, detail):
    with open(_LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps({"event": kind, "detail": repr(detail)[:300]}) + "\n")


def _hook(event, args):
    if event == "socket.__new__":
        if args[1] in _INET:
            _note(event, args[1:])
            raise PermissionError("Internet sockets are refused by the offline test")
    elif event in ("socket.connect", "socket.sendto", "socket.bind"):
        if getattr(args[0], "family", None) in _INET:
            _note(event, args[1:])
            raise PermissionError("Internet sockets are refused by the offline test")
    elif event in _LOOKUPS:
        _note(event, args)
        raise PermissionError("host lookups are refused by the offline test")
    elif event == "import" and args[0] == "onnxruntime":
        _note("onnxruntime-import", os.environ.get("ORT_DISABLE_TELEMETRY"))


sys.addaudithook(_hook)
_note("guard-loaded", os.getpid())


@atexit.register
def _linger():
    seconds = float(os.environ.get("STARCOACH_NET_LINGER_S") or 0)
    if seconds and "onnxruntime" in sys.modules:
        time.sleep(seconds)
