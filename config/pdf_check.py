"""Whether an uploaded PDF carries active content, judged on the parsed document, not its bytes.

A search of the raw bytes misses what a viewer still runs: names written with `#xx` escapes
(`/J#61vaScript` is `/JavaScript`) and objects inside compressed object streams. So pypdf reads
the document (names normalised, object streams decoded, each within pypdf's own output limits)
and every object of the cross-reference table and of every object stream is walked, with all
the dictionaries and arrays nested in it. Refused:

- a trigger: an additional-actions dictionary (`/AA`: on open, close, page view, field change,
  form calculation...) anywhere, an `/OpenAction` that is an action rather than a page to show;
- any action (a link's or outline item's `/A`, a `/Next` in a chain, a `/Type /Action`) other
  than going to a page, following a link or a viewer command (`/GoTo`, `/URI`, `/Named`):
  JavaScript, Launch, SubmitForm, ImportData, GoToR, GoToE, Rendition, RichMediaExecute...;
- script or embedded content wherever it sits: `/JS`, `/JavaScript` (the document's script
  name tree), `/EmbeddedFile(s)`, `/RichMedia…`, `/XFA` forms.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError

SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named"})
ACTIVE_KEYS = frozenset({"/AA", "/JS", "/JavaScript", "/EF", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
                         "/RichMediaContent", "/RichMediaSettings", "/XFA"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/RichMedia", "/RichMediaExecute"})
# Where an action sits: a link's or an outline item's /A (an action's /Next chain is followed
# from there; an outline item's /Next is the next item).
ACTION_KEYS = ("/A",)
# A walk of nested direct objects deeper than this is a crafted file, not a document.
MAX_DEPTH = 200


class ActiveContent(Exception):
    pass


def _check_action(action) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject

    pending, seen = [action], 0
    while pending:
        one = pending.pop().get_object()
        if isinstance(one, ArrayObject):
            pending.extend(one)
            continue
        seen += 1
        if seen > 1000 or not isinstance(one, DictionaryObject) or one.get("/S") not in SAFE_ACTIONS:
            raise ActiveContent("action")
        if "/Next" in one:
            pending.append(one["/Next"])


def _check_dictionary(node) -> None:
    for key in node:
        if key in ACTIVE_KEYS:
            raise ActiveContent(key)
    kind = node.get("/Type")
    if kind in ACTIVE_TYPES:
        raise ActiveContent(str(kind))
    if kind == "/Action":
        _check_action(node)
    for key in ACTION_KEYS:
        if key in node:
            _check_action(node[key])


def _walk(root) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject

    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ActiveContent("depth")
        if isinstance(node, DictionaryObject):  # a stream's dictionary too
            _check_dictionary(node)
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, ArrayObject):
            stack.extend((value, depth + 1) for value in node)
        # Indirect references are not followed: every indirect object is walked on its own.


def _objects(reader):
    """Every indirect object of the file: those of the cross-reference tables and those stored
    in object streams (pypdf decodes the stream to read them)."""
    from pypdf.generic import IndirectObject

    seen = set()
    for generation, numbers in reader.xref.items():
        for number in numbers:
            seen.add(number)
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        if number not in seen:
            yield reader.get_object(IndirectObject(number, 0, reader))


def pdf_active_content(data: bytes) -> bool:
    """True when the document carries active content (module docstring); ValueError when it
    cannot be read, is encrypted or has no page."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("encrypted")
    if len(reader.pages) < 1:
        raise ValueError("no page")
    root = reader.trailer["/Root"]
    try:
        opening = root.get("/OpenAction")
        opening = opening.get_object() if opening is not None else None
        if opening is not None and not isinstance(opening, ArrayObject) and not (
                isinstance(opening, DictionaryObject) and opening.get("/S") == "/GoTo"):
            raise ActiveContent("/OpenAction")
        _walk(reader.trailer)
        for node in _objects(reader):
            _walk(node)
    except ActiveContent:
        return True
    return False


def pdf_check(data: bytes, *, active_message: str, broken_message: str) -> None:
    try:
        active = pdf_active_content(data)
    except Exception as exc:  # pypdf raises its own errors and plain ones on broken files
        raise ValidationError(broken_message) from exc
    if active:
        raise ValidationError(active_message)
