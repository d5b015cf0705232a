"""The decision aid's screens as the page draws them, in a few lines a reader can check by eye.

assets/wizard.js draws each block of core/display.py by its kind (`draw`): a heading of level N is <hN>,
a block's style becomes classes prefixed `wz-`, its slot a data attribute, a link's address an href. This
helper follows the same rules and writes one line per element, indented by nesting, so a test can state
the whole screen a practitioner sees (tags, classes, slots, words and links) as a block of text. A kind the
page does not draw is an error here as it is there (wizard.js throws a TypeError).

    <h1> What to do next
    <section .wz-act-now [immediate]>
      <h2> Act today
"""

from __future__ import annotations


def _classes(style: str) -> str:
    return " ".join(s if s.startswith("wz-") else f"wz-{s}" for s in (style or "").split())


def _text(value) -> str:
    """A text or the runs of core/spec_text.py: a marked run is shown as «text»@lang."""
    if isinstance(value, list):
        return "".join(_text(run) for run in value)
    if isinstance(value, dict):
        return f"«{value['text']}»@{value['lang']}"
    return str(value)


def _open(tag: str, block: dict, style: str | None = None) -> str:
    classes = _classes(block.get("style", "") if style is None else style)
    parts = [tag] + ([f".{classes.replace(' ', '.')}"] if classes else []) + (
        [f"[{block['slot']}]"] if block.get("slot") else [])
    return f"<{' '.join(parts)}>"


def draw(block: dict, depth: int = 0) -> list[str]:
    pad = "  " * depth
    kind = block["kind"]
    if kind == "heading":
        level = block["level"]
        if level == 1:  # the screen's heading takes the focus; its class is the page's own
            return [f"{pad}<h1 .wz-heading{' [' + block['slot'] + ']' if block.get('slot') else ''}> "
                    f"{_text(block['text'])}"]
        return [f"{pad}{_open(f'h{level}', block)} {_text(block['text'])}"]
    if kind == "paragraph":
        text = f"**{_text(block['text'])}**" if block.get("strong") else _text(block["text"])
        return [f"{pad}{_open('p', block)} {text}"]
    if kind == "list":
        return [f"{pad}{_open('ul', block)}"] + [f"{pad}  - {_text(item)}" for item in block["items"]]
    if kind == "section":
        return [f"{pad}{_open('section', block)}"] + [line for b in block["blocks"] for line in draw(b, depth + 1)]
    if kind == "warning":
        return [f"{pad}<warning> {_text(block['text'])}"]
    if kind == "contact":
        lines = [f"{pad}<contact> {_text(block['name'])}"]
        for detail in block["details"]:
            link = f" -> {detail['href']}" if detail["href"] else ""
            lines.append(f"{pad}  - {_text(detail['label'])}: {_text(detail['text'])}{link}")
        if block["note"]:
            lines.append(f"{pad}  <p .wz-hint> {_text(block['note'])}")
        return lines
    if kind == "table":
        lines = [f"{pad}{_open('table', block)}", f"{pad}  | " + " | ".join(_text(h) for h in block["head"])]
        return lines + [f"{pad}  | " + " | ".join(_text(cell) for cell in row) for row in block["rows"]]
    if kind in ("pairs", "answers", "lines"):
        default = "wz-record__lines" if kind == "lines" else "wz-summary"
        lines = [f"{pad}{_open('dl', block, block.get('style') or default)}"]
        for row in block["rows"]:
            if kind == "lines":
                lines.append(f"{pad}  {_text(row)}: ____")
                continue
            shown = row["text"] if "text" in row else row["shown"]
            where = f" [{row['slot']}]" if row.get("slot") else ""
            change = f" ({_text(row['change'])} -> ?ask={row['ask']})" if kind == "answers" else ""
            lines.append(f"{pad}  {_text(row['label'])}:{where} {_text(shown)}{change}")
        return lines
    if kind == "buttons":
        return [f"{pad}{_open('div', block)}"] + [f"{pad}  [{_text(i['text'])}] ({i['action']})" for i in block["items"]]
    if kind == "links":
        return [f"{pad}{_open('p', block)} " + " ".join(
            f"[{_text(p['text'])}]({p['action']})" if p.get("action") else _text(p["text"]) for p in block["parts"])]
    raise TypeError(kind)


def drawn(blocks: list[dict]) -> str:
    """The screen, one element a line (an empty text leaves no space at the end of its line)."""
    return "\n".join(line.rstrip() for block in blocks for line in draw(block))
