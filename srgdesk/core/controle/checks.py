"""The checks of the monthly control: each reads the match result (and the cleaned exports it
holds) and returns the signaleringen of one or a few codes as a frame (see model.py)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from srgdesk.core import gemeenten
from srgdesk.core.cleaning import ONGELDIG, Probleem, Voorzieningen
from srgdesk.core.controle.model import DEZE, VORIGE, signaleringen_frame, soort
from srgdesk.core.fields import VELD_BY_NAAM
from srgdesk.core.matching import KEY, MatchResultaat
from srgdesk.core.values import days_to_nl
from srgdesk.core.verslagmaand import Periode
from srgdesk.core.vocabulary import Status, Zekerheid

# SRG delivery rule we apply to a registratienummer (DESIGN.md §2): up to 15 characters, letters
# and digits only (leading zeros kept). Cleaning already rejects empty and longer values.
REGNR_TEKENS = r"[A-Za-z0-9]+"
AFWIJKING_DEEL = 0.20  # AANTAL_AFWIJKEND: more than 20 % ...
AFWIJKING_MINIMUM = 10  # ... and at least 10 voorzieningen

_LABEL = {naam: VELD_BY_NAAM[naam].label for naam in VELD_BY_NAAM}
_PRIVATE = {_LABEL["bsn"], _LABEL["geboortedatum"]}


# --- helpers ---------------------------------------------------------------------------------


def laatste_dag(periode: Periode) -> int:
    """Last day of the verslagmaand, as days since 1970."""
    first = np.datetime64(f"{periode.maand[:4]}-{periode.maand[4:]}", "M")
    return (
        int(((first + 1).astype("datetime64[D]") - np.datetime64("1970-01-01", "D")).astype(int))
        - 1
    )


def lopend(frame: pd.DataFrame, periode: Periode) -> np.ndarray:
    """Runs on some day of the verslagmaand: begins on or before its last day, ends on or after
    its first day (or has no einddatum)."""
    begin = frame["begindatum"].to_numpy()
    einde = frame["einddatum"].to_numpy()
    return (begin <= laatste_dag(periode)) & (einde >= periode.eerste_dag)


def mapped_soort(resultaat: MatchResultaat) -> np.ndarray:
    """Last month's soort in this month's codes (the codetabel matching used), per distinct code."""
    codes, uniques = pd.factorize(resultaat.oud.frame["soort"], sort=False)
    table = resultaat.codes.as_dict()
    mapped = np.array([table.get(u, u) for u in uniques], dtype=object)
    return mapped[codes] if len(codes) else np.array([], dtype=object)


def maand_tekst(periode: Periode) -> str:
    return f"{periode.maand[4:]}-{periode.maand[:4]}"


def _sleutel_tekst(registratienummer: str, gemeentecode: str, berichtgevercode: str) -> str:
    return f"nummer {registratienummer} (gemeente {gemeentecode}, berichtgever {berichtgevercode})"


# --- rows that cleaning could not use --------------------------------------------------------


def probleem_code(probleem: Probleem) -> str:
    """Which signalering a cleaning problem of this month's export is."""
    veld, reden = probleem.veld, probleem.reden
    if (veld == "" and reden.startswith("Dubbele regel")) or (
        veld == _LABEL["registratienummer"] and "staat al op regel" in reden
    ):
        return "DUBBELE_SLEUTEL"
    if veld == _LABEL["registratienummer"]:
        return "REGNR_ONGELDIG"
    if veld in (_LABEL["gemeentecode"], _LABEL["berichtgevercode"]):
        return "CODE_ONGELDIG"
    if veld == _LABEL["bsn"]:
        return "BSN_ONGELDIG"
    if veld == _LABEL["einddatum"] and "vóór de begindatum" in reden:
        return "EINDE_VOOR_BEGIN"
    return "REGEL_ONBRUIKBAAR"


def onbruikbare_regels(deze: Voorzieningen) -> pd.DataFrame:
    """Every unusable row of this month's export, one signalering per row and kind of problem."""
    keys = deze.ongeldig.drop_duplicates("regel").set_index("regel")
    seen: set[tuple[int, str]] = set()
    rows: list[tuple[str, int, str]] = []
    for probleem in deze.problemen:
        if probleem.ernst != ONGELDIG or probleem.regel not in keys.index:
            continue
        code = probleem_code(probleem)
        if (probleem.regel, code) in seen:
            continue
        seen.add((probleem.regel, code))
        reden = probleem.tekst(toon_waarde=probleem.veld not in _PRIVATE)
        rows.append((code, probleem.regel, soort(code).uitleg(reden=reden)))
    covered = {regel for regel, _ in seen}
    for row in deze.ongeldig.itertuples():
        if row.regel not in covered:  # never silently: a row without a listed problem
            rows.append(
                ("REGEL_ONBRUIKBAAR", row.regel, soort("REGEL_ONBRUIKBAAR").uitleg(reden=row.reden))
            )
    parts = []
    for code in dict.fromkeys(code for code, _, _ in rows):
        mine = [(regel, uitleg) for c, regel, uitleg in rows if c == code]
        regels = np.array([regel for regel, _ in mine], dtype=np.int64)
        first = keys.loc[regels]
        parts.append(
            signaleringen_frame(
                code,
                DEZE,
                regels,
                first["gemeentecode"].to_numpy(dtype=object),
                first["berichtgevercode"].to_numpy(dtype=object),
                first["registratienummer"].to_numpy(dtype=object),
                np.array([uitleg for _, uitleg in mine], dtype=object),
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def vorige_onbruikbaar(vorige: Voorzieningen) -> pd.DataFrame:
    """Unusable rows of last month's export: they could not be compared (info)."""
    ongeldig = vorige.ongeldig
    uitleg = [soort("VORIGE_ONBRUIKBAAR").uitleg(reden=r) for r in ongeldig["reden"]]
    return signaleringen_frame(
        "VORIGE_ONBRUIKBAAR",
        VORIGE,
        ongeldig["regel"].to_numpy(dtype=np.int64),
        ongeldig["gemeentecode"].to_numpy(dtype=object),
        ongeldig["berichtgevercode"].to_numpy(dtype=object),
        ongeldig["registratienummer"].to_numpy(dtype=object),
        np.array(uitleg, dtype=object),
    ).iloc[: len(ongeldig)]


def regnr_tekens(deze: Voorzieningen) -> pd.DataFrame:
    """REGNR_ONGELDIG for usable rows whose number holds other characters than letters and digits."""
    frame = deze.frame
    numbers = frame["registratienummer"]
    joined = "\x00".join(numbers.tolist())
    if re.fullmatch(f"(?:{REGNR_TEKENS})(?:\x00(?:{REGNR_TEKENS}))*", joined) or numbers.empty:
        return pd.DataFrame()  # one C-level scan proves the whole column clean (the usual case)
    bad = ~numbers.str.fullmatch(REGNR_TEKENS).to_numpy(dtype=bool)
    uitleg = soort("REGNR_ONGELDIG").teksten["uitleg_tekens"]
    return _record_rows("REGNR_ONGELDIG", DEZE, frame[bad], uitleg)


def _record_rows(code: str, bestand: str, rows: pd.DataFrame, uitleg: object) -> pd.DataFrame:
    return signaleringen_frame(
        code,
        bestand,
        rows["regel"].to_numpy(dtype=np.int64),
        rows["gemeentecode"].to_numpy(dtype=object),
        rows["berichtgevercode"].to_numpy(dtype=object),
        rows["registratienummer"].to_numpy(dtype=object),
        uitleg if isinstance(uitleg, np.ndarray) else np.full(len(rows), uitleg, dtype=object),
        rows["bsn"].to_numpy(dtype=object),
    ).iloc[: len(rows)]


# --- checks on the match result --------------------------------------------------------------


def _same_key(regels: pd.DataFrame) -> np.ndarray:
    """Per match row: the old and the new side carry the same key."""
    same = np.ones(len(regels), dtype=bool)
    for k in KEY:
        same &= (regels[f"oud_{k}"] == regels[f"nieuw_{k}"]).to_numpy(dtype=bool)
    return same


def sleutel_gewijzigd_uitleg(
    nieuwe_sleutel: str, nieuwe_regel: object, reden: str, zekerheid: str
) -> str:
    """The uitleg of SLEUTEL_GEWIJZIGD, worded as sure as the pair is (zeker, waarschijnlijk,
    twijfel): never "waarschijnlijk" for a pair matching doubts about."""
    variant = {
        Zekerheid.ZEKER: "uitleg",
        Zekerheid.WAARSCHIJNLIJK: "uitleg_onzeker",
    }.get(Zekerheid(zekerheid), "uitleg_twijfel")
    return soort("SLEUTEL_GEWIJZIGD").uitleg(
        variant,
        nieuwe_sleutel=nieuwe_sleutel,
        nieuwe_regel=nieuwe_regel,
        reden=reden,
        zekerheid=zekerheid,
    )


def sleutel_gewijzigd(resultaat: MatchResultaat) -> pd.DataFrame:
    """One row per old key that continues under another key (a conversiebestand is needed).
    A pair that keeps its key is not a changed key (NUMMER_HERGEBRUIKT judges it)."""
    r = resultaat.regels
    mask = (r["status"] == Status.GEKOPPELD).to_numpy() & (r["oud_index"] >= 0).to_numpy()
    pairs = _select(r, pd.Series(mask & ~_same_key(r)), _OLD_SIDE + _NEW_SIDE)
    uitleg = [
        sleutel_gewijzigd_uitleg(_sleutel_tekst(nr, g, b), regel, reden, zekerheid)
        for nr, g, b, regel, reden, zekerheid in zip(
            pairs["nieuw_registratienummer"],
            pairs["nieuw_gemeentecode"],
            pairs["nieuw_berichtgevercode"],
            pairs["nieuw_regel"],
            pairs["reden"],
            pairs["zekerheid"],
            strict=True,
        )
    ]
    return _old_side("SLEUTEL_GEWIJZIGD", pairs, np.array(uitleg, dtype=object))


def verdwenen(resultaat: MatchResultaat) -> pd.DataFrame:
    r = resultaat.regels
    gone = _select(r, r["status"] == Status.ONTBREEKT, _OLD_SIDE)
    return _old_side("VERDWENEN", gone, soort("VERDWENEN").uitleg())


_OLD_SIDE = [
    "oud_regel",
    "oud_gemeentecode",
    "oud_berichtgevercode",
    "oud_registratienummer",
    "bsn",
]
_NEW_SIDE = [
    "nieuw_registratienummer",
    "nieuw_gemeentecode",
    "nieuw_berichtgevercode",
    "nieuw_regel",
    "reden",
    "zekerheid",
]


def _select(regels: pd.DataFrame, mask: pd.Series, columns: list[str]) -> pd.DataFrame:
    """Only the needed columns of the matching rows (match's frame is wide: don't copy it all)."""
    where = np.flatnonzero(mask.to_numpy())
    return pd.DataFrame({c: regels[c].to_numpy()[where] for c in columns})


def _old_side(code: str, rows: pd.DataFrame, uitleg: object) -> pd.DataFrame:
    return signaleringen_frame(
        code,
        VORIGE,
        rows["oud_regel"].to_numpy(dtype=np.int64),
        rows["oud_gemeentecode"].to_numpy(dtype=object),
        rows["oud_berichtgevercode"].to_numpy(dtype=object),
        rows["oud_registratienummer"].to_numpy(dtype=object),
        uitleg if isinstance(uitleg, np.ndarray) else np.full(len(rows), uitleg, dtype=object),
        rows["bsn"].to_numpy(dtype=object),
    ).iloc[: len(rows)]


def nummer_hergebruikt(resultaat: MatchResultaat) -> pd.DataFrame:
    """Last month's key now used for another person, or for another voorziening of the person."""
    old, new = resultaat.oud.frame, resultaat.nieuw.frame
    r = resultaat.regels
    texts = soort("NUMMER_HERGEBRUIKT")
    # Same key, same person: matching calls it ongewijzigd, or pairs it with doubt (gekoppeld
    # under the same key); the soort or begindatum may say it is another voorziening.
    oud_index = r["oud_index"].to_numpy(dtype=np.int64)
    nieuw_index = r["nieuw_index"].to_numpy(dtype=np.int64)
    gekoppeld = (r["status"] == Status.GEKOPPELD).to_numpy() & (oud_index >= 0) & (nieuw_index >= 0)
    gekoppeld &= _same_key(r)
    where = np.flatnonzero(gekoppeld)
    gekoppeld[where] = (
        old["bsn"].to_numpy()[oud_index[where]] == new["bsn"].to_numpy()[nieuw_index[where]]
    )
    same = (r["status"] == Status.ONGEWIJZIGD).to_numpy() | gekoppeld
    same_o = oud_index[same]
    same_n = nieuw_index[same]
    o, n = same_o, same_n
    mapped = mapped_soort(resultaat)[o]
    other_soort = mapped != new["soort"].to_numpy()[n]
    other_begin = old["begindatum"].to_numpy()[o] != new["begindatum"].to_numpy()[n]
    other = other_soort | other_begin
    o, n, other_soort = o[other], n[other], other_soort[other]
    ob, nb = (
        days_to_nl(old["begindatum"].to_numpy()[o]),
        days_to_nl(new["begindatum"].to_numpy()[n]),
    )
    verschil = [
        ", ".join(
            ([f"soort {so} → {sn}"] if s else [])
            + ([f"begindatum {b1} → {b2}"] if b1 != b2 else [])
        )
        for s, so, sn, b1, b2 in zip(
            other_soort, old["soort"].to_numpy()[o], new["soort"].to_numpy()[n], ob, nb, strict=True
        )
    ]
    uitleg_voorziening = [
        texts.uitleg("uitleg_voorziening", vorige_regel=regel, verschil=v)
        for regel, v in zip(old["regel"].to_numpy()[o], verschil, strict=True)
    ]
    # Same key, another person: not ongewijzigd on either side.
    taken_old = np.zeros(len(old), dtype=bool)
    taken_new = np.zeros(len(new), dtype=bool)
    taken_old[same_o] = True
    taken_new[same_n] = True
    rest_o, rest_n = np.flatnonzero(~taken_old), np.flatnonzero(~taken_new)
    left = pd.DataFrame({c: old[c].to_numpy()[rest_o] for c in [*KEY, "bsn", "regel"]}).assign(
        o=rest_o
    )
    right = pd.DataFrame({c: new[c].to_numpy()[rest_n] for c in [*KEY, "bsn"]}).assign(n=rest_n)
    conflict = left.merge(right, on=KEY, suffixes=("_o", "_n"))
    conflict = conflict[conflict["bsn_o"] != conflict["bsn_n"]]
    uitleg_persoon = [
        texts.uitleg("uitleg_persoon", vorige_regel=regel) for regel in conflict["regel"]
    ]
    index = np.concatenate([n, conflict["n"].to_numpy(dtype=np.int64)])
    rows = new.iloc[index]
    return _record_rows(
        "NUMMER_HERGEBRUIKT",
        DEZE,
        rows,
        np.array(uitleg_voorziening + uitleg_persoon, dtype=object),
    )


# --- checks on this month's export -----------------------------------------------------------


def begin_na_verslagmaand(resultaat: MatchResultaat) -> pd.DataFrame:
    frame, periode = resultaat.nieuw.frame, resultaat.periode_nieuw
    late = frame[frame["begindatum"].to_numpy() > laatste_dag(periode)]
    texts = soort("BEGIN_NA_VERSLAGMAAND")
    uitleg = np.array(
        [
            texts.uitleg(begindatum=d, maand=maand_tekst(periode))
            for d in days_to_nl(late["begindatum"].to_numpy())
        ],
        dtype=object,
    )
    return _record_rows("BEGIN_NA_VERSLAGMAAND", DEZE, late, uitleg)


def _first_rows(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per distinct value of `column`: its first row and how often it occurs."""
    first = frame.drop_duplicates(column, keep="first").set_index(column)
    first["aantal"] = frame[column].value_counts()
    return first


def nieuwe_soortcode(resultaat: MatchResultaat) -> pd.DataFrame:
    """A soort code this month that last month's export did not have (one row per code)."""
    frame = resultaat.nieuw.frame
    known = set(resultaat.oud.frame["soort"])
    fresh = frame[~frame["soort"].isin(known)]
    if fresh.empty:
        return pd.DataFrame()
    first = _first_rows(fresh, "soort")
    omschrijving = (
        fresh[fresh["omschrijving"] != ""]
        .groupby("soort")["omschrijving"]
        .agg(lambda s: s.mode().iat[0])
    )
    texts = soort("NIEUWE_SOORTCODE")
    uitleg = np.array(
        [
            texts.uitleg(
                soort=code,
                omschrijving=omschrijving.get(code, "geen omschrijving"),
                aantal=int(row.aantal),
                regel=int(row.regel),
            )
            for code, row in first.iterrows()
        ],
        dtype=object,
    )
    return _record_rows("NIEUWE_SOORTCODE", DEZE, first.reset_index(), uitleg)


def nieuwe_soortcodes(resultaat: MatchResultaat) -> list[tuple[str, str]]:
    """(code, omschrijving) of each new soort code, for the vertaaltabel email."""
    frame = resultaat.nieuw.frame
    fresh = frame[~frame["soort"].isin(set(resultaat.oud.frame["soort"]))]
    result = []
    for code, group in fresh.groupby("soort", sort=True):
        texts = group["omschrijving"][group["omschrijving"] != ""]
        result.append((str(code), str(texts.mode().iat[0]) if len(texts) else ""))
    return result


def aantal_afwijkend(resultaat: MatchResultaat) -> pd.DataFrame:
    """Running voorzieningen per soort changed by more than 20 % and at least 10."""
    old, new = resultaat.oud.frame, resultaat.nieuw.frame
    mapped = pd.Series(mapped_soort(resultaat), dtype=object)
    vorige = mapped[lopend(old, resultaat.periode_oud)].value_counts()
    deze = new["soort"][lopend(new, resultaat.periode_nieuw)].value_counts()
    both = pd.DataFrame({"vorige": vorige, "deze": deze}).fillna(0).astype(np.int64).sort_index()
    change = both["deze"] - both["vorige"]
    flagged = both[
        (change.abs() >= AFWIJKING_MINIMUM) & (change.abs() > AFWIJKING_DEEL * both["vorige"])
    ]
    texts = soort("AANTAL_AFWIJKEND")
    uitleg = []
    for code, row in flagged.iterrows():
        if row.vorige:
            verschil = f"{(row.deze - row.vorige) / row.vorige:+.0%}".replace("%", " %")
        else:
            verschil = "vorige maand geen"
        uitleg.append(
            texts.uitleg(soort=code, vorige=int(row.vorige), deze=int(row.deze), verschil=verschil)
        )
    return signaleringen_frame(
        "AANTAL_AFWIJKEND",
        DEZE,
        np.zeros(len(flagged), dtype=np.int64),
        "",
        "",
        "",
        np.array(uitleg, dtype=object),
    ).iloc[: len(flagged)]


def lege_levering(resultaat: MatchResultaat) -> pd.DataFrame:
    if lopend(resultaat.nieuw.frame, resultaat.periode_nieuw).any():
        return pd.DataFrame()
    uitleg = soort("LEGE_LEVERING").uitleg(maand=maand_tekst(resultaat.periode_nieuw))
    return signaleringen_frame("LEGE_LEVERING", DEZE, 0, "", "", "", uitleg)


def gemeente_opgeheven(resultaat: MatchResultaat) -> pd.DataFrame:
    """A gemeentecode of a gemeente that no longer exists in the verslagmaand (one row per code)."""
    frame, periode = resultaat.nieuw.frame, resultaat.periode_nieuw
    if frame.empty:
        return pd.DataFrame()
    dag = date(int(periode.maand[:4]), int(periode.maand[4:]), 1)
    known = gemeenten.load_gemeenten()
    first = _first_rows(frame, "gemeentecode")
    gone = [
        code
        for code in first.index
        if (g := known.get(code)) is not None and g.geldig_tot is not None and dag >= g.geldig_tot
    ]
    if not gone:
        return pd.DataFrame()
    texts = soort("GEMEENTE_OPGEHEVEN")
    uitleg = []
    for code in gone:
        waarheen = (
            " en ".join(
                f"opgegaan in {h.nieuwe_naam} ({h.nieuwe_code}) op {h.datum:%d-%m-%Y}"
                for h in gemeenten.opgegaan_in(code)
            )
            or f"opgeheven op {known[code].geldig_tot:%d-%m-%Y}"
        )
        uitleg.append(
            texts.uitleg(
                gemeentecode=code,
                naam=known[code].naam,
                maand=maand_tekst(periode),
                waarheen=waarheen,
                aantal=int(first.at[code, "aantal"]),
                regel=int(first.at[code, "regel"]),
            )
        )
    return _record_rows(
        "GEMEENTE_OPGEHEVEN", DEZE, first.loc[gone].reset_index(), np.array(uitleg, dtype=object)
    )
