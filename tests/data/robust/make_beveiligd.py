"""Make beveiligd.xlsx and beveiligd.xls: a small SRG export protected with the password 'geheim'.

Run once with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno):
    /usr/bin/python3 tests/data/robust/make_beveiligd.py
LibreOffice 7.4 ignores a password for .xlsx, so encrypt that one afterwards with
msoffcrypto-tool (in a scratch virtualenv, not a project dependency):
    msoffcrypto-tool -e -p geheim beveiligd.xlsx beveiligd.xlsx.enc && mv beveiligd.xlsx.enc beveiligd.xlsx
The results are committed; the tests only read them.
"""

import subprocess
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

HERE = Path(__file__).resolve().parent
ROWS = [
    [
        "Gemeentecode",
        "Berichtgevercode",
        "BSN",
        "Registratienummer voorziening",
        "Soort voorziening",
        "Begindatum voorziening",
        "Einddatum voorziening",
    ],
    ["0363", "4021", "111222333", "VZ1", "07", "20230101", ""],
]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def named(name, value):
    from com.sun.star.beans import NamedValue

    n = NamedValue()
    n.Name, n.Value = name, value
    return n


def main():
    profile = Path(tempfile.mkdtemp())
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.as_uri()}",
            "--accept=pipe,name=srgbev;urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(60):
            try:
                ctx = resolver.resolve("uno:pipe,name=srgbev;urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - any failure means: not up yet
                time.sleep(0.5)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            "private:factory/scalc", "_blank", 0, (prop("Hidden", True),)
        )
        sheet = doc.Sheets.getByIndex(0)
        for r, row in enumerate(ROWS):
            for c, value in enumerate(row):
                sheet.getCellByPosition(c, r).setString(value)
        # OOXML takes the password as EncryptionData/OOXPassword (agile encryption), .xls as
        # a plain Password (a FILEPASS record).
        ooxml = (named("OOXPassword", "geheim"),)
        doc.storeToURL(
            (HERE / "beveiligd.xlsx").as_uri(),
            (prop("FilterName", "Calc MS Excel 2007 XML"), prop("EncryptionData", ooxml)),
        )
        doc.storeToURL(
            (HERE / "beveiligd.xls").as_uri(),
            (prop("FilterName", "MS Excel 97"), prop("Password", "geheim")),
        )
        doc.close(True)
    finally:
        office.terminate()
        office.wait(30)


if __name__ == "__main__":
    main()
