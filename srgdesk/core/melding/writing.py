"""Writing a draft: the last BSN gate, then an Outlook-ready .eml and a plain .txt beside it.

The .eml is an unsent message (X-Unsent: 1, no From) that Outlook opens for editing; the .txt
is the same text for any other mail program. Nothing is written when the subject, the text, an
address, the attachment's name or the attachment itself could hold a BSN."""

from __future__ import annotations

import hashlib
import mimetypes
import re
import sys
from collections.abc import Callable, Iterable
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from srgdesk.core.errors import InvoerFout
from srgdesk.core.melding.model import EML_NAAM, Concept, Wijzigingsmelding
from srgdesk.core.melding.scan import bijlage_bevat_bsn, find_bsn
from srgdesk.core.melding.templates import CbsAdressen, Sjabloon, render
from srgdesk.core.melding.validation import valideer
from srgdesk.core.output_files import write_atomically

# A mailto: link is offered only for short texts (subject + body); long links are cut off by
# Windows and some mail programs. The encoded link itself is longer than the text.
MAILTO_MAX = 2000


def eml_bytes(concept: Concept) -> bytes:
    """An unsent message Outlook opens for editing: X-Unsent, no From, CRLF line ends,
    UTF-8 body in quoted-printable and an RFC 2047 encoded subject."""
    message = EmailMessage(policy=policy.SMTP)
    message["To"] = ", ".join(concept.aan)
    if concept.cc:
        message["Cc"] = ", ".join(concept.cc)
    message["Subject"] = concept.onderwerp
    message["X-Unsent"] = "1"
    message.set_content(concept.tekst, charset="utf-8", cte="quoted-printable")
    if concept.bijlage:
        data = concept.bijlage.read_bytes()
        mime, _ = mimetypes.guess_type(concept.bijlage.name)
        maintype, _, subtype = (mime or "application/octet-stream").partition("/")
        message.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=concept.bijlage.name
        )
        # A boundary from the content keeps the file the same for the same melding.
        digest = hashlib.sha256(concept.tekst.encode() + data).hexdigest()[:32]
        message.set_boundary(f"=_srgdesk_{digest}")
    # Python folds a header that fits on one continuation line as "Subject:" CRLF SP "text";
    # mail programs then show the subject with a leading space. Keep it on the first line
    # (at most 78 + 9 characters, well under the 998 that RFC 5322 allows).
    return _EMPTY_FIRST_LINE_RE.sub(rb"\1: ", message.as_bytes(policy=policy.SMTP))


_EMPTY_FIRST_LINE_RE = re.compile(rb"^(Subject|To|Cc):\r\n ", re.MULTILINE)


def past_in_mailto(concept: Concept) -> bool:
    """Short enough for 'Open in mailprogramma' (subject and body under MAILTO_MAX)."""
    return len(concept.onderwerp) + len(concept.tekst) < MAILTO_MAX


def mailto(concept: Concept) -> str | None:
    """A mailto: link with subject and body, or None when it would be too long to open or the
    draft has an attachment (a link cannot carry a file)."""
    if not past_in_mailto(concept) or concept.bijlage is not None:
        return None
    safe = "-_.~!$'()*,;:@/?"
    url = (
        f"mailto:{','.join(quote(a, safe='@.-_') for a in concept.aan)}"
        f"?subject={quote(concept.onderwerp, safe=safe)}"
    )
    if concept.cc:
        url += f"&cc={','.join(quote(a, safe='@.-_') for a in concept.cc)}"
    return url + f"&body={quote(concept.tekst.replace(chr(10), chr(13) + chr(10)), safe=safe)}"


def controleer_geen_bsn(concept: Concept) -> None:
    """The last gate before writing: refuse a draft whose text could contain a BSN."""
    tekst = concept.tekst
    for telefoon in sorted(concept.telefoonnummers, key=len, reverse=True):
        tekst = tekst.replace(telefoon, " TEL ")
    parts: Iterable[str] = (
        concept.onderwerp,
        tekst,
        *concept.aan,
        *concept.cc,
        concept.bijlage.name if concept.bijlage else "",
    )
    if any(find_bsn(part) for part in parts) or (
        concept.bijlage is not None and bijlage_bevat_bsn(concept.bijlage)
    ):
        raise InvoerFout(
            "De e-mail is niet gemaakt: de tekst of de bijlage bevat een nummer dat "
            "een BSN kan zijn. Haal het nummer weg (ook uit het sjabloon). Gegevens met een BSN "
            "gaan alleen via het CBS-portaal."
        )


def maak_concept(
    melding: Wijzigingsmelding,
    sjabloon: Sjabloon | None = None,
    adressen: CbsAdressen | None = None,
) -> Concept:
    """Validate, render and scan; raises InvoerFout listing every problem by field."""
    melding = melding.normalised()
    fouten = valideer(melding)
    if fouten:
        regels = "\n".join(f"- {f.veld}: {f.tekst}" for f in fouten)
        raise InvoerFout(f"De wijzigingsmelding is niet gemaakt. Pas dit aan:\n{regels}")
    concept = render(melding, sjabloon, adressen)
    controleer_geen_bsn(concept)
    return concept


def write_concept(concept: Concept, eml_path: Path, protected: Iterable[Path] = ()) -> Path:
    """Write the .eml and, beside it with the same name, the .txt (UTF-8 with BOM and CRLF, so
    Notepad shows é and ë). Returns the .txt path."""
    controleer_geen_bsn(concept)
    eml_path = Path(eml_path)
    txt_path = eml_path.with_suffix(".txt")
    protected = list(protected)
    eml = eml_bytes(concept)
    txt = concept.as_text().replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig")
    for path, data in ((eml_path, eml), (txt_path, txt)):
        write_atomically(path, _writer(data), protected)
    return txt_path


def _writer(data: bytes) -> Callable[[BinaryIO], None]:
    def write(stream: BinaryIO) -> None:
        stream.write(data)

    return write


def write_melding(
    melding: Wijzigingsmelding,
    folder: Path,
    protected: Iterable[Path] = (),
    sjabloon: Sjabloon | None = None,
) -> tuple[Path, Path]:
    """Validate and write wijzigingsmelding.eml and .txt into `folder`."""
    concept = maak_concept(melding, sjabloon)
    eml_path = Path(folder) / EML_NAAM
    txt_path = write_concept(concept, eml_path, protected)
    return eml_path, txt_path


def reset_dll_search_path() -> bool:
    """In a Windows PyInstaller bundle, undo the bundle's SetDllDirectory before starting a
    mail program, so Outlook does not load the bundle's DLLs. Elsewhere it does nothing."""
    if sys.platform != "win32" or not getattr(sys, "frozen", False):
        return False
    import ctypes

    ctypes.windll.kernel32.SetDllDirectoryW(None)
    return True
