"""What every e-mail of the project shares: headers written from any text.

Subjects are built from names and titles people type (a beneficiary's name, a meeting's
title, an organisation's name). Django refuses a header with a line break in it
(`BadHeaderError`), so a single line break typed in a name made every e-mail about that
person fail (ADR 0011). Headers are therefore built through `header_text`, which keeps the
text on one line instead of refusing it."""

import unicodedata

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: none has a
# place in a header, and some mail software breaks lines on them.
_BREAKING = {"Cc", "Zl", "Zp"}


def header_text(value: str) -> str:
    """`value` on one line, fit for a mail header: every control character or line break
    becomes a space, and runs of spaces become one."""
    spaced = "".join(" " if unicodedata.category(char) in _BREAKING else char for char in value)
    return " ".join(spaced.split())
