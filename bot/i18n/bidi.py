"""Right-to-left text (Arabic, Persian) with Latin names and numbers in it.

Without help, a Latin name or a number at the edge of an Arabic sentence makes the
Unicode bidi algorithm reorder the words around it. Each inserted value is isolated
(FSI ... PDI) and each line starts with a right-to-left mark, so the line's direction
does not depend on whichever letter happens to come first.
"""

FSI = "\u2068"  # first strong isolate
PDI = "\u2069"  # pop directional isolate
RLM = "\u200f"  # right-to-left mark


def isolate(value: str) -> str:
    return f"{FSI}{value}{PDI}"


def mark_rtl_lines(text: str) -> str:
    return "\n".join(line if not line else RLM + line for line in text.split("\n"))
