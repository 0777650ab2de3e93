"""Evidence by content, not by name; only readable evidence may be attached; dates of
things done may not lie in the future (the house clock stands on 2025-03-03)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from rectify.bootstrap import House
from rectify.domain.doctypes import check_document
from rectify.domain.errors import InvalidInput, NotFound
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as

BUREAU = Principal("局长", Role.BUREAU)
EVALUATOR = Principal("评价组", Role.EVALUATOR)
DEPT = Principal("教育局用户", Role.DEPARTMENT, department="D01")
TODAY = date(2025, 3, 3)


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


XLSX = zipped("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
DOCX = zipped("[Content_Types].xml", "word/document.xml")


@pytest.mark.parametrize(
    ("data", "name", "media"),
    [
        (b"%PDF-1.7\n...", "报告.pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "现场.png", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "现场照片.JPG", "image/jpeg"),
        (XLSX, "台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            DOCX,
            "整改报告.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "旧台账.xls",
            "application/vnd.ms-excel",
        ),
        (zipped("OFD.xml", "Doc_0/Document.xml"), "发票.ofd", "application/ofd"),
        ("整改情况说明\u3000第一条\n".encode(), "说明.txt", "text/plain"),
        ("整改情况说明\n".encode("gb18030"), "说明-gbk.txt", "text/plain"),
        (zipped("a.pdf"), "材料.zip", "application/zip"),
        (b"Rar!\x1a\x07\x00rest", "材料.rar", "application/vnd.rar"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "材料.7z", "application/x-7z-compressed"),
        (b"%PDF-1.4 no extension", "scan", "application/pdf"),
    ],
)
def test_allowed_documents_are_recognised_by_content(data: bytes, name: str, media: str) -> None:
    assert check_document(data, name) == media


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "空.pdf", "空文件"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "整改.xlsx", "不是允许的文件类型"),
        (b"\x7fELF\x02\x01\x01", "run", "不是允许的文件类型"),
        (b"just text pretending", "台账.xlsx", "内容却是 文本"),
        (zipped("[Content_Types].xml", "docProps/app.xml"), "台账.xlsx", "缺少正文部分"),
        (DOCX, "台账.xlsx", "内容却是"),
        (b"PK\x03\x04garbage", "材料.zip", "压缩包已损坏"),
        (bytes(range(256)) * 4, "blob.bin", "不是允许的文件类型"),
    ],
)
def test_other_content_is_refused(data: bytes, name: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        check_document(data, name)


def _finding(house: House, ref: str = "F-1") -> None:
    with acting_as(BUREAU):
        house.services.app.save_all(house.findings.register_department("D01", "教育局", None))
    with acting_as(EVALUATOR):
        house.findings.record_finding(
            ref=ref,
            department_code="D01",
            fiscal_year=2024,
            category="c",
            title="t",
            description="d",
        )


def _positions(house: House) -> int:
    return house.services.app.recorder.max_notification_id() or 0


def test_refused_evidence_records_nothing(house: House, tmp_path: Path) -> None:
    _finding(house)
    before = _positions(house)
    fake = tmp_path / "台账.xlsx"
    fake.write_bytes(b"MZ\x90\x00 executable")
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    with acting_as(DEPT):
        for path in (fake, empty):
            with pytest.raises(InvalidInput):
                house.evidence.submit_evidence(path, effective_date=TODAY, finding_ref="F-1")
        with pytest.raises(InvalidInput, match="声明的媒体类型"):
            good = tmp_path / "ok.pdf"
            good.write_bytes(b"%PDF-1.4 x")
            house.evidence.submit_evidence(
                good, effective_date=TODAY, finding_ref="F-1", media_type="image/png"
            )
    assert _positions(house) == before
    assert not [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]


def test_future_dates_of_things_done_are_refused(house: House, tmp_path: Path) -> None:
    _finding(house)
    doc = tmp_path / "r.pdf"
    doc.write_bytes(b"%PDF-1.4 r")
    with (
        acting_as(BUREAU),
        pytest.raises(InvalidInput, match="下发日期 2030-01-01 在今天（2025-03-03）之后"),
    ):
        house.findings.issue_finding(
            "F-1",
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="r",
            issued_on=date(2030, 1, 1),
        )
    with acting_as(BUREAU):
        house.findings.issue_finding(
            "F-1",
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="r",
            issued_on=TODAY,
        )
    with acting_as(DEPT):
        with pytest.raises(InvalidInput, match="进展日期 2099-12-31"):
            house.findings.report_progress("F-1", "done", 50, date(2099, 12, 31))
        with pytest.raises(InvalidInput, match="佐证材料所属日期 2025-03-04"):
            house.evidence.submit_evidence(doc, effective_date=date(2025, 3, 4), finding_ref="F-1")
        house.findings.report_progress("F-1", "today is fine", 50, TODAY)


def test_evidence_the_actor_may_not_read_cannot_be_attached(house: House, tmp_path: Path) -> None:
    _finding(house)
    with acting_as(BUREAU):
        house.findings.issue_finding(
            "F-1",
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="r",
            issued_on=TODAY,
        )
    doc = tmp_path / "局内材料.pdf"
    doc.write_bytes(b"%PDF-1.4 bureau only")
    with acting_as(BUREAU):
        bureau_only = house.evidence.submit_evidence(
            doc, effective_date=TODAY, indicator_code="B21"
        )
    missing = UUID(int=1)
    with acting_as(DEPT):
        refusals = []
        for evidence_id in (bureau_only, missing):
            for attempt in (
                lambda e=evidence_id: house.findings.attach_evidence("F-1", e),
                lambda e=evidence_id: house.findings.request_closure("F-1", [e]),
                lambda e=evidence_id: house.evidence.get_evidence(e),
            ):
                with pytest.raises(NotFound) as caught:
                    attempt()
                refusals.append(str(caught.value).replace(str(evidence_id), "ID"))
        # The refusal names neither the file nor who holds it: identical to a missing id.
        assert refusals[:3] == refusals[3:]
        assert "局内材料" not in " ".join(refusals)
    assert house.findings.get_finding("F-1").evidence_ids == []
