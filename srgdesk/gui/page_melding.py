"""Last step (also reachable on its own): the wijzigingsmelding to CBS, with a live preview.

The page only collects the fields; srgdesk.core.melding validates, renders, scans for a BSN and
writes. Missing fields are shown after the first save/copy attempt, wrong values at once.
"""

from __future__ import annotations

import re
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

SOORT_KEUZES = (
    (core.SOFTWAREPAKKET, "Ander softwarepakket"),
    (core.BERICHTGEVER, "Andere berichtgever"),
    (core.CONTACTPERSOON, "Alleen contactgegevens gewijzigd"),
    (core.HERINDELING, "Gemeentelijke herindeling"),
)
# The wizard's own words for the change chosen on its first page.
SOORT_ALIASSEN = {
    "pakket": core.SOFTWAREPAKKET,
    "contact": core.CONTACTPERSOON,
    "contactgegevens": core.CONTACTPERSOON,
}
CONVERSIE_KEUZES = (
    (core.PORTAAL, "Via het CBS-portaal"),
    (core.BIJLAGE, "Als bijlage bij deze e-mail (alleen zonder BSN)"),
    (core.GEEN, "Niet nodig"),
)
TEKST_VELDEN = (
    ("berichtgevercode_oud", "Berichtgevercode", "4 cijfers, bijvoorbeeld 1234"),
    ("berichtgevercode_nieuw", "Nieuwe berichtgevercode", "alleen als die verandert"),
    ("pakket_oud", "Softwarepakket tot nu toe", "naam en versie"),
    ("pakket_nieuw", "Nieuw softwarepakket", "naam en versie"),
    (
        "gemeentecodes_oud",
        "Opgeheven gemeenten",
        "alleen als de herindeling niet in de lijst staat: 0501, 0530",
    ),
    ("ingangsmaand", "Geldt vanaf verslagmaand", "JJJJ-MM, bijvoorbeeld 2027-01"),
    ("contact_naam", "Naam contactpersoon", ""),
    ("contact_email", "E-mail contactpersoon", "naam@gemeente.nl"),
    ("contact_telefoon", "Telefoon contactpersoon", "06-12345678 of 020-1234567"),
    ("contact_oud_naam", "Naam vorige contactpersoon", "alleen als die verandert"),
    ("contact_oud_email", "E-mail vorige contactpersoon", ""),
    ("contact_oud_telefoon", "Telefoon vorige contactpersoon", ""),
)
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
        self._sjabloon: core.Sjabloon | None = None
        self._adressen: core.CbsAdressen | None = None
        self._laad_fout = ""
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

        self.soort = QComboBox()
        self.soort.setObjectName("soort")
        for value, label in SOORT_KEUZES:
            self.soort.addItem(label, value)
        self._add_row("soort", "Wat is er veranderd?", self.soort)

        self.gemeente = QComboBox()
        self.gemeente.setObjectName("gemeentecode")
        self.gemeente.setEditable(True)
        self.gemeente.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for item in gemeenten.huidige_gemeenten():
            self.gemeente.addItem(item.label, item.code)
        self.gemeente.setCurrentIndex(-1)
        self.gemeente.lineEdit().setPlaceholderText("typ een deel van de naam of de code")
        completer = QCompleter(self.gemeente.model(), self.gemeente)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.gemeente.setCompleter(completer)
        self._add_row("gemeentecode", "Gemeente", self.gemeente)

        for name, label, hint in TEKST_VELDEN:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setPlaceholderText(hint)
            self._add_row(name, label, edit)
        self.inputs["ingangsmaand"].setText(_next_month())

        self.conversie = QComboBox()
        self.conversie.setObjectName("conversiebestand")
        for value, label in CONVERSIE_KEUZES:
            self.conversie.addItem(label, value)
        self._add_row("conversiebestand", "Conversiebestand", self.conversie)

        bijlage_box = QWidget()
        bijlage_layout = QHBoxLayout(bijlage_box)
        bijlage_layout.setContentsMargins(0, 0, 0, 0)
        self.bijlage = QLineEdit()
        self.bijlage.setObjectName("bijlage_pad")
        self.bijlage.setPlaceholderText("het conversiebestand (.xlsx of .csv)")
        kies = QPushButton("Kies…")
        kies.clicked.connect(self._kies_bijlage)
        bijlage_layout.addWidget(self.bijlage, 1)
        bijlage_layout.addWidget(kies)
        self._add_row("bijlage_pad", "Bestand voor de bijlage", bijlage_box, self.bijlage)

        self.opmerking = QPlainTextEdit()
        self.opmerking.setObjectName("opmerking")
        self.opmerking.setPlaceholderText("Wat CBS verder moet weten. Nooit een BSN.")
        self.opmerking.setFixedHeight(70)
        self._add_row("opmerking", "Opmerking", self.opmerking)

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

        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

        self.soort.currentIndexChanged.connect(self._soort_changed)
        self.gemeente.currentTextChanged.connect(self._refresh)
        self.conversie.currentIndexChanged.connect(self._refresh)
        self.bijlage.textChanged.connect(self._refresh)
        self.opmerking.textChanged.connect(self._refresh)
        for name, _label, _hint in TEKST_VELDEN:
            self.inputs[name].textChanged.connect(self._refresh)
        self._soort_changed()

    # --- building ---------------------------------------------------------------------

    def _add_row(self, name: str, label: str, widget: QWidget, input_widget=None) -> None:
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
        caption.setBuddy(input_widget or widget)
        self.form.addRow(caption, box)
        self.inputs[name] = input_widget or widget
        self.errors[name] = error
        self.labels[name] = caption
        self._rows[name] = box
        caption.setProperty("basis", label)

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
        text = self.gemeente.currentText().strip()
        index = self.gemeente.findText(text)
        if index >= 0:
            return str(self.gemeente.itemData(index))
        match = re.search(r"\((\d{1,4})\)", text) or re.fullmatch(
            r"(?:GM)?(\d{1,4})", text, re.IGNORECASE
        )
        if match:
            return match.group(1)
        by_name = [g for g in gemeenten.huidige_gemeenten() if g.naam.casefold() == text.casefold()]
        return by_name[0].code if by_name else text

    def melding(self) -> core.Wijzigingsmelding:
        """The form as a melding; fields hidden for this soort are left empty."""
        values = {
            name: self.inputs[name].text() if self.form.isRowVisible(self._rows[name]) else ""
            for name, _l, _h in TEKST_VELDEN
        }
        return core.Wijzigingsmelding(
            soort=self.soort.currentData(),
            gemeentecode=self.gemeentecode(),
            conversiebestand=self.conversie.currentData(),
            opmerking=self.opmerking.toPlainText(),
            bijlage_pad=self.bijlage.text() if self.conversie.currentData() == core.BIJLAGE else "",
            **values,
        )

    # --- live update ----------------------------------------------------------------------

    def _soort_changed(self) -> None:
        soort = self.soort.currentData()
        per_soort = core.VELDEN_PER_SOORT[soort]
        verplicht = set(core.VERPLICHT_ALTIJD) | set(per_soort["verplicht"])
        zichtbaar = (
            verplicht
            | set(per_soort["optioneel"])
            | {
                "soort",
                "conversiebestand",
                "opmerking",
                "bijlage_pad",
            }
        )
        for name, row in self._rows.items():
            visible = name in zichtbaar
            self.form.setRowVisible(row, visible)
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
        self.status.setText(text)

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
        self._set_status(
            f"Opgeslagen: {path} en {txt.name}. Dubbelklik op het .eml-bestand: Outlook opent "
            "het als concept. Lees de tekst na en klik op Verzenden."
        )
        return True

    def has_unsaved_email(self) -> bool:
        """True while the email was neither saved, copied nor opened in the mail program."""
        return self._laatste_opslag is None and not getattr(self, "_doorgegeven", False)

    def copy_text(self) -> bool:
        concept = self._concept()
        if concept is None:
            return False
        QGuiApplication.clipboard().setText(concept.tekst)
        self._doorgegeven = True
        self._set_status(
            f"De tekst staat op het klembord. Maak een nieuwe e-mail aan {', '.join(concept.aan)}"
            f", plak de tekst en neem het onderwerp over: {concept.onderwerp}"
        )
        return True

    def open_in_mail(self) -> bool:
        concept = self._concept()
        if concept is None:
            return False
        url = concept.mailto()
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
        self._doorgegeven = True
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
