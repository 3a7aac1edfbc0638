"""Reading the project's .po catalogues, and writing the French plural-only one.

The source strings are French. A msgid found in no catalogue is rendered by gettext's own
rule, which is English: `n != 1`, so 0 would read « 0 bilans terminés ». French says « 0 bilan
terminé » (0 and 1 take the singular). The French catalogue therefore holds every plural entry
of the code, translated to itself, under `Plural-Forms: nplurals=2; plural=(n > 1);`; the
singular-only strings need no French entry. `manage.py french_plurals` writes it from the
English catalogue, which makemessages keeps complete."""

import ast
from pathlib import Path


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file, header included, obsolete ones (#~) left out.

    Each entry is a dict: "flags" (a set), "msgctxt" (or None), "msgid", "msgid_plural"
    (or None) and "msgstr" (a list: one string, or one per plural form)."""
    entries: list[dict] = []
    entry: dict | None = None
    field: str | int | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#~"):
            continue
        starts_entry = not line or line.startswith(("#", "msgctxt ", "msgid "))
        if entry is not None and entry["msgstr"] and starts_entry:
            entries.append(entry)
            entry = None
        if not line:
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#"):
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)  # PO strings use the C escapes Python understands
        else:
            name, _, quoted = line.partition(" ")
            text = ast.literal_eval(quoted)
            if name.startswith("msgstr"):
                field = int(name[7:-1]) if "[" in name else 0
                entry["msgstr"][field] = ""
            else:
                field = name
                entry[field] = ""
        if isinstance(field, int):
            entry["msgstr"][field] += text
        elif field is not None:
            entry[field] += text
    if entry is not None:
        entries.append(entry)
    for entry in entries:
        entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
    return entries


FRENCH_HEADER = (
    "# French plural forms only (see tisser/core/po_files.py): written by\n"
    "# `manage.py french_plurals` from the English catalogue. Do not edit by hand.\n"
    'msgid ""\n'
    'msgstr ""\n'
    '"Language: fr\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
)


def _quoted(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def french_plural_catalogue(english: list[dict]) -> str:
    """The text of the French .po: each plural entry of `english`, rendered as itself."""
    blocks = [FRENCH_HEADER]
    plural = [e for e in english if e["msgid"] and e["msgid_plural"]]
    for entry in sorted(plural, key=lambda e: (e["msgctxt"] or "", e["msgid"])):
        lines = []
        if entry["msgctxt"] is not None:
            lines.append(f"msgctxt {_quoted(entry['msgctxt'])}")
        lines += [
            f"msgid {_quoted(entry['msgid'])}",
            f"msgid_plural {_quoted(entry['msgid_plural'])}",
            f"msgstr[0] {_quoted(entry['msgid'])}",
            f"msgstr[1] {_quoted(entry['msgid_plural'])}",
        ]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
