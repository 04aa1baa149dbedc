"""The soort-voorziening mapping between two packages: learned from unambiguous pairs, then confirmed.

Packages code soorten differently ('03' Jobcoaching in one, 'JC' in the other). We learn which old
code becomes which new code from pairs that are unambiguous on other grounds: the same BSN with
an equal begindatum, or a person with exactly one running voorziening on each side. This also
works when the new package reset every begindatum. Mappings may be many-to-one.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.reading import decode_text, sniff_delimiter
from srgdesk.core.values import OPEN

BRON_GELIJK = "gelijk"
BRON_GELEERD = "geleerd"
BRON_GEBRUIKER = "gebruiker"


@dataclass(frozen=True)
class CodeKoppeling:
    """Old soort code → new soort code, with how many unambiguous pairs support it."""

    oud: str
    nieuw: str
    steun: int
    omschrijving_oud: str = ""
    omschrijving_nieuw: str = ""
    bron: str = BRON_GELEERD


@dataclass
class CodeTabel:
    """The mapping used by matching. `zelfde_codes`: both packages use the same codes."""

    koppelingen: list[CodeKoppeling] = field(default_factory=list)
    zelfde_codes: bool = True

    def as_dict(self) -> dict[str, str]:
        return {k.oud: k.nieuw for k in self.koppelingen}

    def with_overrides(self, overrides: dict[str, str]) -> CodeTabel:
        """The user's choices win; learned rows for other codes stay."""
        if not overrides:
            return self
        kept = [k for k in self.koppelingen if k.oud not in overrides]
        by_old = {k.oud: k for k in self.koppelingen}
        for oud, nieuw in overrides.items():
            learned = by_old.get(oud)
            kept.append(
                CodeKoppeling(
                    oud,
                    nieuw,
                    learned.steun if learned and learned.nieuw == nieuw else 0,
                    learned.omschrijving_oud if learned else "",
                    "",
                    BRON_GEBRUIKER,
                )
            )
        kept.sort(key=lambda k: k.oud)
        zelfde = all(k.oud == k.nieuw for k in kept)
        return CodeTabel(kept, zelfde)


def _normalise_text(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in plain if not unicodedata.combining(c)))


def _most_common_text(series: pd.Series) -> pd.Series:
    """Most frequent omschrijving per soort code."""
    counts = series.reset_index().value_counts()
    return counts.reset_index().drop_duplicates("soort").set_index("soort")["omschrijving"]


def learn_codes(oud: pd.DataFrame, nieuw: pd.DataFrame, candidates: pd.DataFrame) -> CodeTabel:
    """Learn old soort → new soort from unambiguous candidate pairs (same BSN).

    `candidates` has one row per (old, new) record pair with the same BSN and columns
    o (old index), n (new index). Returns identity rows when codes agree.
    """
    old_codes = set(oud["soort"].unique())
    new_codes = set(nieuw["soort"].unique())
    old_text = (
        _most_common_text(oud.set_index("soort")["omschrijving"])
        if len(oud)
        else pd.Series(dtype=object)
    )
    new_text = (
        _most_common_text(nieuw.set_index("soort")["omschrijving"])
        if len(nieuw)
        else pd.Series(dtype=object)
    )

    o, n = candidates["o"].to_numpy(), candidates["n"].to_numpy()
    so, sn = oud["soort"].to_numpy()[o], nieuw["soort"].to_numpy()[n]
    equal_begin = oud["begindatum"].to_numpy()[o] == nieuw["begindatum"].to_numpy()[n]
    running_old = oud["einddatum"].to_numpy()[o] == OPEN
    running_new = nieuw["einddatum"].to_numpy()[n] == OPEN
    both_running = running_old & running_new
    # A person with exactly one running voorziening on each side.
    frame = pd.DataFrame({"o": o, "n": n, "both": both_running})
    running_pairs = frame[frame["both"]]
    olds_per_bsn = running_pairs.groupby("n")["o"].transform("nunique")
    news_per_bsn = running_pairs.groupby("o")["n"].transform("nunique")
    single = pd.Series(False, index=frame.index)
    single[running_pairs.index] = ((olds_per_bsn == 1) & (news_per_bsn == 1)).to_numpy()
    anchor = equal_begin | single.to_numpy()
    votes = pd.DataFrame({"oud": so[anchor], "nieuw": sn[anchor]})
    support = votes.value_counts().rename("steun").reset_index()

    koppelingen: list[CodeKoppeling] = []
    for code in sorted(old_codes):
        rows = support[support["oud"] == code]
        if rows.empty:
            if code in new_codes:
                koppelingen.append(
                    CodeKoppeling(
                        code, code, 0, old_text.get(code, ""), new_text.get(code, ""), BRON_GELIJK
                    )
                )
            continue
        best = _best_target(code, rows, old_text, new_text)
        steun = int(rows.loc[rows["nieuw"] == best, "steun"].sum())
        bron = BRON_GELIJK if best == code else BRON_GELEERD
        koppelingen.append(
            CodeKoppeling(code, best, steun, old_text.get(code, ""), new_text.get(best, ""), bron)
        )
    zelfde = all(k.oud == k.nieuw for k in koppelingen)
    return CodeTabel(koppelingen, zelfde)


def _best_target(code: str, rows: pd.DataFrame, old_text: pd.Series, new_text: pd.Series) -> str:
    """Most votes wins; a similar omschrijving breaks near-ties."""
    wanted = _normalise_text(str(old_text.get(code, "")))

    def rank(row: pd.Series) -> tuple[float, int]:
        similar = bool(wanted) and _normalise_text(str(new_text.get(row["nieuw"], ""))) == wanted
        return (row["steun"] * (1.5 if similar else 1.0), int(row["nieuw"] == code))

    return max((row for _, row in rows.iterrows()), key=rank)["nieuw"]


def read_codes_file(path: Path | str) -> dict[str, str]:
    """A user's code table: CSV with columns 'oud' and 'nieuw' (the codetabel.csv srgdesk writes)."""
    path = Path(path)
    try:
        text, _ = decode_text(path.read_bytes())
    except OSError as exc:
        raise InvoerFout(f"Codetabel {path} kan niet worden gelezen. Controleer de naam.") from exc
    delimiter = sniff_delimiter(text) or ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    old_key = fields.get("oud") or fields.get("soort oud") or fields.get("code oud")
    new_key = fields.get("nieuw") or fields.get("soort nieuw") or fields.get("code nieuw")
    if not old_key or not new_key:
        raise InvoerFout(
            f"Codetabel {path.name} moet de kolommen 'oud' en 'nieuw' hebben. "
            f"Gevonden: {', '.join(reader.fieldnames or [])}."
        )
    mapping: dict[str, str] = {}
    for row in reader:
        oud_code, nieuw_code = (row.get(old_key) or "").strip(), (row.get(new_key) or "").strip()
        if oud_code and nieuw_code:
            mapping[oud_code] = nieuw_code
    return mapping
