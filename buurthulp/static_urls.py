"""Static file URLs carry a hash of the file's content (`/static/css/site.css?v=3f2a9c01d2`).

nginx (deploy/nginx) then caches a versioned URL for a year, and a release that changes a
file changes its URL, so no browser keeps an old stylesheet or script. The hash is computed
once per file and modification time, not per request.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app


@lru_cache(maxsize=1024)
def _content_hash(path: str, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()[:10]


def file_version(static_folder: str, filename: str) -> str | None:
    """A short hash of the file's content; None when the file is not there."""
    root = Path(static_folder).resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return _content_hash(str(path), path.stat().st_mtime_ns)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "v" in values or not values.get("filename"):
        return
    version = file_version(current_app.static_folder, values["filename"])
    if version:
        values["v"] = version


def init_static_urls(app: Flask) -> None:
    app.url_defaults(_add_version)
