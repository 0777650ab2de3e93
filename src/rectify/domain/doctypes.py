"""Which documents may be evidence, decided by their content, not by their name.

An allow-list of what a rectification file really is: PDF, images, Office (OOXML
zips with the parts that make them a document, and the old OLE formats), OFD, plain
text (UTF-8 or GB18030) and archives (zip, rar, 7z). Anything else, an empty file,
or a name that claims another type than the content (a renamed executable called
`.xlsx`) is refused, so a reviewer never opens something other than it says.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from rectify.domain.errors import InvalidInput

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (OLE, "application/x-ole-storage"),
)
# An OOXML package is a zip whose main part names its kind.
_OOXML = (
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
)
_OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".wps": "application/msword",
    ".et": "application/vnd.ms-excel",
    ".dps": "application/vnd.ms-powerpoint",
}
# What each extension promises: the media types its content may have.
_PROMISES: dict[str, tuple[str, ...]] = {
    ".pdf": ("application/pdf",),
    ".png": ("image/png",),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".gif": ("image/gif",),
    ".tif": ("image/tiff",),
    ".tiff": ("image/tiff",),
    ".bmp": ("image/bmp",),
    ".webp": ("image/webp",),
    ".docx": (_OOXML[0][1],),
    ".xlsx": (_OOXML[1][1],),
    ".pptx": (_OOXML[2][1],),
    **{ext: (media,) for ext, media in _OLE_TYPES.items()},
    ".ofd": ("application/ofd",),
    ".txt": ("text/plain",),
    ".csv": ("text/plain",),
    ".md": ("text/plain",),
    ".zip": ("application/zip",),
    ".rar": ("application/vnd.rar",),
    ".7z": ("application/x-7z-compressed",),
}
_LABELS = {
    "application/pdf": "PDF",
    "text/plain": "文本",
    "application/zip": "zip 压缩包",
    "application/ofd": "OFD",
    "application/x-ole-storage": "旧版 Office",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # control characters bar \t \n \f \r
ALLOWED = "PDF、图片（PNG/JPEG/GIF/TIFF/BMP/WebP）、Office（docx/xlsx/pptx 及 doc/xls/ppt）、OFD、文本、zip/rar/7z 压缩包"


def _label(media: str) -> str:
    return _LABELS.get(media, media)


def _zip_type(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise InvalidInput(f"佐证材料 {name}：压缩包已损坏，无法读取") from None
    if "[Content_Types].xml" in names:
        for part, media in _OOXML:
            if part in names:
                return media
        raise InvalidInput(f"佐证材料 {name}：Office 文件缺少正文部分（不是完整的 docx/xlsx/pptx）")
    if "OFD.xml" in names:
        return "application/ofd"
    return "application/zip"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _CONTROL.search(text) is None
    return False


def sniff(data: bytes, name: str) -> str:
    """The media type the content shows; `InvalidInput` when it is not on the list."""
    if not data:
        raise InvalidInput(f"佐证材料 {name} 是空文件（0 字节）")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_type(data, name)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, media in _MAGIC:
        if data.startswith(magic):
            if media == "application/x-ole-storage":
                return _OLE_TYPES.get(PurePath(name).suffix.lower(), media)
            return media
    if _is_text(data):
        return "text/plain"
    raise InvalidInput(f"佐证材料 {name}：不是允许的文件类型（按内容判断；允许 {ALLOWED}）")


def check_document(data: bytes, name: str) -> str:
    """The media type to record; the name's extension may not promise another type."""
    media = sniff(data, name)
    promised = _PROMISES.get(PurePath(name).suffix.lower())
    if promised is not None and media not in promised:
        raise InvalidInput(
            f"佐证材料 {name}：文件名表明是 {PurePath(name).suffix} 文件，内容却是 {_label(media)}"
        )
    return media
