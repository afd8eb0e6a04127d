"""Python's terse JSON syntax errors in plain words (bodies, integration and sample files).

``json`` says "Invalid control character at" or "Expecting ',' delimiter"; a user reads what
was expected and what is at the place instead.
"""

from __future__ import annotations

JSON_PROBLEMS = {
    "Expecting value": "a value (string, number, object, array, true, false or null) was expected",
    "Expecting property name enclosed in double quotes": "a property name in double quotes "
    "was expected",
    "Expecting ',' delimiter": "a comma or the end of the object or array was expected",
    "Expecting ':' delimiter": "a colon after the property name was expected",
    "Unterminated string starting at": "a string starts here and is never closed",
    "Invalid \\escape": "a backslash starts no JSON escape (write \\\\ for a backslash)",
    "Invalid \\uXXXX escape": "a \\u escape needs four hexadecimal digits",
    "Extra data": "there is more text after the end of the JSON value",
    "Illegal trailing comma before end of object": "a comma before the closing }",
    "Illegal trailing comma before end of array": "a comma before the closing ]",
}


def _char_name(char: str) -> str:
    names = {"\n": "line break", "\r": "carriage return", "\t": "tab"}
    return f"raw {names.get(char, f'control character U+{ord(char):04X}')}"


def plain_json_problem(message: str, text: str, offset: int) -> str:
    """Python's terse JSON error in plain words, with what is at the position."""
    if message.startswith("Invalid control character"):
        char = text[offset] if offset < len(text) else "\n"
        return (
            f"a {_char_name(char)} inside a string (JSON writes it as an escape such as \\n; "
            "@JsonEncode does that)"
        )
    return JSON_PROBLEMS.get(message, message)
