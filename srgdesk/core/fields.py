"""The canonical fields of a voorziening and the header names packages use for them."""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache

from srgdesk.core.resources import resource_path


@dataclass(frozen=True)
class Veld:
    """One canonical field: its identifier, a Dutch label, whether a column must exist, its kind."""

    naam: str
    label: str
    verplicht: bool
    soort: str  # "code", "bsn", "maand", "jaar", "tekst", "datum", "getal"


VELDEN: tuple[Veld, ...] = (
    Veld("gemeentecode", "Gemeentecode", True, "code"),
    Veld("berichtgevercode", "Berichtgevercode", True, "code"),
    Veld("verslagmaand", "Verslagmaand", False, "maand"),
    Veld("verslagjaar", "Verslagjaar (als jaar en maand apart staan)", False, "jaar"),
    Veld("bsn", "BSN", True, "bsn"),
    Veld("registratienummer", "Registratienummer voorziening", True, "tekst"),
    Veld("soort", "Soort voorziening (code)", True, "tekst"),
    Veld("omschrijving", "Omschrijving voorziening", False, "tekst"),
    Veld("begindatum", "Begindatum voorziening", True, "datum"),
    # Not required: an export without an einddatum column (a headerless export whose last,
    # empty column fell away) is read as "every voorziening runs on", and the summary says so.
    Veld("einddatum", "Einddatum voorziening", False, "datum"),
    Veld("geboortedatum", "Geboortedatum", False, "datum"),
    Veld("loonwaarde", "Loonwaarde", False, "getal"),
)
# Month names for verslagmaand and ingangsmaand in Dutch text ("januari 2024").
MAANDEN: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
VELD_NAMEN: tuple[str, ...] = tuple(v.naam for v in VELDEN)
VELD_BY_NAAM: dict[str, Veld] = {v.naam: v for v in VELDEN}
VERPLICHTE_VELDEN: tuple[str, ...] = tuple(v.naam for v in VELDEN if v.verplicht)


def normalise_header(name: str) -> str:
    """Lower case, accents removed, only letters and digits: 'Registratie-nr.' → 'registratienr'."""
    return re.sub(r"[^a-z0-9%]", "", _plain(name).lower())


def _plain(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is and it holds no combining marks
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def synonyms() -> dict[str, str]:
    """Normalised header name → field name, from resources/synonyms.toml.

    The table derived from the file as shipped is stored in _synoniemen.py, so a start needs
    neither tomllib nor 300 normalisations; a file changed since (another CRC-32) is read."""
    data = resource_path("synonyms.toml").read_bytes()
    from srgdesk.core import _synoniemen

    if synonyms_crc(data) == _synoniemen.CRC32:
        return _synoniemen.TABEL
    return synonym_table(data)


def synonyms_crc(data: bytes) -> int:
    """CRC-32 of a synonyms.toml, line ends as in the repository (a Windows checkout may have
    turned them into CRLF: the same table)."""
    return zlib.crc32(data.replace(b"\r\n", b"\n"))


def synonym_table(data: bytes) -> dict[str, str]:
    """The synonyms table of the bytes of a synonyms.toml (tools/synoniemen_tabel.py stores the
    shipped file's in _synoniemen.py)."""
    import tomllib

    raw = tomllib.loads(data.decode("utf-8"))
    table: dict[str, str] = {}
    for veld in VELD_NAMEN:
        table[normalise_header(veld)] = veld
        for name in raw.get(veld, {}).get("names", []):
            table.setdefault(normalise_header(name), veld)
    return table


# --- header words ------------------------------------------------------------------------------
# A header is split into words, each spelling mapped to one canonical word, and then compared
# with the word patterns of each field. The spellings are what packages write: abbreviations,
# glued words, English. Words not listed here are "unknown": they lower a match's score.

SPELLINGEN: dict[str, tuple[str, ...]] = {
    "nummer": ("nummer", "nr", "no", "num", "nmr", "number", "id", "ident", "identificatie",
               "kenmerk"),
    "datum": ("datum", "dd", "dat", "dt", "date", "dtm"),
    "voorziening": ("voorziening", "voorzieningen", "voorzienings", "voorz", "vz", "vzg"),
    "berichtgever": ("berichtgever", "berichtgevers", "bg", "aanleveraar", "aanleverancier",
                     "leverancier", "afzender", "bronhouder"),
    "gemeente": ("gemeente", "gemeentes", "gemeenten", "gem", "gm"),
    "begin": ("begin", "beg", "ingang", "ingangs", "start", "aanvang", "aanvangs"),
    "eind": ("eind", "einde", "stop", "beeindiging", "beeindigings", "afsluit", "afsluiting",
             "end"),
    "client": ("client", "clienten", "klant", "deelnemer", "persoon", "aanvrager"),
    "bsn": ("bsn", "burgerservicenummer", "sofi", "sofinummer"),
    "registratie": ("registratie", "reg", "registr"),
    "geboorte": ("geboorte", "geb", "geboren"),
    "soort": ("soort", "srt", "type", "typ"),
    "code": ("code", "cd", "kode", "codes"),
    "omschrijving": ("omschrijving", "omschr", "oms", "beschrijving", "benaming", "toelichting"),
    "naam": ("naam", "name"),
    "product": ("product", "producten", "prod", "instrument", "regeling"),
    "verslag": ("verslag", "rapportage", "statistiek", "peil", "aanlever", "levering",
                "leverings", "meet"),
    "periode": ("periode",),
    "maand": ("maand", "mnd", "month"),
    "jaar": ("jaar", "jr", "year"),
    "loonwaarde": ("loonwaarde", "lw"),
    "percentage": ("percentage", "pct", "perc", "%", "procent"),
    "beschikking": ("beschikking", "beschikkings", "toekenning", "toekennings"),
    "dossier": ("dossier", "zaak"),
    "neutraal": ("cbs", "srg", "jjjjmmdd", "ddmmjjjj", "jjjjmm", "yyyymmdd", "de", "het"),
}  # fmt: skip


@dataclass(frozen=True)
class VeldWoorden:
    """The word patterns that name a field: a header matches a pattern when it holds all of its
    words; `toegestaan` are further words that may appear without changing the meaning."""

    patronen: tuple[frozenset[str], ...]
    toegestaan: frozenset[str] = frozenset()


def _woorden(*patronen: str, toegestaan: str = "") -> VeldWoorden:
    return VeldWoorden(tuple(frozenset(p.split()) for p in patronen), frozenset(toegestaan.split()))


VELD_WOORDEN: dict[str, VeldWoorden] = {
    "gemeentecode": _woorden("gemeente", toegestaan="code nummer naam"),
    "berichtgevercode": _woorden("berichtgever", toegestaan="code nummer naam"),
    "verslagmaand": _woorden(
        "verslag maand", "verslag periode", "jaar maand", "maand", "periode",
        toegestaan="verslag jaar code",
    ),
    "verslagjaar": _woorden("verslag jaar", "jaar"),
    "bsn": _woorden("bsn", toegestaan="client nummer"),
    "registratienummer": _woorden(
        "registratie nummer", "voorziening nummer", "registratie voorziening",
        "beschikking nummer", "dossier nummer voorziening", "beschikking",
        toegestaan="voorziening",
    ),
    "soort": _woorden(
        "soort", "product", "voorziening code", "code", toegestaan="voorziening code product"
    ),
    "omschrijving": _woorden(
        "omschrijving", "voorziening", "naam voorziening", "naam product",
        toegestaan="voorziening soort product naam",
    ),
    "begindatum": _woorden("begin", toegestaan="datum voorziening"),
    "einddatum": _woorden("eind", toegestaan="datum voorziening"),
    "geboortedatum": _woorden("geboorte", toegestaan="datum client"),
    "loonwaarde": _woorden("loonwaarde", toegestaan="percentage"),
}  # fmt: skip
# Weak patterns only decide when nothing more specific claims the header ('SoortVoorz').
_ZWAK = {("soort", frozenset({"code"})), ("omschrijving", frozenset({"voorziening"}))}
MIN_SCORE = 0.5
_UNKNOWN_COST = 0.4
_ALLOWED_BONUS = 0.25

_CANON: dict[str, str] = {
    spelling: woord for woord, spellingen in SPELLINGEN.items() for spelling in spellingen
}
_MAX_PIECE = max(map(len, _CANON))


def _split_glued(token: str) -> list[str]:
    """'nrvoorziening' → ['nr', 'voorziening']: the fewest known pieces that cover the token,
    or the token itself when no such split exists."""
    if token in _CANON or token.isdigit():
        return [token]
    n = len(token)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_PIECE), end):
            previous = best[start]
            piece = token[start:end]
            if previous is not None and piece in _CANON:
                candidate = [*previous, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[n] or [token]


@cache
def header_words(name: str) -> tuple[str, ...]:
    """The canonical words of a header: 'EINDDAT_VZ' → ('eind', 'datum', 'voorziening')."""
    text = _plain(name)
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])", " ", text)
    tokens = re.findall(r"[a-z0-9]+|%", text.lower())
    words: list[str] = []
    for token in tokens:
        for piece in _split_glued(token):
            words.append(_CANON.get(piece, "?" + piece))
    return tuple(w for w in words if w != "neutraal")


@dataclass(frozen=True)
class KopHerkenning:
    """What a header name says: the field and how strongly (0 = nothing)."""

    veld: str | None
    score: float


def _is_data_token(word: str) -> bool:
    """An unknown word with a run of digits ('VZ-0000979'): a value, never a column name."""
    return word.startswith("?") and len(word) > 3 and any(c.isdigit() for c in word)


@cache
def recognise_header(name: str) -> KopHerkenning:
    """The field a header names, from an exact synonym or from its words.

    Unknown words lower the score, a known word that does not belong to the field rules the
    field out ('Klantnummer' is no BSN, 'Registratiedatum' no begindatum)."""
    exact = synonyms().get(normalise_header(name))
    if exact:
        return KopHerkenning(exact, 3.0)
    words = header_words(name)
    if not words or any(_is_data_token(w) for w in words):
        return KopHerkenning(None, 0.0)
    present = set(words)
    unknown = {w for w in present if w.startswith("?")}
    known = present - unknown
    scores: dict[str, float] = {}
    for veld, spec in VELD_WOORDEN.items():
        for patroon in spec.patronen:
            if not patroon <= known:
                continue
            extra = known - patroon
            if not extra <= spec.toegestaan:
                continue
            score = len(patroon) + _ALLOWED_BONUS * len(extra) - _UNKNOWN_COST * len(unknown)
            if (veld, patroon) in _ZWAK:
                score -= 0.5
            scores[veld] = max(scores.get(veld, -1.0), score)
    if not scores:
        return KopHerkenning(None, 0.0)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    veld, score = ranked[0]
    if score < MIN_SCORE or (len(ranked) > 1 and ranked[1][1] == score):
        return KopHerkenning(None, 0.0)  # too weak, or two fields equally named
    return KopHerkenning(veld, score)


def field_for_header(name: str) -> str | None:
    return recognise_header(name).veld


def header_match_count(cells: list[str]) -> int:
    """How many cells of a row are known header names (used to find the header row)."""
    return sum(1 for cell in cells if field_for_header(cell))
