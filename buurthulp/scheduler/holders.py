"""Who holds a lease or a run lock: "host:pid:random", and whether that process is gone.

A scheduler killed with SIGKILL (or the OOM killer, or a power cut of a container) never
releases what it held. Its lease and locks lapse by time; a successor on the same host
need not wait for that when the holder's process no longer exists.
"""

import os
import socket
import uuid


def this_host() -> str:
    return socket.gethostname()[:60]


def new_holder() -> str:
    """A name for one scheduler process or one manual run: host, pid and a random part."""
    return f"{this_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_gone(holder: str | None) -> bool:
    """True only when `holder` ran on this host and its process has ended. Another host's
    holder, or an unreadable name, is never judged: its lock lapses by time."""
    if not holder:
        return False
    parts = holder.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != this_host() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False  # this process itself: an earlier run of ours that did not finish
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    # A killed child its parent has not reaped yet still answers kill(pid, 0).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
