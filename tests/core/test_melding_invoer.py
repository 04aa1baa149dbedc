"""The melding's TOML files are read in every encoding Notepad saves; a broken one gets a Dutch
message with the line number."""

from __future__ import annotations

import pytest

from srgdesk.core import melding as core
from srgdesk.core.errors import InvoerFout

TOML = 'soort = "contactpersoon"\ncontact_naam = "Zoë Müller"\nopmerking = "reïntegratie, café"\n'


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("cp1252", b""),
        ("utf-16", b""),  # Python writes the BOM, as Notepad's "Unicode" does
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_invoer_in_every_notepad_encoding(encoding, bom, tmp_path):
    path = tmp_path / "invoer.toml"
    path.write_bytes(bom + TOML.encode(encoding))
    melding = core.read_invoer(path)
    assert melding.contact_naam == "Zoë Müller"
    assert melding.opmerking == "reïntegratie, café"


@pytest.mark.parametrize(
    ("text", "regel"),
    [
        ('soort = "contactpersoon"\ncontact_naam = Zoë\n', 2),
        ('soort = "contactpersoon"\n\n\nopmerking = "open\n', 4),
        ("[melding\n", 1),
    ],
)
def test_broken_toml_names_the_line_and_not_its_content(text, regel, tmp_path):
    path = tmp_path / "invoer.toml"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    with pytest.raises(InvoerFout, match=f"op regel {regel}, kolom") as info:
        core.read_invoer(path)
    assert "Zoë" not in info.value.melding
    assert "line" not in info.value.melding  # Dutch, not tomllib's English


def test_bsn_in_a_broken_line_is_never_repeated(tmp_path):
    path = tmp_path / "invoer.toml"
    path.write_text("opmerking = 123456782 abc\n", encoding="utf-8")
    with pytest.raises(InvoerFout) as info:
        core.read_invoer(path)
    assert "123456782" not in info.value.melding


def test_random_bytes_are_a_clear_error(tmp_path):
    path = tmp_path / "invoer.toml"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InvoerFout, match="schrijffout"):
        core.read_invoer(path)


def test_a_folder_is_not_an_input_file(tmp_path):
    with pytest.raises(InvoerFout, match="map"):
        core.read_invoer(tmp_path)


def test_own_template_saved_as_ansi(tmp_path):
    text = (
        core.resource_path("melding", "sjabloon.toml")
        .read_text(encoding="utf-8")
        .replace("Geachte heer, mevrouw,", "Beste collega's van CBS, één vraag:")
    )
    eigen = tmp_path / "eigen.toml"
    eigen.write_bytes(text.encode("cp1252"))
    assert (
        core.load_sjabloon(eigen).brief.lstrip().startswith("Beste collega's van CBS, één vraag:")
    )
