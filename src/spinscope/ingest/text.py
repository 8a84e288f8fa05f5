"""Plain text and raw bytes to a Document: clean, detect the encoding, read the SemEval title layout."""

from __future__ import annotations

import codecs
import re
from dataclasses import replace

from ..document import Document, Notice, Paragraph, Source
from ..encoder import count_word_pieces
from ..errors import BinaryInput, EmptyInput, InputTooLarge, UndecodableInput
from .chrome import reads_as_title, strip_chrome
from .language import check_english
from .markdown import MARKDOWN_SUFFIXES, from_markdown, looks_like_markdown
from .repair import rebuild

MAX_BYTES = 5 * 1024 * 1024
# The longest text analysed as one article. Memory grows with the encoder's word pieces, about 5 KB
# each over a base of 0.5 GB (both encoder passes' token states, the actors' running sums), so the
# limit that keeps one article within the 1.5 GB budget is counted in word pieces: 180,000 of them,
# about 140,000 words of plain English prose, 25 times a long feature (README, *Speed and memory*).
# Characters are only the cheap first check: a text of digits and symbols has twice as many word
# pieces per character as prose. Longer inputs are collections: analyse them as a folder of files.
MAX_CHARS = 1_000_000
MAX_WORD_PIECES = 180_000

# Magic numbers of the binary formats people most often hand over by mistake.
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, ODF or EPUB file)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable program"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg audio or video file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
]
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Line and paragraph separators of other conventions; everything else in Cc (and lone surrogates,
# which cannot be written out as UTF-8) is dropped, except tab and newline.
_NEWLINES = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ud800-\udfff]")
_LETTER = re.compile(r"[^\W\d_]")
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|section|div|p|meta|title|h[1-6]|table|ul|ol)\b"
    r"|<!--|<\?xml",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def clean(text: str) -> str:
    """Normalise newlines to ``\\n`` and drop the BOM, NUL and other control characters but tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_NEWLINES)
    return _CONTROL.sub("", text)


def from_text(text: str, *, source: Source | None = None) -> Document:
    """A Document from plain text: cleaned, paragraphs rebuilt, lost words flagged, title read."""
    source = replace(source) if source is not None else Source(kind="text")
    text = clean(text)
    if not text.strip():
        raise EmptyInput("the input holds no text (it is empty or only whitespace).")
    check_size(text)
    if looks_like_markdown(text):
        return from_markdown(text, source=source)
    if not _LETTER.search(text):
        raise EmptyInput("the input holds no words (only digits, punctuation or symbols).")
    check_english(text)
    chrome = strip_chrome(text)
    source.author = source.author or chrome.author
    source.published = source.published or chrome.published
    title, body = (chrome.title, chrome.text) if chrome.title is not None else _split_title(chrome.text)
    rebuilt = rebuild(body)
    if title is None:
        doc_text, shift, paragraphs = rebuilt.text, 0, []
    else:
        source.title = title
        shift = len(title) + 2
        doc_text = f"{title}\n\n{rebuilt.text}" if rebuilt.text else title
        paragraphs = [Paragraph(0, len(title))]
    paragraphs += [Paragraph(p.start + shift, p.end + shift) for p in rebuilt.paragraphs]
    warnings = [
        Notice(
            w.code,
            w.message,
            None if w.start is None else w.start + shift,
            None if w.end is None else w.end + shift,
        )
        for w in rebuilt.warnings
    ]
    if chrome.dropped:
        warnings.append(chrome.notice())
    if not doc_text.strip():
        raise EmptyInput("the input holds no text (it is empty or only whitespace).")
    return Document(text=doc_text, source=source, paragraphs=paragraphs, warnings=warnings)


def check_size(text: str) -> None:
    """Refuse a text longer than one article can be (``MAX_CHARS``, then ``MAX_WORD_PIECES``)."""
    if len(text) > MAX_CHARS:
        raise InputTooLarge(
            f"the text is {len(text) / 1e6:.1f} million characters (about {len(text.split()):,} words); "
            f"spinscope analyses at most {MAX_CHARS / 1e6:g} million characters as one article: split it "
            "into articles and analyse the folder of them."
        )
    # A word piece covers at least one character, so shorter texts need no count.
    if len(text) > MAX_WORD_PIECES and (pieces := count_word_pieces(text)) > MAX_WORD_PIECES:
        raise InputTooLarge(
            f"the text is {pieces:,} word pieces (about {len(text.split()):,} words); spinscope analyses at most "
            f"{MAX_WORD_PIECES:,} as one article, to stay within 1.5 GB of memory: split it into articles and "
            "analyse the folder of them."
        )


def _split_title(text: str) -> tuple[str | None, str]:
    """The SemEval article layout: one short title line, a blank line, then the body."""
    match = re.match(r"\s*([^\n]+)\n[ \t]*\n(?=\s*\S)", text)
    if match is None:
        return None, text
    title = " ".join(match.group(1).split())
    if not reads_as_title(title):
        return None, text
    return title, text[match.end() :]


def from_bytes(data: bytes, *, source: Source | None = None) -> Document:
    """A Document from raw bytes: refuse binary, detect the encoding, then read as HTML or text."""
    if len(data) > MAX_BYTES:
        raise InputTooLarge(
            f"the input is {_mb(len(data))}; spinscope reads at most {_mb(MAX_BYTES)} of text."
        )
    return document_from_bytes(data, source=source)


def document_from_bytes(
    data: bytes, *, source: Source | None = None, charset: str | None = None, html: bool | None = None
) -> Document:
    """Like ``from_bytes`` without the size cap; ``charset`` and ``html`` are hints from HTTP headers."""
    text = decode(data, charset=charset)
    if html is None:
        path = (source.path or "") if source is not None else ""
        html = path.lower().endswith(_HTML_SUFFIXES) or looks_like_html(text)
    if html:
        from .html import from_html

        return from_html(text, source=source)
    path = (source.path or "") if source is not None else ""
    if path.lower().endswith(MARKDOWN_SUFFIXES):
        return from_markdown(clean(text), source=source)
    return from_text(text, source=source)


def decode(data: bytes, *, charset: str | None = None) -> str:
    """Bytes to text: a BOM, else UTF-8, else the declared charset, else charset-normalizer's best guess."""
    if not data.strip():
        raise EmptyInput("the input holds no text (it is empty or only whitespace).")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise UndecodableInput(
                    f"the input starts with a {encoding} byte-order mark but is not {encoding}."
                ) from err
    kind = sniff_binary(data)
    if kind is not None:
        raise BinaryInput(
            f"the input looks like {kind}, not text or HTML; save the article as text or HTML first."
        )
    text = _decode_text(data, charset)
    # Random bytes can pass as some 8-bit encoding; real text has almost no control characters.
    controls = sum(1 for c in text if (c < " " and c not in "\n\r\t") or "\x7f" <= c < "\xa0")
    if controls > max(8, len(text) // 20):
        raise BinaryInput("the input looks like binary data, not text or HTML.")
    return text


def _decode_text(data: bytes, charset: str | None) -> str:
    # Valid UTF-8 with non-ASCII bytes is almost never an accident, while servers often declare
    # ISO-8859-1 for UTF-8 pages; so UTF-8 wins over the declared charset.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in (charset, _meta_charset(data)):
        if declared:
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown declared charset: detect it instead
    from charset_normalizer import from_bytes as detect

    matches = detect(data)
    best = matches.best()
    if best is None:
        raise UndecodableInput(
            "the input is not UTF-8 and its text encoding could not be detected; convert it to UTF-8 first."
        )
    # Several 8-bit code pages often fit equally well (Central European cp1250 turns "ñ" into "ń");
    # for text spinscope can read, Windows-1252 is by far the likeliest, so it wins a tie.
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its top, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def sniff_binary(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None if it may be text."""
    head = data[:64]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[head[8:12]]
    if b"\x00" in data[:65536]:
        return "binary data (it contains NUL bytes)"
    return None


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML page or fragment (plain text mentioning tags does not)."""
    head = text.lstrip()[:1024]
    return head.startswith("<") and _HTML_START.search(head) is not None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size % (1024 * 1024) else f"{size // (1024 * 1024)} MB"
