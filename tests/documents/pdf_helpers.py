"""Reading back what WeasyPrint wrote, without a PDF library: the document information
dictionary lives in compressed object streams, which zlib opens."""

import re
import zlib


def pdf_streams(pdf: bytes) -> bytes:
    """The raw PDF followed by every stream that inflates."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode()
    return raw[1:-1].replace(rb"\(", b"(").replace(rb"\)", b")").decode("latin-1")


def pdf_info(pdf: bytes, key: str) -> str | None:
    """The value of `/key` (Title, Author, Lang…) wherever it is written."""
    match = re.search(
        rb"/" + key.encode() + rb"\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", pdf_streams(pdf)
    )
    return _string(match.group(1)) if match else None
