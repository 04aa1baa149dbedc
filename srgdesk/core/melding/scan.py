"""The BSN scan: does a text, a field or an attachment hold a number that can be a BSN?

A BSN can be written in any grouping or decoration: dots, spaces, non-breaking spaces, hyphens,
digits spaced one by one, zero-width characters, full-width or other Unicode digits. The text is
first normalised (NFKC, Unicode digits to 0-9, format and control characters removed, every space
a plain space and every dash a hyphen); then each chain of digit groups joined by at most three
separators (space, dot, hyphen) is tried at every group boundary: any 8 or 9 consecutive digits
that start and end at a boundary and pass the elfproef count. Phone numbers and dates are masked
first, so '06-12345678' and '2027-01-15' are not read as BSNs. Some other numbers pass by chance
(about 1 in 11); a false alarm asks the user to remove the number, which is the safe side.

Attachments are decoded by srgdesk.core.reading (text) or read part by part from the xlsx zip
(every text an xlsx holds: cells, shared strings, sheet names, comments, document properties,
headers and footers, defined names, formulas), with lxml set up to load no DTD and expand no
entity; an xlsx with a DTD is refused.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lxml import etree

from srgdesk.core.bsn import bsn_is_valid
from srgdesk.core.errors import InvoerFout
from srgdesk.core.reading import decode_text

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UITGEPAKT = 200 * 1024 * 1024  # an attachment's xlsx parts together, unpacked
MAX_ONDERDELEN = 10_000
# Parts of an xlsx that hold no text a person typed: skipped. Everything else is read.
_GEEN_TEKST = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf")
_GEEN_TEKST_MAPPEN = ("xl/printersettings/",)
_INGESLOTEN = ("xl/embeddings/", "xl/activex/", "xl/vbaproject.bin")
TELEFOON_VELDEN = ("contact_telefoon", "contact_oud_telefoon")

# --- normalising ------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _ascii_for(match: re.Match[str]) -> str:
    char = match.group()
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category in ("Cf", "Cc", "Mn"):  # zero-width, soft hyphen, bidi marks, combining marks
        return ""
    if category in ("Zs", "Zl", "Zp"):
        return " " if category == "Zs" else "\n"
    if category == "Pd" or char in "\u2212\u2043":  # every dash, the minus sign, hyphen bullet
        return "-"
    return char


def normalise(text: str) -> str:
    """The text as the scan sees it: NFKC, ASCII digits, no invisible characters, one kind of
    space and one kind of dash."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL_RE.sub("", text)
    if not text.isascii():
        text = _NON_ASCII_RE.sub(_ascii_for, text)
    return text


# --- the scan ----------------------------------------------------------------------------------

_SEP = r"[ .\-]"
# Dutch phone numbers: 0 plus 9 digits, or +31 / 0031 plus 9 digits, with separators.
_PHONE_NL_RE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)31[ .\-]*(?:\(0\)[ .\-]*)?|\(?0(?=[1-9 .()\-]))"
    r"(?:\d[ .()\-]{0,3}){8}\d(?!\d)"
)
# Other countries: + and 8 to 15 digits (E.164); +31 is handled above.
_PHONE_INT_RE = re.compile(r"(?<![\d+])\+(?!31)\d(?:[ .()\-]{0,3}\d){7,14}(?!\d)")
_DATE_RE = re.compile(
    r"(?<!\d)(?<!\d[ .\-/])(?:"
    r"(?:19|20)\d\d([\-/.])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[1-9]|[12]\d|3[01])([\-/.])(?:0[1-9]|1[0-2])\2(?:19|20)\d\d"
    r")(?!\d)(?![ .\-/]\d)"
)
_CHAIN_RE = re.compile(rf"\d(?=[\d .\-]{{7}})\d*(?:{_SEP}{{1,3}}\d+)*")  # 8+ characters
_GROUP_RE = re.compile(r"\d+")


def _chain_has_bsn(chain: str) -> bool:
    groups = _GROUP_RE.findall(chain)
    for start in range(len(groups)):
        digits = ""
        for group in groups[start:]:
            digits += group
            if len(digits) > 9:
                break
            if len(digits) >= 8 and bsn_is_valid(digits):
                return True
    return False


# A line can hold a BSN only if it has 8 digits with at most separators between them; the full
# scan runs on those lines only (a 100k-row sheet has few), which keeps it linear and fast.
_CANDIDATE_RE = re.compile(r"\d[\d .()\-+/]{6,}\d")


def find_bsn(text: str) -> bool:
    """True when `text` holds a number that can be a BSN, however it is grouped or decorated."""
    if not text:
        return False
    text = normalise(text)
    if len(text) > 1000:  # nothing of the scan crosses a line end: look at candidate lines only
        text = "\n".join(line for line in text.splitlines() if _CANDIDATE_RE.search(line))
    masked = _PHONE_INT_RE.sub(" TEL ", _PHONE_NL_RE.sub(" TEL ", text))
    masked = _DATE_RE.sub(" DATUM ", masked)
    return any(_chain_has_bsn(m.group()) for m in _CHAIN_RE.finditer(masked))


def is_nederlands_telefoonnummer(value: str) -> bool:
    """A Dutch phone number: 0 plus 9 digits, or +31 / 0031 plus 9 digits (a '(0)' after +31
    allowed); spaces, dots, dashes and brackets between the digits allowed."""
    text = re.sub(r"[\s.\-()]", "", normalise(value).replace("(0)", ""))
    return bool(re.fullmatch(r"0[1-9]\d{8}|(?:\+|00)31[1-9]\d{8}", text))


def bsn_in_veld(naam: str, value: str) -> bool:
    """Whether one field of a melding holds a possible BSN. A phone field that holds a Dutch
    phone number is judged as a phone number, not as nine digits that may pass the elfproef."""
    if naam == "bijlage_pad":  # only the file name goes into the email, not the folders
        value = Path(value).name
    if naam in TELEFOON_VELDEN and is_nederlands_telefoonnummer(value):
        return False
    return find_bsn(value)


# --- attachments -------------------------------------------------------------------------------


def bijlage_bevat_bsn(path: Path) -> bool:
    """Scan every text of a CSV/TXT or XLSX attachment for a possible BSN.

    Raises InvoerFout (Dutch) for a file that cannot be checked: an .xls, an encrypted or broken
    workbook, an xlsx with a DTD, embedded objects or macros."""
    path = Path(path)
    stat = path.stat()
    return _scan_file(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _scan_file(path: Path, mtime_ns: int, size: int) -> bool:
    # Cached on modification time and size: the form re-validates on every key press.
    return any(find_bsn(text) for text in bijlage_teksten(path))


def bijlage_teksten(path: Path) -> Iterator[str]:
    """Every text in the file, decided by its content, not its name (an xlsx renamed to .csv is
    read as an xlsx)."""
    data = Path(path).read_bytes()
    if data.startswith(_ZIP_MAGIC):
        yield from xlsx_teksten(path.name, data)
    elif data.startswith(_CFB_MAGIC):
        raise InvoerFout(
            f"{path.name} is een oud Excel-bestand (.xls) of een bestand met een wachtwoord. "
            "srgdesk kan het niet controleren op een BSN. Sla het op als .xlsx zonder wachtwoord, "
            "of lever het via het CBS-portaal."
        )
    else:
        text, _encoding = decode_text(data)
        yield text


def _onleesbaar(naam: str) -> InvoerFout:
    return InvoerFout(
        f"{naam} kan niet worden gelezen als Excel-bestand. Kies een ander bestand of lever "
        "het conversiebestand via het CBS-portaal."
    )


def xlsx_teksten(naam: str, data: bytes) -> Iterator[str]:
    """One text per part of the xlsx zip: every text node and attribute value, one per line."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _onleesbaar(naam) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ONDERDELEN or sum(i.file_size for i in infos) > MAX_UITGEPAKT:
            raise InvoerFout(
                f"{naam} is uitgepakt te groot om te controleren op een BSN. Lever het "
                "conversiebestand via het CBS-portaal."
            )
        for info in infos:
            lower = info.filename.lower()
            if info.is_dir() or lower.endswith(_GEEN_TEKST) or lower.startswith(_GEEN_TEKST_MAPPEN):
                continue
            if lower.startswith(_INGESLOTEN):
                raise InvoerFout(
                    f"{naam} bevat ingesloten objecten of macro's. srgdesk kan die niet "
                    "controleren op een BSN. Kopieer alleen de cellen naar een nieuw "
                    "Excel-bestand, of lever het via het CBS-portaal."
                )
            try:
                part = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                raise _onleesbaar(naam) from exc
            if lower.endswith((".xml", ".rels", ".vml")) or part.lstrip().startswith(b"<?xml"):
                yield _xml_tekst(naam, part)
                continue
            try:
                yield part.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvoerFout(
                    f"{naam} bevat een onderdeel ({info.filename}) dat srgdesk niet kan "
                    "controleren op een BSN. Sla het op als gewoon .xlsx-bestand, of lever het "
                    "via het CBS-portaal."
                ) from exc


_DOCTYPE_UTF16 = tuple(
    word.encode(codec)
    for word in ("<!DOCTYPE", "<!doctype")
    for codec in ("utf-16-le", "utf-16-be")
)
# Two queries, not one union: libxml2 merges a union's node sets in quadratic time. The cell
# attributes r (reference), s (style), t (type) and spans never hold typed text: left out.
_TEXTS = etree.XPath("//text()", smart_strings=False)
_ATTRIBUTES = etree.XPath(
    "//@*[name()!='r' and name()!='s' and name()!='t' and name()!='spans']", smart_strings=False
)
_COMMENTS = etree.XPath("//comment()")
# Rich text: the containers (shared string, inline string, comment text) of runs (<r>), read as
# one text so a number split over two runs is found. A plain cell is already one text.
_RICH_TEXT = etree.XPath(
    "//m:r/.. | //s:r/..",
    namespaces={
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "s": "http://purl.oclc.org/ooxml/spreadsheetml/main",  # strict OOXML
    },
)
_FLOAT_RE = re.compile(r"^-?\d+(?:\.\d+)?[eE][+-]?\d+$|^-?\d+\.\d+$", re.MULTILINE)


def _dtd_fout(naam: str) -> InvoerFout:
    return InvoerFout(
        f"{naam} bevat een DTD (<!DOCTYPE>). Dat hoort niet in een Excel-bestand en kan "
        "onveilig zijn; srgdesk leest het niet. Open het in Excel en sla het opnieuw op als "
        ".xlsx, of lever het conversiebestand via het CBS-portaal."
    )


def _xml_tekst(naam: str, part: bytes) -> str:
    if b"<!doctype" in part.lower() or any(marker in part for marker in _DOCTYPE_UTF16):
        raise _dtd_fout(naam)
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(part, parser)
    except etree.XMLSyntaxError as exc:
        raise _onleesbaar(naam) from exc
    if root.getroottree().docinfo.doctype:
        raise _dtd_fout(naam)
    pieces: list[str] = [*_TEXTS(root), *_ATTRIBUTES(root)]
    pieces.extend(comment.text or "" for comment in _COMMENTS(root))  # <!-- ... --> in the XML
    pieces.extend("".join(element.itertext()) for element in _RICH_TEXT(root))
    text = "\n".join(pieces)
    numbers = []
    for match in _FLOAT_RE.finditer(text):  # Excel may store 12345672 as 1.2345672E7
        value = float(match.group())
        if value.is_integer() and abs(value) < 1e10:
            numbers.append(str(int(value)))
    return "\n".join([text, *numbers])
