"""The column choice for one export: a drop-down per field, problems found while cleaning."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from srgdesk.applog import mask_numbers
from srgdesk.core.cleaning import PRIVATE_LABELS, Voorzieningen
from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import Export, LaadOpties, export_from_table
from srgdesk.core.fields import VELD_BY_NAAM, VELDEN, recognise_header
from srgdesk.core.mapping import (
    BRON_GEBRUIKER,
    BRON_INHOUD,
    BRON_KOPNAAM,
    BRON_PRESET,
    BRON_VAST,
    ColumnMapping,
    check_vaste_waarde,
    looks_like_bsn_column,
)
from srgdesk.core.reading import RawTable
from srgdesk.gui.frame_model import FrameModel

GEEN_KOLOM = "(geen kolom)"
RED = "color: #b00020;"
BRON_TEKST = {
    BRON_KOPNAAM: "herkend aan de kolomnaam",
    BRON_INHOUD: "herkend aan de inhoud",
    BRON_GEBRUIKER: "door u gekozen",
    BRON_PRESET: "uit de opgeslagen instelling",
    BRON_VAST: "door u opgegeven voor alle regels",
}
# Fields that may get one value for every row here, with the hint shown in the empty box.
# Rows looked at first for a column's example values (see sample_text).
SAMPLE_HEAD = 1000
VAST_HINT = {
    "gemeentecode": "bijv. 0363 of Den Haag",
    "berichtgevercode": "bijv. 4021",
    "verslagmaand": "JJJJMM, bijv. 202401",
}


def looks_like_bsn(column: pd.Series) -> bool:
    """Whether most values of a column pass the elfproef: then its samples are masked."""
    return looks_like_bsn_column(column)


def sample_text(column: pd.Series, count: int = 3, private: bool = False) -> str:
    """A few distinct example values; a column of BSNs shows only their last four digits, a
    private column (geboortedatum) no digits at all."""
    # Distinct raw values in order of appearance, stripped. The first rows nearly always hold
    # `count` of them already, and then they are the column's first `count` too (order of
    # appearance is kept), so the whole column is hashed only when the head falls short.
    for part in (column.iloc[:SAMPLE_HEAD], column):
        text = pd.Series(part.unique()).astype(str).str.strip()
        values = text[text != ""].drop_duplicates().head(count).tolist()
        if len(values) >= count or len(part) == len(column):
            break
    text = ", ".join(v if len(v) <= 20 else v[:18] + "…" for v in values)
    if private:
        text = re.sub(r"\d", "*", text)
    elif text and looks_like_bsn(column):
        text = mask_numbers(text)
    return text or "leeg"


def is_private_column(header: str) -> bool:
    """A column whose header names a geboortedatum: its values are never shown."""
    return recognise_header(header).veld == "geboortedatum"


def problems_frame(result: Voorzieningen) -> pd.DataFrame:
    rows = [
        (
            p.waar,
            p.veld or "hele regel",
            "ongeldig" if p.ernst == "ongeldig" else "waarschuwing",
            p.tekst(toon_waarde=p.veld not in PRIVATE_LABELS),
        )
        for p in result.problemen
    ]
    return pd.DataFrame(rows, columns=["Regel", "Veld", "Gevolg", "Reden"])


class MappingPanel(QWidget):
    """Emits `mapping_changed` after every choice; `result` holds the cleaned export or None."""

    mapping_changed = Signal()

    def __init__(self, rol: str):
        super().__init__()
        self.rol = rol
        self.table: RawTable | None = None
        self.mapping: ColumnMapping | None = None
        self.result: Voorzieningen | None = None
        self.export: Export | None = None
        self._klaar: Export | None = None  # cleaned already (a resume): reused, not redone
        self.error = ""
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.combos: dict[str, QComboBox] = {}
        self.vast_edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        for row, veld in enumerate(VELDEN):
            label = QLabel(veld.label + (" *" if veld.verplicht else ""))
            combo = QComboBox()
            combo.setObjectName(f"{rol}_{veld.naam}")
            combo.setAccessibleName(veld.label)
            combo.setMinimumContentsLength(30)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            label.setBuddy(combo)
            combo.activated.connect(lambda _i, naam=veld.naam: self._picked(naam))
            note = QLabel("")
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(note, row, 2)
            if veld.naam in VAST_HINT:
                edit = QLineEdit()
                edit.setObjectName(f"{rol}_{veld.naam}_vast")
                edit.setPlaceholderText(VAST_HINT[veld.naam])
                edit.setToolTip(
                    "Staat dit gegeven niet in de export, maar is het voor alle regels gelijk? "
                    "Vul het hier één keer in."
                )
                edit.setMinimumWidth(170)
                edit.setAccessibleName(f"{veld.label}: één waarde voor alle regels")
                edit.editingFinished.connect(lambda naam=veld.naam: self._vast_entered(naam))
                grid.addWidget(edit, row, 3)
                self.vast_edits[veld.naam] = edit
            self.combos[veld.naam] = combo
            self.labels[veld.naam] = label
            self.notes[veld.naam] = note
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.uitleg = QLabel("")
        self.uitleg.setWordWrap(True)
        layout.addWidget(self.uitleg)
        self.problem_model = FrameModel()
        self.problems = QTableView()
        self.problems.setModel(self.problem_model)
        self.problems.setAccessibleName("Problemen in de regels")
        self.problems.verticalHeader().setVisible(False)
        self.problems.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.problems.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.problems, 1)

    def set_table(
        self, table: RawTable, mapping: ColumnMapping, klaar: Export | None = None
    ) -> None:
        """Show `table` with `mapping`; `klaar` is that table already cleaned with that mapping
        (a resumed session), so the panel does not clean 100k rows a second time."""
        self.table = table
        self._klaar = klaar
        samples = {
            h: sample_text(table.cells[h], private=is_private_column(h)) for h in table.headers
        }
        for combo in self.combos.values():
            combo.clear()
            combo.addItem(GEEN_KOLOM, None)
            for header in table.headers:
                combo.addItem(f"{header}  —  {samples[header]}", header)
        self.set_mapping(mapping)

    def set_mapping(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        for naam, combo in self.combos.items():
            chosen = mapping.column(naam)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        for naam, edit in self.vast_edits.items():
            edit.setText(mapping.vast.get(naam, ""))
        self._refresh()

    def set_vast(self, naam: str, waarde: str) -> None:
        """One value for every row (no column); '' removes it. A wrong value is shown in red."""
        assert self.mapping is not None
        try:
            checked = check_vaste_waarde(naam, waarde) if waarde.strip() else None
        except InvoerFout as fout:
            self.notes[naam].setText(fout.melding)
            self.notes[naam].setStyleSheet(RED)
            return
        if checked == self.mapping.vast.get(naam) or (
            checked is None and naam not in self.mapping.vast
        ):
            return
        self.set_mapping(self.mapping.with_vast(naam, checked))

    def set_nullen(self, breedte: int | None) -> None:
        """Give digit-only registratienummers their leading zeros back (or not)."""
        assert self.mapping is not None
        if breedte != self.mapping.nullen:
            self.set_mapping(replace(self.mapping, nullen=breedte))

    def _vast_entered(self, naam: str) -> None:
        if self.mapping is not None:
            self.set_vast(naam, self.vast_edits[naam].text())

    def _picked(self, naam: str) -> None:
        assert self.mapping is not None
        self.mapping = self.mapping.with_override(naam, self.combos[naam].currentData())
        self.set_mapping(self.mapping)

    def _refresh(self) -> None:
        assert self.mapping is not None
        assert self.table is not None
        missing = self.mapping.missing_required()
        for veld in VELDEN:
            bad = veld.naam in missing
            self.labels[veld.naam].setStyleSheet(RED if bad else "")
            bron = self.mapping.bronnen.get(veld.naam, "")
            if bad:
                text = (
                    "ontbreekt: kies de kolom of vul rechts één waarde in"
                    if veld.naam in self.vast_edits
                    else "ontbreekt: kies de kolom"
                )
            elif self.mapping.column(veld.naam):
                text = BRON_TEKST.get(bron, "")
            elif self.mapping.vast.get(veld.naam):
                text = BRON_TEKST[BRON_VAST]
            else:
                text = "niet aanwezig (mag)"
            self.notes[veld.naam].setText(text)
            self.notes[veld.naam].setStyleSheet(RED if bad else "color: palette(mid);")
        self.result, self.export, self.error = None, None, ""
        if missing:
            labels = ", ".join(VELD_BY_NAAM[v].label for v in missing)
            self.error = (
                f"Nog niet gevonden: {labels}. Kies bij elk rood veld de kolom waarin "
                "dit staat. Is een code voor alle regels gelijk, vul hem dan rechts één keer "
                "in. Staat het er niet in, maak de export dan opnieuw met deze kolom erbij."
            )
            self.problem_model.set_frame(
                problems_frame(Voorzieningen("", pd.DataFrame(), pd.DataFrame()))
            )
        else:
            klaar = self._klaar
            try:
                if (
                    klaar is not None
                    and klaar.table is self.table
                    and klaar.mapping == self.mapping
                ):
                    self.export = klaar
                else:
                    self.export = export_from_table(self.table, LaadOpties(mapping=self.mapping))
            except InvoerFout as fout:
                self.error = fout.melding
            else:
                self.result = self.export.voorzieningen
                self.problem_model.set_frame(problems_frame(self.result))
                if self.result.frame.empty:
                    self.error = (
                        "Geen enkele regel is bruikbaar. Kijk of de kolommen goed zijn "
                        "gekozen; de redenen staan hieronder."
                    )
        self.uitleg.setStyleSheet(RED if self.error else "")
        self.uitleg.setText(self.error or self._summary())
        self.problems.setColumnWidth(0, 70)
        self.problems.setColumnWidth(1, 200)
        self.problems.setColumnWidth(2, 110)
        self.mapping_changed.emit()

    def _summary(self) -> str:
        assert self.result is not None
        r = self.result
        ongeldig = len(r.ongeldig)
        warnings = sum(1 for p in r.problemen if p.ernst != "ongeldig")
        text = (
            f"{r.totaal_regels} regels gelezen: {len(r.frame)} bruikbaar, {ongeldig} ongeldig, "
            f"{warnings} waarschuwing(en)."
        )
        if self.export is not None:
            for line in self.export.samenvatting():
                line = line.removeprefix(f"{self.export.path.name}: ")
                text += f" {line[:1].upper()}{line[1:]}"
        if r.problemen:
            text += " Hieronder staat per regel wat er mis is (regelnummer zoals in Excel)."
        return text

    def problems_to_csv(self, path) -> None:
        frame = self.problem_model._frame
        frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def mapping_is_usable(panel: MappingPanel) -> bool:
    return panel.result is not None and not panel.result.frame.empty and not panel.error
