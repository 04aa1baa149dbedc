"""Last step (also reachable on its own): the wijzigingsmelding to CBS, with a live preview.

The page only collects the fields; srgdesk.core.melding validates, renders, scans for a BSN and
writes. Missing fields are shown after the first save/copy attempt, wrong values at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from srgdesk.core import gemeenten
from srgdesk.core import melding as core
from srgdesk.core.errors import InvoerFout

# The wizard's own words for the change chosen on its first page.
SOORT_ALIASSEN = {
    "pakket": core.SOFTWAREPAKKET,
    "contact": core.CONTACTPERSOON,
    "contactgegevens": core.CONTACTPERSOON,
}
ERROR_STYLE = "color: #b00020;"


def _next_month(today: date | None = None) -> str:
    day = today or date.today()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return f"{year:04d}-{month:02d}"


class MeldingPage(QWizardPage):
    """Form, preview and the three actions for the wijzigingsmelding."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("Wijzigingsmelding aan CBS")
        self.setSubTitle(
            "Vul de gegevens in. Rechts ziet u de e-mail aan CBS. Sla hem op als concept en "
            "verstuur hem vanuit Outlook. De e-mail bevat nooit een BSN."
        )
        self._show_missing = False
        self._bevat_bsn = False
        self._laatste_opslag: Path | None = None
        self._afgehandeld: tuple[str, str] | None = None  # (onderwerp, tekst) saved or copied
        self._sjabloon: core.Sjabloon | None = None
        self._adressen: core.CbsAdressen | None = None
        self._laad_fout = ""
        self._ready = False  # no live update while the form is being built
        try:
            self._sjabloon = core.load_sjabloon()
            self._adressen = core.load_adressen()
        except InvoerFout as fout:
            self._laad_fout = fout.melding

        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}

        form_widget = QWidget()
        self.form = QFormLayout(form_widget)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for veld in core.VELDEN:
            self._add_veld(veld)
        self.soort: QComboBox = self.inputs["soort"]
        self.gemeente: QComboBox = self.inputs["gemeentecode"]
        self.conversie: QComboBox = self.inputs["conversiebestand"]
        self.bijlage: QLineEdit = self.inputs["bijlage_pad"]
        self.opmerking: QPlainTextEdit = self.inputs["opmerking"]
        self.inputs["ingangsmaand"].setText(_next_month())

        self.bsn_note = QLabel(
            "Het conversiebestand bevat BSN's. Het gaat daarom via het CBS-portaal, niet als "
            "bijlage."
        )
        self.bsn_note.setWordWrap(True)
        self.bsn_note.setVisible(False)
        self.form.addRow(self.bsn_note)

        note = QLabel("* verplicht")
        note.setStyleSheet("color: palette(mid);")
        self.form.addRow(note)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(form_widget)

        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self._build_preview())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

        self.soort.currentIndexChanged.connect(self._soort_changed)
        self._ready = True
        self._soort_changed()

    # --- building ---------------------------------------------------------------------

    def _add_veld(self, veld: core.Veld) -> None:
        """One row of the form from the model's field table: widget, caption, error label."""
        widget: QWidget
        if veld.invoer == core.Invoer.KEUZE:
            combo = QComboBox()
            for value, label in veld.keuzes:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(self._refresh)
            widget = combo
        elif veld.invoer == core.Invoer.GEMEENTE:
            widget = self._gemeente_combo(veld.hint)
        elif veld.invoer == core.Invoer.MEERREGELIG:
            text = QPlainTextEdit()
            text.setPlaceholderText(veld.hint)
            text.setFixedHeight(70)
            text.textChanged.connect(self._refresh)
            widget = text
        else:
            edit = QLineEdit()
            edit.setPlaceholderText(veld.hint)
            edit.textChanged.connect(self._refresh)
            widget = edit
        widget.setObjectName(veld.naam)
        shown = widget
        if veld.invoer == core.Invoer.BESTAND:
            shown = QWidget()
            row = QHBoxLayout(shown)
            row.setContentsMargins(0, 0, 0, 0)
            kies = QPushButton("Kies…")
            kies.clicked.connect(self._kies_bijlage)
            row.addWidget(widget, 1)
            row.addWidget(kies)
        self._add_row(veld.naam, veld.label, shown, widget)

    def _add_row(self, name: str, label: str, widget: QWidget, input_widget: QWidget) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"fout_{name}")
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.setVisible(False)
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(input_widget)
        caption.setProperty("basis", label)
        self.form.addRow(caption, box)
        self.inputs[name] = input_widget
        self.errors[name] = error
        self.labels[name] = caption
        self._rows[name] = box

    def _gemeente_combo(self, hint: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for item in gemeenten.huidige_gemeenten():
            combo.addItem(item.label, item.code)
        combo.setCurrentIndex(-1)
        combo.lineEdit().setPlaceholderText(hint)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setCompleter(completer)
        combo.currentTextChanged.connect(self._refresh)
        return combo

    def _build_preview(self) -> QWidget:
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        head = QFormLayout()
        self.aan = QLineEdit()
        self.aan.setReadOnly(True)
        self.onderwerp = QLineEdit()
        self.onderwerp.setReadOnly(True)
        self.onderwerp.setObjectName("onderwerp")
        head.addRow("Aan:", self.aan)
        head.addRow("Onderwerp:", self.onderwerp)
        preview_layout.addLayout(head)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("voorbeeld")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        preview_layout.addWidget(self.preview, 1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("Opslaan als concept (.eml)")
        self.copy_button = QPushButton("Kopiëren")
        self.copy_button.setToolTip("Zet de tekst op het klembord, om te plakken in een e-mail.")
        self.mail_button = QPushButton("Open in mailprogramma")
        self.save_button.clicked.connect(self._on_save)
        self.copy_button.clicked.connect(self.copy_text)
        self.mail_button.clicked.connect(self.open_in_mail)
        for button in (self.save_button, self.copy_button, self.mail_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        preview_layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        preview_layout.addWidget(self.status)
        if self._adressen:
            hulp = QLabel(
                f"Vragen over de SRG of het conversiebestand: {self._adressen.srg}. Technische "
                f"vragen over het CBS-portaal: {self._adressen.portaal}."
            )
            hulp.setWordWrap(True)
            hulp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            preview_layout.addWidget(hulp)
        return preview_box

    # --- wizard API -------------------------------------------------------------------

    def prefill(
        self,
        gemeentecode: str | None,
        berichtgevercode_oud: str | None,
        berichtgevercode_nieuw: str | None,
        soort: str | None,
        conversiebestand_pad: Path | None,
        bevat_bsn: bool,
        ingangsmaand: str | None = None,
    ) -> None:
        """Fill in what the wizard already knows; the user can change every field.

        `ingangsmaand` (JJJJ-MM) is the verslagmaand of the new export: the first delivery
        after the change."""
        if ingangsmaand:
            self.inputs["ingangsmaand"].setText(ingangsmaand)
        soort = SOORT_ALIASSEN.get(soort or "", soort)
        if soort in core.SOORTEN:
            self.soort.setCurrentIndex(self.soort.findData(soort))
        if gemeentecode:
            self.set_gemeente(gemeentecode)
        if berichtgevercode_oud:
            self.inputs["berichtgevercode_oud"].setText(berichtgevercode_oud)
        if berichtgevercode_nieuw and berichtgevercode_nieuw != berichtgevercode_oud:
            self.inputs["berichtgevercode_nieuw"].setText(berichtgevercode_nieuw)
        self._bevat_bsn = bevat_bsn
        if conversiebestand_pad and not bevat_bsn:
            self.bijlage.setText(str(conversiebestand_pad))
        elif bevat_bsn:
            self.bijlage.clear()
        self._set_bijlage_allowed(not bevat_bsn)
        current = self.soort.currentData()
        self.conversie.setCurrentIndex(
            self.conversie.findData(core.STANDAARD_CONVERSIEBESTAND.get(current, core.PORTAAL))
        )
        self._refresh()

    def set_gemeente(self, code: str) -> None:
        normalised = gemeenten.normalise_code(code) or code
        index = self.gemeente.findData(normalised)
        if index < 0:
            found = gemeenten.gemeente(normalised)
            label = f"{found.label} (opgeheven)" if found else normalised
            self.gemeente.addItem(label, normalised)
            index = self.gemeente.count() - 1
        self.gemeente.setCurrentIndex(index)

    def isComplete(self) -> bool:
        return True  # the melding is optional; the wizard may finish without it

    # --- reading the form ---------------------------------------------------------------

    def gemeentecode(self) -> str:
        """The code of the gemeente picked or typed (a name, alias, label or code), parsed by the
        core's one parser; the text itself when it names no single gemeente (the validation then
        says so)."""
        text = self.gemeente.currentText().strip()
        index = self.gemeente.findText(text)
        if index >= 0:
            return str(self.gemeente.itemData(index))
        ingang = core.maand_begin(self.inputs["ingangsmaand"].text())
        return gemeenten.parse_gemeentecode(text, op=ingang) or text

    def _waarde(self, naam: str) -> str:
        widget = self.inputs[naam]
        if naam == "gemeentecode":
            return self.gemeentecode()
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text() if isinstance(widget, QLineEdit) else ""

    def melding(self) -> core.Wijzigingsmelding:
        """The form as a melding; fields hidden for this soort are left empty."""
        zichtbaar = core.zichtbare_velden(self.soort.currentData())
        values = {
            veld.naam: self._waarde(veld.naam) if veld.naam in zichtbaar else ""
            for veld in core.VELDEN
        }
        if values["conversiebestand"] != core.BIJLAGE:
            values["bijlage_pad"] = ""
        return core.Wijzigingsmelding(**values)

    def has_unsaved_email(self) -> bool:
        """True when the form makes a valid email that was not saved, copied or opened since
        its last change: the wizard asks before Voltooien closes."""
        if self._laad_fout:
            return False
        melding = self.melding().normalised()
        if core.valideer(melding):
            return False
        concept = core.render(melding, self._sjabloon, self._adressen)
        return (concept.onderwerp, concept.tekst) != self._afgehandeld

    # --- live update ----------------------------------------------------------------------

    def _soort_changed(self) -> None:
        soort = self.soort.currentData()
        verplicht = core.verplichte_velden(soort)
        zichtbaar = core.zichtbare_velden(soort)
        for name, row in self._rows.items():
            self.form.setRowVisible(row, name in zichtbaar)
            basis = self.labels[name].property("basis")
            self.labels[name].setText(f"{basis} *" if name in verplicht else basis)
        self.conversie.setCurrentIndex(
            self.conversie.findData(core.STANDAARD_CONVERSIEBESTAND[soort])
        )
        self._refresh()

    def _set_bijlage_allowed(self, allowed: bool) -> None:
        model = self.conversie.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.conversie.findData(core.BIJLAGE))
            item.setEnabled(allowed)
        if not allowed and self.conversie.currentData() == core.BIJLAGE:
            self.conversie.setCurrentIndex(self.conversie.findData(core.PORTAAL))
        self.bsn_note.setVisible(not allowed)

    def _refresh(self) -> None:
        if not self._ready:
            return
        self.form.setRowVisible(
            self._rows["bijlage_pad"], self.conversie.currentData() == core.BIJLAGE
        )
        if self._laad_fout:
            self.preview.setPlainText(self._laad_fout)
            for button in (self.save_button, self.copy_button, self.mail_button):
                button.setEnabled(False)
            return
        melding = self.melding().normalised()
        fouten = core.valideer(melding)
        self._show_errors(fouten)
        if not fouten and self.status.property("fout"):
            self._set_status("")  # the "nog niet klaar" message is no longer true
        concept = core.render(melding, self._sjabloon, self._adressen)
        self.aan.setText(", ".join(concept.aan + concept.cc))
        self.onderwerp.setText(concept.onderwerp)
        if self.preview.toPlainText() != concept.tekst:
            self.preview.setPlainText(concept.tekst)
        kort = core.past_in_mailto(concept)
        self.mail_button.setEnabled(kort and concept.bijlage is None)
        if concept.bijlage is not None:
            self.mail_button.setToolTip(
                "Een bijlage kan niet mee via deze knop. Sla het concept "
                "op en open het .eml-bestand."
            )
        elif not kort:
            self.mail_button.setToolTip(
                f"De tekst is langer dan {core.MAILTO_MAX} tekens. Sla "
                "het concept op en open het .eml-bestand."
            )
        else:
            self.mail_button.setToolTip("Opent een nieuwe e-mail in uw mailprogramma.")

    def _show_errors(self, fouten: list[core.Fout]) -> None:
        per_veld: dict[str, list[str]] = {}
        for fout in fouten:
            if fout.ontbreekt and not self._show_missing:
                continue
            per_veld.setdefault(fout.veld if fout.veld in self.errors else "opmerking", []).append(
                fout.tekst
            )
        for name, label in self.errors.items():
            text = "\n".join(per_veld.get(name, []))
            label.setText(text)
            label.setVisible(bool(text))

    # --- actions ----------------------------------------------------------------------

    def _concept(self) -> core.Concept | None:
        """The checked draft, or None after showing every problem next to its field."""
        self._show_missing = True
        self._refresh()
        try:
            concept = core.maak_concept(self.melding(), self._sjabloon, self._adressen)
        except InvoerFout as fout:
            self._set_status(
                "De e-mail is nog niet klaar. Pas de rood gemarkeerde velden aan."
                if core.valideer(self.melding().normalised())
                else fout.melding,
                error=True,
            )
            return None
        return concept

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setProperty("fout", error)
        self.status.setText(text)

    def _handled(self, concept: core.Concept) -> None:
        self._afgehandeld = (concept.onderwerp, concept.tekst)

    def _on_save(self) -> None:
        if self._concept() is None:
            return
        folder = (
            self._laatste_opslag.parent
            if self._laatste_opslag
            else Path(
                QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            )
        )
        path, _ = QFileDialog.getSaveFileName(
            self, "Concept opslaan", str(folder / core.EML_NAAM), "E-mailconcept (*.eml)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the .eml and the .txt beside it; report the result under the buttons."""
        concept = self._concept()
        if concept is None:
            return False
        path = Path(path)
        if path.suffix.lower() != ".eml":
            path = path.with_suffix(".eml")
        try:
            txt = core.write_concept(concept, path)
        except InvoerFout as fout:
            self._set_status(fout.melding, error=True)
            return False
        self._laatste_opslag = path
        self._handled(concept)
        self._set_status(
            f"Opgeslagen: {path} en {txt.name}. Dubbelklik op het .eml-bestand: Outlook opent "
            "het als concept. Lees de tekst na en klik op Verzenden."
        )
        return True

    def copy_text(self) -> bool:
        concept = self._concept()
        if concept is None:
            return False
        QGuiApplication.clipboard().setText(concept.tekst)
        self._handled(concept)
        self._set_status(
            f"De tekst staat op het klembord. Maak een nieuwe e-mail aan {', '.join(concept.aan)}"
            f", plak de tekst en neem het onderwerp over: {concept.onderwerp}"
        )
        return True

    def open_in_mail(self) -> bool:
        concept = self._concept()
        if concept is None:
            return False
        url = core.mailto(concept)
        if url is None or concept.bijlage is not None:
            self._set_status(
                "Deze e-mail kan niet via deze knop worden geopend. Sla het concept "
                "op en open het .eml-bestand.",
                error=True,
            )
            return False
        core.reset_dll_search_path()
        if not QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.TolerantMode)):
            self._set_status(
                "Er is geen mailprogramma gevonden. Sla het concept op of gebruik Kopiëren.",
                error=True,
            )
            return False
        self._handled(concept)
        self._set_status(
            "Uw mailprogramma opent een nieuwe e-mail. Lees de tekst na en klik op Verzenden."
        )
        return True

    def _kies_bijlage(self) -> None:
        start = self.bijlage.text() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        path, _ = QFileDialog.getOpenFileName(
            self, "Conversiebestand kiezen", start, "Conversiebestand (*.xlsx *.csv *.txt)"
        )
        if path:
            self.bijlage.setText(path)
