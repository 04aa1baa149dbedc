"""The wizard: the pages in order, which step follows which, autosave and resume."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWizard

from srgdesk.core.codes import CodeTabel
from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import (
    Export,
    LaadOpties,
    Voorloopnullen,
    load_export,
    voorloopnullen_advies,
)
from srgdesk.core.mapping import ColumnMapping
from srgdesk.core.progress import Voortgang
from srgdesk.core.resources import resource_path
from srgdesk.core.review import Sessiebestand, fingerprint, save_session
from srgdesk.gui.page_aanleiding import AanleidingPage
from srgdesk.gui.page_bestanden import BestandenPage
from srgdesk.gui.page_codes import CodesPage
from srgdesk.gui.page_controleren import ControlerenPage
from srgdesk.gui.page_kolommen import KolommenPage
from srgdesk.gui.page_koppelen import KoppelenPage
from srgdesk.gui.page_maandcontrole import MAANDCONTROLE, MaandcontrolePage
from srgdesk.gui.page_melding import MeldingPage
from srgdesk.gui.page_opslaan import OpslaanPage
from srgdesk.gui.settings import read_session, session_path
from srgdesk.gui.state import ROLLEN, BewaardeKeuze, WizardState, preview_codes

log = logging.getLogger("srgdesk.gui")
AUTOSAVE_MS = 700
TITEL = "Conversiebestand en melding voor CBS (SRG)"


def _write_session(path: Path, build: Callable[[], Sessiebestand]) -> None:
    try:
        save_session(path, build())
    except (InvoerFout, OSError):
        log.warning("Automatisch opslaan van de sessie is mislukt", exc_info=True)


@dataclass(frozen=True)
class Herlezen:
    """What the resume worker hands back: both exports read and cleaned with the saved
    choices, and the soort relation the Soorten page proposes."""

    exports: dict[str, Export]
    codes: CodeTabel
    nullen: Voorloopnullen | None  # the leading-zeros advice the Kolommen page shows


def herlees_opdrachten(saved: Sessiebestand) -> tuple[tuple[str, str, LaadOpties], ...]:
    """(rol, path, options) per export of a saved session; InvoerFout when one is missing."""
    opdrachten = []
    for rol in ROLLEN:
        info = saved.bestanden.get(rol)
        if not info:
            raise InvoerFout("Een van de bestanden ontbreekt in de opgeslagen sessie.")
        opties = LaadOpties(
            werkblad=saved.werkbladen.get(rol),
            mapping=ColumnMapping.from_json(saved.mapping.get(rol, {})),
        )
        opdrachten.append((rol, info["pad"], opties))
    return tuple(opdrachten)


def bewaarde_keuzes(saved: Sessiebestand) -> dict[str, BewaardeKeuze]:
    """The saved file, sheet and mapping per export, kept until that file is read again."""
    return {
        rol: BewaardeKeuze(
            Path(info["pad"]),
            saved.werkbladen.get(rol),
            ColumnMapping.from_json(saved.mapping.get(rol, {})),
        )
        for rol in ROLLEN
        if (info := saved.bestanden.get(rol)) and info.get("pad") and rol in saved.mapping
    }


def herlees(opdrachten: tuple[tuple[str, str, LaadOpties], ...], voortgang: Voortgang) -> Herlezen:
    """Read and clean each export again (the worker's part of a resume); progress per file."""
    exports: dict[str, Export] = {}
    for i, (rol, pad, opties) in enumerate(opdrachten):

        def report(fraction: float, text: str, i: int = i) -> None:
            voortgang.report((i + fraction) / len(opdrachten) * 0.95, text)

        deel = Voortgang(on_progress=report, is_cancelled=voortgang.is_cancelled)
        exports[rol] = load_export(pad, opties, voortgang=deel)
        voortgang.check()
    voortgang.report(0.97, "Soorten voorzieningen vergelijken")
    codes = preview_codes(exports["oud"].voorzieningen, exports["nieuw"].voorzieningen)
    return Herlezen(exports, codes, voorloopnullen_advies(exports["oud"], exports["nieuw"]))


class Stap(IntEnum):
    AANLEIDING = 0
    BESTANDEN = 1
    KOLOMMEN = 2
    CODES = 3
    KOPPELEN = 4
    CONTROLEREN = 5
    OPSLAAN = 6
    MELDING = 7
    MAANDCONTROLE = 8  # issue 16: Kolommen → Maandcontrole (→ Controleren → Opslaan when needed)


def melding_page(state: WizardState) -> MeldingPage:
    """The email step (issue 5); it needs nothing from the state until the wizard prefills it."""
    return MeldingPage()


class SrgWizard(QWizard):
    def __init__(self, log_path: Path | None = None, state: WizardState | None = None):
        super().__init__()
        self.state = state or WizardState()
        self.log_path = log_path
        # Qt adds the application's display name ("srgdesk") to the title itself.
        self.setWindowTitle(TITEL)
        icon = resource_path("srgdesk.png")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        # Qt's Dutch "Vol&tooien" shares Alt+T with "< &Terug" on the last page.
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Voltooien")
        self.pages = {
            Stap.AANLEIDING: AanleidingPage(self.state),
            Stap.BESTANDEN: BestandenPage(self.state),
            Stap.KOLOMMEN: KolommenPage(self.state),
            Stap.CODES: CodesPage(self.state),
            Stap.KOPPELEN: KoppelenPage(self.state),
            Stap.CONTROLEREN: ControlerenPage(self.state),
            Stap.OPSLAAN: OpslaanPage(self.state),
            Stap.MELDING: melding_page(self.state),
            Stap.MAANDCONTROLE: MaandcontrolePage(self.state),
        }
        for stap, page in self.pages.items():
            self.setPage(int(stap), page)
        self.setStartId(int(Stap.AANLEIDING))
        self.setMinimumSize(760, 520)
        self.resize(1180, 780)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:  # a 1366 px laptop: use its width, the review table needs it
            self.resize(
                min(1400, int(screen.width() * 0.95)), min(780, int(screen.height() * 0.92))
            )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(lambda: self.save_now(wait=False))
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="srgdesk-autosave")
        self.currentIdChanged.connect(self._entered)
        self.afgerond = False
        self._doorlopen_naar: Stap | None = None  # where a resumed session was left
        self._laatste_stap = ""  # title of the last page shown (QWizard resets on Annuleren)
        self._bezig_cursor = False  # the busy pointer while a resumed session is read
        self.pages[Stap.KOPPELEN].completeChanged.connect(self._resume_forward)

    # --- flow -----------------------------------------------------------------------------

    def nextId(self) -> int:
        current = self.currentId()
        if self.state.aanleiding == MAANDCONTROLE:  # issue 16: the monthly check's own route
            if current == Stap.KOLOMMEN:
                return int(Stap.MAANDCONTROLE)
            if current == Stap.MAANDCONTROLE:
                return int(Stap.CONTROLEREN) if self.pages[current].nieuwe_nummers() else -1
            if current == Stap.OPSLAAN:
                return -1
        if current == Stap.AANLEIDING:
            return int(Stap.MELDING if self.state.aanleiding == "contact" else Stap.BESTANDEN)
        if current == Stap.KOLOMMEN:
            codes = self.state.codes
            same = codes is None or codes.zelfde_codes
            return int(Stap.KOPPELEN if same else Stap.CODES)
        if current == Stap.MELDING or current < 0:
            return -1
        return current + 1

    def _entered(self, page_id: int) -> None:
        if page_id >= 0:
            self._laatste_stap = self.page(page_id).title()
        if page_id == Stap.MELDING:
            self._prefill_melding()
        self.schedule_save()

    def _prefill_melding(self) -> None:
        page = self.pages[Stap.MELDING]
        frames = {rol: v.frame for rol, v in self.state.voorzieningen.items()}

        def first(rol: str, column: str) -> str:
            frame = frames.get(rol)
            return str(frame[column].mode().iat[0]) if frame is not None and len(frame) else ""

        conversie = next(
            (
                p
                for p in self.state.geschreven
                if p.suffix == ".xlsx" and p.name.startswith("conversiebestand")
            ),
            None,
        )
        page.prefill(
            first("nieuw", "gemeentecode") or first("oud", "gemeentecode"),
            first("oud", "berichtgevercode"),
            first("nieuw", "berichtgevercode"),
            self.state.aanleiding,
            conversie,
            self.state.met_bsn,
            ingangsmaand=self._ingangsmaand(),
        )

    def _ingangsmaand(self) -> str | None:
        """The new export's verslagmaand as JJJJ-MM: the first delivery after the change."""
        periode = getattr(self.state.resultaat, "periode_nieuw", None)
        return f"{periode.maand[:4]}-{periode.maand[4:]}" if periode else None

    # --- autosave and resume --------------------------------------------------------------

    def schedule_save(self) -> None:
        """Autosave soon; not while a resumed session's decisions wait for matching: the file
        holds them already, and writing 90k of them again would slow the resume itself."""
        if self.state.sessie is None and self.state.over_te_nemen:
            return
        self._timer.start()

    def _capture(self) -> Callable[[], Sessiebestand]:
        """Take what the session file needs now (cheap: a frozen copy of the decisions) and
        return the slow part, fingerprints and decisions by key, to run off the GUI thread."""
        s = self.state
        paths = {rol: s.path(rol) for rol in ROLLEN}
        sessie = s.sessie.bevroren() if s.sessie is not None else None
        pending = list(s.over_te_nemen or [])
        mapping = {rol: m.to_json() for rol, m in s.mappings.items() if m is not None}
        werkbladen = {rol: t.werkblad for rol, t in s.tables.items()}
        for rol, bewaard in s.bewaard.items():  # not read again yet: keep what was saved
            if rol not in s.tables:
                paths[rol] = bewaard.pad
                mapping[rol] = bewaard.mapping.to_json()
                werkbladen[rol] = bewaard.werkblad
        fixed = {
            "aanleiding": s.aanleiding,
            "mapping": mapping,
            "werkbladen": werkbladen,
            "codes": dict(s.code_keuzes),
            "stap": self._laatste_stap,
            "afgerond": bool(s.geschreven),
        }

        def build() -> Sessiebestand:
            bestanden = {
                rol: fingerprint(path)
                for rol, path in paths.items()
                if path is not None and path.is_file()
            }
            besluiten = sessie.besluiten() if sessie is not None else pending
            return Sessiebestand(bestanden=bestanden, besluiten=besluiten, **fixed)

        return build

    def snapshot(self) -> Sessiebestand:
        return self._capture()()

    def save_now(self, wait: bool = True) -> None:
        """Write the session file; never raises (a failed autosave is only logged).

        The autosave timer passes wait=False: the file is then written on one background
        thread, in order, so 88k decisions never freeze the table."""
        self._timer.stop()
        if not self.state.tables and not self.state.aanleiding:
            return
        s = self.state
        if not s.tables and s.sessie is None and s.over_te_nemen is not None:
            return  # a resumed session whose files are not read (yet): the file holds it all
        future = self._saver.submit(_write_session, session_path(), self._capture())
        if wait:
            future.result()

    def offer_resume(self) -> bool:
        """Ask to continue an unfinished session; True when it was restored."""
        lezing = read_session()
        if lezing.melding:
            QMessageBox.information(self, "Vorige sessie opzij gezet", lezing.melding)
        saved = lezing.sessie
        if saved is None or saved.afgerond or not saved.bestanden:
            return False
        changes = saved.gewijzigde_bestanden()
        text = (
            f"U was nog bezig (laatst bewaard {saved.bijgewerkt.replace('T', ' ')}, "
            f"{len(saved.besluiten)} besluit(en)). Wilt u verder gaan waar u was?"
        )
        if changes:
            text += (
                "\n\nLet op: "
                + " ".join(changes)
                + " Besluiten die niet meer passen, moet u opnieuw nemen."
            )
        answer = QMessageBox.question(
            self,
            "Verder gaan?",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        restored = self.restore(saved)
        if restored:
            self.resume_on(saved.stap)
        return restored

    def resume_on(self, titel: str) -> None:
        """Once matching is done, go on to the page the user was on (by its title)."""
        target = next((stap for stap, page in self.pages.items() if page.title() == titel), None)
        self._doorlopen_naar = target if target is not None and target > Stap.KOPPELEN else None
        self._resume_forward()

    def _resume_forward(self) -> None:
        target = self._doorlopen_naar
        if target is None or self.currentId() != Stap.KOPPELEN:
            return
        if not self.currentPage().isComplete():
            return  # matching still runs; its completeChanged brings us back here
        self._doorlopen_naar = None
        controleren: ControlerenPage = self.pages[Stap.CONTROLEREN]
        controleren.vragen = False  # no "not all decided" question while walking back in
        try:
            while self.currentId() != target and self.currentId() != -1:
                before = self.currentId()
                self.next()
                if self.currentId() == before:
                    break
        finally:
            controleren.vragen = True

    def restore(self, saved: Sessiebestand) -> bool:
        """Read the files again with the saved choices, on a worker, then walk forward to
        Koppelen. Returns False when the session names no usable files (the user then picks
        them; the decisions wait), True when reading started: the Bestanden page shows its
        progress and a Stoppen button meanwhile, and the mouse pointer says busy."""
        s = self.state
        s.aanleiding = saved.aanleiding
        s.code_keuzes = dict(saved.codes)
        s.over_te_nemen = list(saved.besluiten)
        s.bewaard = bewaarde_keuzes(saved)  # applied on a read of the same file, like these
        self._timer.stop()  # the file holds all this already (see schedule_save)
        try:
            opdrachten = herlees_opdrachten(saved)
        except InvoerFout as fout:
            self._restore_failed(fout.melding)
            return False
        self.restart()
        self.next()  # to Bestanden: there the reading shows
        page: BestandenPage = self.pages[Stap.BESTANDEN]
        worker = page.start_hervatten(
            lambda voortgang: herlees(opdrachten, voortgang),
            len(s.over_te_nemen),
            {rol: pad for rol, pad, _ in opdrachten},
        )
        worker.finished.connect(self._restored)
        worker.failed.connect(self._restore_failed)
        worker.cancelled.connect(self._restore_cancelled)
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._bezig_cursor = True
        return True

    def _idle_cursor(self) -> None:
        if self._bezig_cursor:
            QApplication.restoreOverrideCursor()
            self._bezig_cursor = False

    def _restored(self, herlezen: Herlezen) -> None:
        self._idle_cursor()
        s = self.state
        s.bewaard.clear()  # applied by the read
        for rol, export in herlezen.exports.items():
            s.exports[rol] = export
            s.tables[rol] = export.table
            s.mappings[rol] = export.mapping
            s.voorzieningen[rol] = export.voorzieningen
        s.codes = herlezen.codes
        kolommen: KolommenPage = self.pages[Stap.KOLOMMEN]
        kolommen.advies_bekend(herlezen.exports["oud"], herlezen.exports["nieuw"], herlezen.nullen)
        self.pages[Stap.BESTANDEN].hervatten_klaar()
        if self.currentId() != Stap.BESTANDEN:  # the user went back meanwhile: stay there
            self._doorlopen_naar = None
            return
        while self.currentId() not in (Stap.KOPPELEN, -1) and self.currentPage().isComplete():
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break
        self._resume_forward()

    def _restore_failed(self, melding: str) -> None:
        self._idle_cursor()
        self._doorlopen_naar = None
        wat_nu = (
            f"{melding}\n\nKies de bestanden opnieuw; uw eerdere kolomkeuzes en "
            "besluiten worden teruggezet waar ze nog passen."
        )
        self.pages[Stap.BESTANDEN].hervatten_klaar(wat_nu)  # no progress row left behind
        QMessageBox.information(self, "Niet alles teruggezet", wat_nu)
        self.restart()
        if self.state.aanleiding:
            self.next()

    def _restore_cancelled(self) -> None:
        self._idle_cursor()
        self._doorlopen_naar = None
        self.pages[Stap.BESTANDEN].hervatten_klaar(
            "Het teruglezen is gestopt. Kies de bestanden opnieuw; uw eerdere kolomkeuzes en "
            "besluiten worden teruggezet waar ze nog passen."
        )

    def load_demo(self) -> None:
        """Open on the demo exports (the README's run command)."""
        self.state.aanleiding = "pakket"
        self.restart()
        self.next()
        page: BestandenPage = self.pages[Stap.BESTANDEN]
        for rol in ROLLEN:
            page.load(rol, resource_path("demo", f"{rol}.csv"))

    # --- leaving ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc clears the search box the user is typing in; it never closes the program."""
        if event.key() == Qt.Key.Key_Escape:
            widget = QApplication.focusWidget()
            if isinstance(widget, QLineEdit) and widget.text() and not widget.isReadOnly():
                widget.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def onafgemaakt_werk(self) -> list[str]:
        """Dutch lines naming what is not finished, for the question before closing."""
        s = self.state
        lines = []
        if self.saving():
            lines.append("Het opslaan van de bestanden is nog bezig; dat wordt dan gestopt.")
        if s.sessie is not None:
            open_count = s.sessie.tellingen()["open"]
            if open_count:
                lines.append(f"{open_count} koppeling(en) hebben nog geen besluit.")
            if not s.geschreven:
                lines.append("Het conversiebestand is nog niet opgeslagen.")
        if self.currentId() == Stap.MELDING and self.melding_niet_bewaard():
            lines.append("De melding aan CBS is nog niet opgeslagen of verstuurd.")
        return lines

    def melding_niet_bewaard(self) -> bool:
        page = self.pages[Stap.MELDING]
        check = getattr(page, "has_unsaved_email", None)
        return bool(check()) if callable(check) else False

    def saving(self) -> bool:
        return self.pages[Stap.OPSLAAN].runner.busy()

    def _may_close(self, title: str) -> bool:
        lines = self.onafgemaakt_werk()
        if not lines:
            return True
        text = (
            "U bent nog niet klaar:\n"
            + "\n".join(f"• {line}" for line in lines)
            + "\n\nUw werk is automatisch bewaard: als u srgdesk weer opent, kunt u verder "
            "gaan waar u was. Wilt u srgdesk nu sluiten?"
        )
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        """Annuleren and the window's X (QDialog routes both here): ask when work is open."""
        if not self._may_close("srgdesk sluiten?"):
            return
        self.shutdown()
        super().reject()

    def accept(self) -> None:
        """Voltooien: on the melding page, ask when the email was neither saved nor sent."""
        if self.currentId() == Stap.MELDING and self.melding_niet_bewaard():
            answer = QMessageBox.question(
                self,
                "Melding niet bewaard",
                "U hebt de melding aan CBS nog niet opgeslagen, gekopieerd of in uw "
                "mailprogramma geopend. Als u nu afsluit, is de tekst weg (uw andere werk is "
                "bewaard). Toch afsluiten?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.shutdown()
        super().accept()

    def shutdown(self) -> None:
        """Stop every worker and wait for it (no thread outlives the window, no half file),
        then save the session."""
        for page in self.pages.values():
            runner = getattr(page, "runner", None)
            if runner is not None:
                runner.shutdown()
            if hasattr(page, "shutdown"):
                page.shutdown()
        self.save_now()

    def closeEvent(self, event: QCloseEvent) -> None:
        # QDialog.closeEvent calls reject() while visible; that asks and shuts down.
        super().closeEvent(event)
        if event.isAccepted():
            self.shutdown()
