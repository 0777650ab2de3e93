"""Opening a user's .docx/.xlsx: say clearly when it is not one, encrypted or truncated."""

from __future__ import annotations

import zipfile
from pathlib import Path

from rectify.domain.errors import InvalidInput

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted Office files and old .doc/.xls


def check_office_file(path: Path, kind: str) -> None:
    """Raise InvalidInput unless `path` looks like a readable Office Open XML `kind`."""
    if not path.is_file():
        raise InvalidInput(f"{path}：文件不存在")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        raise InvalidInput(
            f"{path}：文件已加密（设有打开密码）或是旧版 Office 格式，请去除密码并另存为 .{kind}"
        )
    if not head.startswith(b"PK"):
        raise InvalidInput(f"{path}：不是 .{kind} 文件")
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InvalidInput(f"{path}：文件已损坏或不完整（可能在复制时被截断）") from None
    if bad is not None:
        raise InvalidInput(f"{path}：文件已损坏（{bad} 校验失败）")
    wanted = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    if wanted not in names:
        raise InvalidInput(f"{path}：不是 .{kind} 文件（缺少 {wanted}）")
