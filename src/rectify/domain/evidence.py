"""Evidence (佐证材料): metadata in events, content in a content-addressed blob store.

The event log holds only what identifies and describes a file (sha256, sanitised
original name, media type, size, the date it is evidence for, what it supports); the
bytes live in a `BlobStore` under their sha256, so identical content is stored once
and any later change to a stored file is detected on read.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from typing import Protocol, TypedDict
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput, NotFound, StoreError

DEFAULT_MAX_SIZE = 50 * 1024 * 1024  # 50 MiB
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MAX_NAME = 200


class EvidenceMeta(TypedDict):
    sha256: str
    original_name: str
    media_type: str
    size: int
    finding_ref: str | None
    indicator_code: str | None


class BlobCorrupted(StoreError):
    """A stored blob no longer matches its sha256."""


def sanitise_name(name: str) -> str:
    """A display-safe file name: no directories, no `..`, no control characters."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = base.replace("..", "")
    base = base.strip().lstrip(".").strip()
    if len(base) > _MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (
            (stem[: _MAX_NAME - len(ext) - 1] + dot + ext)
            if dot and len(ext) < 16
            else base[:_MAX_NAME]
        )
    return base or "未命名"


def check_sha256(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise InvalidInput(f"不是合法的 sha256 摘要：{sha256!r}（应为 64 位小写十六进制）")
    return sha256


def check_size(size: int, max_size: int, what: str) -> None:
    if size > max_size:
        raise InvalidInput(
            f"{what} 过大：{size} 字节，超过上限 {max_size} 字节（{max_size / 1024 / 1024:.0f} MiB）"
        )


def read_evidence_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """The file's bytes; a missing, unreadable or too large file is `InvalidInput`."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InvalidInput(f"佐证材料文件 {path} 不存在") from None
    except OSError as exc:
        raise InvalidInput(f"佐证材料文件 {path} 无法读取：{exc.strerror or exc}") from None
    if not path.is_file():
        raise InvalidInput(f"佐证材料 {path} 不是普通文件")
    check_size(stat.st_size, max_size, f"佐证材料文件 {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"佐证材料文件 {path} 无法读取：{exc.strerror or exc}") from None
    check_size(len(data), max_size, f"佐证材料文件 {path}")
    return data


class BlobStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store `data`; return its sha256 (hex). Storing the same bytes again is a no-op."""
        ...

    def get(self, sha256: str) -> bytes:
        """The bytes; `NotFound` if absent, `BlobCorrupted` if they no longer match."""
        ...

    def exists(self, sha256: str) -> bool: ...


class FileBlobStore:
    """Blobs as files `root/ab/cd/<sha256>`, written to a temp file then renamed."""

    def __init__(self, root: Path, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.root = Path(root)
        self.max_size = max_size

    def _path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        check_size(len(data), self.max_size, "佐证材料")
        sha256 = hashlib.sha256(data).hexdigest()
        target = self._path(sha256)
        if target.exists():
            return sha256
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                # Content-addressed blobs never change: store them read-only.
                os.chmod(tmp, 0o444)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StoreError(f"佐证材料库 {self.root} 无法写入：{exc.strerror or exc}") from exc
        return sha256

    def get(self, sha256: str) -> bytes:
        path = self._path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"佐证材料内容 {sha256} 不在材料库 {self.root} 中") from None
        except OSError as exc:
            raise StoreError(f"佐证材料内容 {path} 无法读取：{exc.strerror or exc}") from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise BlobCorrupted(
                f"佐证材料内容 {path} 已损坏或被改动：应为 sha256 {sha256}，实际为 {actual}"
            )
        return data

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()


class Evidence(RectifyAggregate):
    """One submitted file, as evidence for a finding and/or an indicator."""

    TOPIC = "rectify/Evidence"

    @staticmethod
    def create_id(sha256: str, finding_ref: str | None, indicator_code: str | None) -> UUID:
        # The same content submitted again for the same thing is the same evidence.
        return derived_id("evidence", f"{sha256}|{finding_ref or ''}|{indicator_code or ''}")

    @event("Submitted", topic="rectify/Evidence.Submitted")
    def __init__(
        self,
        sha256: str,
        original_name: str,
        media_type: str,
        size: int,
        effective_date: date,
        submitted_by: str,
        finding_ref: str | None,
        indicator_code: str | None,
    ) -> None:
        self.sha256 = sha256
        self.original_name = original_name
        self.media_type = media_type
        self.size = size
        self.effective_date = effective_date
        # Also the event's `actor`; kept as a named fact because it is what auditors ask.
        self.submitted_by = submitted_by
        self.finding_ref = finding_ref
        self.indicator_code = indicator_code

    @staticmethod
    def describe(
        *,
        sha256: str,
        original_name: str,
        size: int,
        media_type: str | None,
        finding_ref: str | None,
        indicator_code: str | None,
    ) -> EvidenceMeta:
        """Validated, normalised metadata for a new Evidence (raises InvalidInput)."""
        check_sha256(sha256)
        finding_ref = finding_ref.strip() if finding_ref and finding_ref.strip() else None
        indicator_code = (
            indicator_code.strip() if indicator_code and indicator_code.strip() else None
        )
        if finding_ref is None and indicator_code is None:
            raise InvalidInput(f"佐证材料 {original_name}：须说明支持哪个问题或哪个指标")
        if size < 0:
            raise InvalidInput(f"佐证材料 {original_name}：大小不能为负数")
        name = sanitise_name(original_name)
        if media_type is None or not media_type.strip():
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        media_type = media_type.strip().lower()
        if not re.match(r"^[a-z0-9.+-]+/[a-z0-9.+-]+$", media_type):
            raise InvalidInput(f"佐证材料 {name}：媒体类型 {media_type!r} 不合法")
        return EvidenceMeta(
            sha256=sha256,
            original_name=name,
            media_type=media_type,
            size=size,
            finding_ref=finding_ref,
            indicator_code=indicator_code,
        )
