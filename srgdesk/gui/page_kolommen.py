"""Step 3: which column holds which field, per export; presets per package; problems found."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import Export, Voorloopnullen, voorloopnullen_advies
from srgdesk.core.mapping import apply_preset, load_presets, propose_mapping, save_preset
from srgdesk.gui.base import Pagina, show_error
from srgdesk.gui.mapping_panel import MappingPanel, mapping_is_usable
from srgdesk.gui.settings import last_folder, presets_dir, remember_folder
from srgdesk.gui.state import ROL_LABEL, ROLLEN, WizardState, preview_codes


class KolommenPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Kolommen",
            "Controleer per bestand welke kolom bij welk gegeven hoort. Velden met * "
            "zijn verplicht. Achter elke kolom staan voorbeeldwaarden.",
        )
        layout = QVBoxLayout(self)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Opgeslagen instelling per pakket:"))
        self.preset_box = QComboBox()
        self.preset_box.setAccessibleName("Opgeslagen instelling")
        self.preset_box.setMinimumContentsLength(20)
        presets.addWidget(self.preset_box, 1)
        self.apply_button = QPushButton("Toepassen")
        self.apply_button.clicked.connect(self.apply_preset)
        self.save_button = QPushButton("Bewaren als…")
        self.save_button.clicked.connect(self.save_preset)
        self.export_button = QPushButton("Problemen opslaan…")
        self.export_button.clicked.connect(self.export_problems)
        for button in (self.apply_button, self.save_button, self.export_button):
            presets.addWidget(button)
        layout.addLayout(presets)
        self.tabs = QTabWidget()
        self.panels: dict[str, MappingPanel] = {}
        for rol in ROLLEN:
            panel = MappingPanel(rol)
            panel.mapping_changed.connect(lambda rol=rol: self._panel_changed(rol))
            self.panels[rol] = panel
            self.tabs.addTab(panel, ROL_LABEL[rol])
        layout.addWidget(self.tabs, 1)
        self.nullen_uitleg = QLabel("")
        self.nullen_uitleg.setWordWrap(True)
        self.nullen_keuze = QCheckBox("")
        self.nullen_keuze.setObjectName("nullen_keuze")
        self.nullen_keuze.toggled.connect(self._nullen_toggled)
        self.advies: Voorloopnullen | None = None
        self._advies: tuple[Export, Export, Voorloopnullen | None] | None = None  # last worked out
        layout.addWidget(self.nullen_uitleg)
        layout.addWidget(self.nullen_keuze)
        self.nullen_uitleg.hide()
        self.nullen_keuze.hide()

    def initializePage(self) -> None:
        self._fill_presets()
        for rol, panel in self.panels.items():
            table = self.state.tables[rol]
            mapping = self.state.mappings.get(rol) or propose_mapping(table)
            if panel.table is not table:
                panel.set_table(table, mapping, self.state.exports.get(rol))
            self._mark_tab(rol)
        for index, rol in enumerate(ROLLEN):
            if not mapping_is_usable(self.panels[rol]):
                self.tabs.setCurrentIndex(index)
                break

    def _fill_presets(self) -> None:
        self.presets = load_presets(presets_dir())
        self.preset_box.clear()
        if not self.presets:
            self.preset_box.addItem("(nog geen opgeslagen instellingen)")
        for naam in self.presets:
            self.preset_box.addItem(naam)
        self.apply_button.setEnabled(bool(self.presets))

    def _current(self) -> MappingPanel:
        return self.panels[ROLLEN[self.tabs.currentIndex()]]

    def _panel_changed(self, rol: str) -> None:
        panel = self.panels[rol]
        if panel.mapping is not None and panel.mapping != self.state.mappings.get(rol):
            self.state.mappings[rol] = panel.mapping
            self.state.reset_from("kolommen")
            self.changed()
        self._mark_tab(rol)
        self._check_voorloopnullen()
        self.completeChanged.emit()

    def _check_voorloopnullen(self) -> None:
        """Offer to give back leading zeros when one export lost them and the other has them."""
        exports = {rol: self.panels[rol].export for rol in ROLLEN}
        padded = next(
            (r for r in ROLLEN if self.panels[r].mapping and self.panels[r].mapping.nullen), None
        )
        if padded is not None:
            return  # the user chose already; keep the box as it is
        advies = None
        if exports["oud"] is not None and exports["nieuw"] is not None:
            advies = self._advies_voor(exports["oud"], exports["nieuw"])
        self.advies = advies
        self.nullen_uitleg.setVisible(advies is not None)
        self.nullen_keuze.setVisible(advies is not None)
        if advies is not None:
            text = advies.tekst.split(" Wilt u ze terugzetten")[0]
            self.nullen_uitleg.setText(f"Let op: {text[:1].lower()}{text[1:]}")
            self.nullen_keuze.blockSignals(True)
            self.nullen_keuze.setChecked(False)
            self.nullen_keuze.blockSignals(False)
            self.nullen_keuze.setText(
                f"Voorloopnullen terugzetten in de {ROL_LABEL[advies.rol].lower()} "
                f"(aanvullen tot {advies.breedte} tekens)"
            )

    def advies_bekend(self, oud: Export, nieuw: Export, advies: Voorloopnullen | None) -> None:
        """The leading-zeros advice for these two exports, worked out elsewhere (on the resume
        worker), so the page does not go over both exports again on the GUI thread."""
        self._advies = (oud, nieuw, advies)

    def _advies_voor(self, oud: Export, nieuw: Export) -> Voorloopnullen | None:
        known = self._advies
        if known is None or known[0] is not oud or known[1] is not nieuw:
            known = (oud, nieuw, voorloopnullen_advies(oud, nieuw))
            self._advies = known
        return known[2]

    def _nullen_toggled(self, checked: bool) -> None:
        if self.advies is not None:
            self.panels[self.advies.rol].set_nullen(self.advies.breedte if checked else None)

    def _mark_tab(self, rol: str) -> None:
        ok = mapping_is_usable(self.panels[rol])
        self.tabs.setTabText(ROLLEN.index(rol), ROL_LABEL[rol] + ("" if ok else " (let op)"))

    def apply_preset(self) -> None:
        naam = self.preset_box.currentText()
        panel = self._current()
        if naam in self.presets and panel.table is not None:
            fallback = propose_mapping(panel.table)
            panel.set_mapping(apply_preset(self.presets[naam], panel.table, fallback))

    def save_preset(self) -> None:
        panel = self._current()
        naam, ok = QInputDialog.getText(
            self,
            "Instelling bewaren",
            "Naam van het softwarepakket (bijvoorbeeld het pakket waar deze export uit komt):",
        )
        if not ok or not naam.strip() or panel.mapping is None:
            return
        try:
            save_preset(presets_dir(), naam.strip(), panel.mapping)
        except InvoerFout as fout:
            show_error(self, "Niet bewaard", fout.melding)
            return
        self._fill_presets()
        self.preset_box.setCurrentText(naam.strip())

    def export_problems(self) -> None:
        panel = self._current()
        export = self.state.path(panel.rol)  # start beside the export the problems are about
        folder = export.parent if export is not None else Path(last_folder())
        start = str(folder / f"problemen-{panel.rol}.csv")
        name, _ = QFileDialog.getSaveFileName(
            self, "Problemen opslaan", start, "CSV voor Excel (*.csv)"
        )
        if not name:
            return
        try:
            panel.problems_to_csv(name)
            remember_folder(name)
            QMessageBox.information(
                self,
                "Opgeslagen",
                f"De lijst met problemen staat in {name}. U kunt hem in Excel openen.",
            )
        except OSError:
            show_error(
                self,
                "Niet opgeslagen",
                f"{name} kan niet worden opgeslagen. Is het bestand open in Excel? Sluit "
                "het en probeer het opnieuw, of kies een andere map.",
            )

    def isComplete(self) -> bool:
        return all(mapping_is_usable(p) for p in self.panels.values())

    def validatePage(self) -> bool:
        for rol, panel in self.panels.items():
            self.state.mappings[rol] = panel.mapping
            self.state.voorzieningen[rol] = panel.result
        if self.state.codes is None:
            self.state.codes = preview_codes(
                self.state.voorzieningen["oud"], self.state.voorzieningen["nieuw"]
            )
        return True
