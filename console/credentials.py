"""Where a signed-in CLI shift keeps its token: a file only its OS user can read.

`gridcall login` writes one token per store (keyed by the store's address, passwords left
out) to `tokens.json` in the user's state directory (GRIDCALL_STATE_DIR overrides), mode 0600
in a 0700 directory. The token proves the login for one shift; the store keeps only its hash.
A service account's script passes its API token in GRIDCALL_TOKEN instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from platformdirs import user_state_dir

ENV_STATE = "GRIDCALL_STATE_DIR"
ENV_TOKEN = "GRIDCALL_TOKEN"


def state_dir() -> Path:
    override = os.environ.get(ENV_STATE)
    return Path(override).expanduser() if override else Path(user_state_dir("gridcall"))


def tokens_path() -> Path:
    return state_dir() / "tokens.json"


def _read() -> dict[str, str]:
    try:
        data = json.loads(tokens_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def saved_token(store_key: str) -> str | None:
    """The token kept for this store: GRIDCALL_TOKEN first (a service), then the file."""
    return os.environ.get(ENV_TOKEN) or _read().get(store_key)


def keep_token(store_key: str, token: str) -> Path:
    """Keep the token for this store, replacing any before it; only this OS user can read it."""
    data = _read() | {store_key: token}
    return _write(data)


def forget_token(store_key: str) -> str | None:
    """Drop this store's token from the file; the token it held, if any."""
    data = _read()
    token = data.pop(store_key, None)
    if token is not None:
        _write(data)
    return token


def _write(data: dict[str, str]) -> Path:
    path = tokens_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    spare = path.with_suffix(".tmp")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.chmod(spare, 0o600)  # O_CREAT's mode does not change a file that was already there
    os.replace(spare, path)
    return path
