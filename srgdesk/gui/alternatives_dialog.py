"""Choose among the candidates of a twijfel: each new voorziening with its soort and dates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from srgdesk.core.values import days_to_text


def describe_new(frame, index: int) -> str:
    row = frame.iloc[index]
    end = days_to_text(int(row["einddatum"])) or "loopt door"
    text = row["omschrijving"] or ""
    return (
        f"{row['gemeentecode']} · {row['berichtgevercode']} · {row['registratienummer']} — "
        f"soort {row['soort']} {text}, {days_to_text(int(row['begindatum']))} t/m {end} "
        f"(regel {int(row['regel'])})"
    )


class AlternatievenDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, oud_tekst: str, options: list[tuple[int, str]], current: int
    ):
        super().__init__(parent)
        self.setWindowTitle("Kies de juiste nieuwe voorziening")
        layout = QVBoxLayout(self)
        uitleg = QLabel(
            f"Bij de oude voorziening {oud_tekst} passen meer nieuwe voorzieningen "
            "even goed. Kies de voorziening die echt de voortzetting is."
        )
        uitleg.setWordWrap(True)
        layout.addWidget(uitleg)
        self.list = QListWidget()
        self.list.setAccessibleName("Mogelijke nieuwe voorzieningen")
        for index, text in options:
            item = QListWidgetItem(text)
            item.setData(256, index)
            self.list.addItem(item)
            if index == current:
                self.list.setCurrentItem(item)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(buttons)
        self.resize(720, 300)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(256))
