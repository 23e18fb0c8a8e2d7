"""Is the process that started a recording still running? (So ``recover`` leaves it alone.)"""

from __future__ import annotations

import os
import socket
import sys


def owner_tag() -> str:
    """``host:pid`` of this process, stored with a recording in progress."""
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_alive(tag: str | None) -> bool:
    """True when ``tag`` names a process on this machine that still runs."""
    if not tag or ":" not in tag:
        return False
    host, _, pid_text = tag.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    return pid_alive(int(pid_text))


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
