"""Evidence: sanitised metadata in events, content in a content-addressed blob store."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from rectify.bootstrap import House
from rectify.domain.clock import FixedClock
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound, StoreError
from rectify.domain.evidence import (
    BlobCorrupted,
    BlobStore,
    Evidence,
    FileBlobStore,
    read_evidence_file,
    sanitise_name,
)
from rectify.domain.identity import Principal, Role, acting_as

BUREAU = Principal("局长", Role.BUREAU)
DEPT = Principal("教育局用户", Role.DEPARTMENT, department="D01")
OTHER = Principal("卫健委用户", Role.DEPARTMENT, department="D02")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("报告.pdf", "报告.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\整改..报告.docx", "整改报告.docx"),
        ("a\x00b\x1f\nc.txt", "abc.txt"),
        ("..", "未命名"),
        ("/", "未命名"),
        ("..hidden", "hidden"),
        ("a\u202eexe.pdf", "aexe.pdf"),  # bidi override is a format control char
    ],
)
def test_sanitise_name(raw: str, clean: str) -> None:
    out = sanitise_name(raw)
    assert out == clean
    assert "/" not in out and "\\" not in out and ".." not in out


def test_blob_store_content_addressed(tmp_path: Path) -> None:
    store: BlobStore = FileBlobStore(tmp_path / "blobs")
    data = b"evidence bytes"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.put(data) == sha  # stored once
    files = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert len(files) == 1
    assert files[0].name == sha
    assert store.exists(sha)
    assert store.get(sha) == data
    missing = hashlib.sha256(b"other").hexdigest()
    assert not store.exists(missing)
    with pytest.raises(NotFound, match=missing):
        store.get(missing)
    with pytest.raises(InvalidInput, match="sha256"):
        store.get("../../etc/passwd")


def test_blob_store_detects_tampering(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    sha = store.put(b"original")
    path = tmp_path / sha[:2] / sha[2:4] / sha
    os.chmod(path, 0o644)
    path.write_bytes(b"altered")
    with pytest.raises(BlobCorrupted, match="已损坏") as info:
        store.get(sha)
    assert isinstance(info.value, StoreError)
    assert hashlib.sha256(b"altered").hexdigest() in info.value.message


def test_size_limit(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path, max_size=10)
    with pytest.raises(InvalidInput, match="过大"):
        store.put(b"x" * 11)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 11)
    with pytest.raises(InvalidInput, match="big.bin 过大"):
        read_evidence_file(big, max_size=10)
    assert FileBlobStore(tmp_path).max_size == 50 * 1024 * 1024


def test_missing_and_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput, match=r"nope\.pdf 不存在"):
        read_evidence_file(tmp_path / "nope.pdf")
    with pytest.raises(InvalidInput, match="不是普通文件"):
        read_evidence_file(tmp_path)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"x")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    # Simulated: the tests may run as root, for whom file modes do not bite.
    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InvalidInput, match="locked.pdf 无法读取：Permission denied"):
        read_evidence_file(locked)


def test_describe_validates() -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    meta = Evidence.describe(
        sha256=sha,
        original_name="../预算 执行表.xlsx",
        size=1,
        media_type=None,
        finding_ref=" F-1 ",
        indicator_code="",
    )
    assert meta["original_name"] == "预算 执行表.xlsx"
    assert meta["media_type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert meta["finding_ref"] == "F-1" and meta["indicator_code"] is None
    with pytest.raises(InvalidInput, match="支持哪个问题或哪个指标"):
        Evidence.describe(
            sha256=sha,
            original_name="a",
            size=1,
            media_type=None,
            finding_ref=None,
            indicator_code=None,
        )


@pytest.fixture
def house(sqlite_house: House) -> Iterator[House]:
    house = sqlite_house
    # These scenarios date their steps in late 2025; things done cannot be dated after today.
    assert isinstance(house.clock, FixedClock)
    house.clock.moment = FixedClock.on(date(2026, 1, 5)).moment
    with acting_as(BUREAU):
        house.services.app.save_all(house.findings.register_department("D01", "教育局", None))
        with acting_as(Principal("评价组", Role.EVALUATOR)):
            house.findings.record_finding(
                ref="F-1",
                department_code="D01",
                fiscal_year=2024,
                category="c",
                title="t",
                description="d",
            )
    yield house


def test_submit_and_read_back(house: House, tmp_path: Path) -> None:
    src = tmp_path / "sub" / "整改报告.pdf"
    src.parent.mkdir()
    src.write_bytes(b"%PDF-1.7 report")
    with acting_as(DEPT):
        evidence_id = house.evidence.submit_evidence(
            src,
            effective_date=date(2025, 9, 30),
            finding_ref="F-1",
            original_name="../../整改\x07报告.pdf",
        )
        evidence = house.evidence.get_evidence(evidence_id)
        assert evidence.original_name == "整改报告.pdf"
        assert evidence.media_type == "application/pdf"
        assert evidence.size == len(b"%PDF-1.7 report")
        assert evidence.submitted_by == "教育局用户"
        assert evidence.effective_date == date(2025, 9, 30)
        assert house.evidence.evidence_content(evidence_id) == b"%PDF-1.7 report"
        with pytest.raises(InvalidInput, match="已提交过"):
            house.evidence.submit_evidence(src, effective_date=date(2025, 9, 30), finding_ref="F-1")
        with pytest.raises(InvalidInput, match="须指明所属问题"):
            house.evidence.submit_evidence(
                src, effective_date=date(2025, 9, 30), indicator_code="B21"
            )
    # Only metadata in the event, never the content.
    events = list(house.services.app.repository.event_store.get(evidence_id))
    assert events[0].actor == "教育局用户"  # type: ignore[attr-defined]
    assert not any(b"%PDF" in repr(vars(e)).encode() for e in events)
    with acting_as(OTHER), pytest.raises(NotFound, match="不存在"):  # reads like a missing one
        house.evidence.get_evidence(evidence_id)
    with acting_as(Principal("审计", Role.AUDITOR)):
        with pytest.raises(NotAllowed, match="不能提交"):
            house.evidence.submit_evidence(src, effective_date=date(2025, 9, 30), finding_ref="F-1")
        assert house.evidence.evidence_content(evidence_id) == b"%PDF-1.7 report"
    with acting_as(Principal("评价组", Role.EVALUATOR)):
        indicator_only = house.evidence.submit_evidence(
            src, effective_date=date(2025, 6, 30), indicator_code="B21"
        )
        assert indicator_only != evidence_id


def test_submit_errors(house: House, tmp_path: Path) -> None:
    with acting_as(DEPT):
        with pytest.raises(InvalidInput, match="gone.pdf 不存在"):
            house.evidence.submit_evidence(
                tmp_path / "gone.pdf", effective_date=date(2025, 1, 1), finding_ref="F-1"
            )
        with pytest.raises(NotFound, match="F-404"):
            house.evidence.submit_evidence(
                tmp_path / "gone.pdf", effective_date=date(2025, 1, 1), finding_ref="F-404"
            )
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    with acting_as(OTHER), pytest.raises(NotFound, match="^问题 F-1 不存在$"):
        house.evidence.submit_evidence(f, effective_date=date(2025, 1, 1), finding_ref="F-1")
    house.evidence.evidence_max_size = 2
    house.evidence.blob_store = FileBlobStore(tmp_path / "small", max_size=2)
    with acting_as(DEPT), pytest.raises(InvalidInput, match="过大"):
        house.evidence.submit_evidence(f, effective_date=date(2025, 1, 1), finding_ref="F-1")
