"""Which characters are not printable text, and how to name them: one definition for the loader, the
Markdown checks and every diagnostic message (which shows such a character as <U+XXXX>, never raw)."""

from __future__ import annotations

import re


def _nonchars() -> str:
    planes = "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    return "\ufdd0-\ufdef" + planes


# Characters that are not printable text: invisible controls (C0 but tab, newline and CR; DEL; C1), bidi
# controls that make text read differently from what it is (Trojan Source), line/paragraph separators
# (YAML and JavaScript treat them as line breaks), noncharacters and lone surrogates.
_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff" + _nonchars()
BAD_IN_FILE = re.compile(f"[{_BAD}]")  # CR is a line ending in a file
# The same for text known to be ASCII (str.isascii): a small class the regex engine checks ~20x faster per character.
BAD_IN_ASCII_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BAD_IN_VALUE = re.compile(f"[\r{_BAD}]")  # but not part of a value
UNPRINTABLE_HINT = "delete it (it is invisible, or changes how the text around it reads) and retype the text there"


def char_kind(ch: str) -> str:
    """What sort of unprintable character `ch` is, in an editor's words."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp <= 0x9F or ch == "\r":
        return "a control character"
    if 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069:
        return "a bidirectional control"
    if ch in "\u2028\u2029":
        return "a line or paragraph separator"
    if 0xD800 <= cp <= 0xDFFF:
        return "a lone surrogate"
    return "a noncharacter"


def describe_char(ch: str) -> str:
    return f"U+{ord(ch):04X} ({char_kind(ch)})"


def shown(text: str) -> str:
    """`text` with every unprintable character written as its code point, fit for a message."""
    return BAD_IN_VALUE.sub(lambda m: f"<U+{ord(m[0]):04X}>", text)
