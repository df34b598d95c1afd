"""A story as an NITF 3.6 document, read back by articles.wire.nitf into the same story.

The document carries the revision's headline, byline (its title in byttl), dateline,
time (date.issue), embargo (date.release), keyword and wire version (du-key), editor's
note (ed-msg) and the published text's paragraphs and tables in body.content. A
breaking update's text goes as it is shown: the new top, the note, the earlier story.
"""

import xml.etree.ElementTree as ET
from datetime import UTC

from articles.text import Kind, published_paragraphs, table_rows

AGENCY_NAMES = {"AP": "The Associated Press"}
NITF_VERSION = "-//IPTC//DTD NITF 3.6//EN"


def nitf_document(story, number=None, publication="Newsdesk") -> str:
    """Story `story` at revision `number` (default: as it stands), as NITF text."""
    stack = story.revision_stack(number)
    if not stack:
        raise story.DoesNotExist(f"the story “{story.slug}” has no revision {number}")
    newest = stack[0]
    root = ET.Element("nitf", version=NITF_VERSION)
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = newest.headline
    docdata = ET.SubElement(
        head, "docdata", {"management-status": "embargoed" if story.not_before else "usable"}
    )
    ET.SubElement(docdata, "doc-id", {"id-string": f"{story.slug}-{newest.number}"})
    version = newest.wire_version if newest.wire_version is not None else newest.number - 1
    ET.SubElement(docdata, "du-key", key=story.wire_keyword or story.slug, version=str(version))
    ET.SubElement(docdata, "date.issue", norm=_norm(newest.dated_at))
    if story.not_before:
        ET.SubElement(docdata, "date.release", norm=_norm(story.not_before))
    breaking = newest.kind == Kind.BREAKING_UPDATE
    if newest.editors_note and not breaking:
        ET.SubElement(docdata, "ed-msg", info=newest.editors_note)
    body = ET.SubElement(root, "body")
    _body_head(ET.SubElement(body, "body.head"), newest, publication)
    content = ET.SubElement(body, "body.content")
    paragraphs = list(published_paragraphs(stack)) if breaking else _own_paragraphs(newest)
    for paragraph in paragraphs:
        _paragraph(content, str(paragraph))  # the dateline opens the first
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _own_paragraphs(revision):
    """The revision's own text, its note left to ed-msg."""
    return [p for p in published_paragraphs([revision]) if not p.is_note]


def _body_head(head, revision, publication):
    ET.SubElement(ET.SubElement(head, "hedline"), "hl1").text = revision.headline
    if revision.byline:
        name, title = _byline_parts(revision.byline)
        byline = ET.SubElement(head, "byline")
        byline.text = name
        if title:
            ET.SubElement(byline, "byttl").text = title
    ET.SubElement(head, "distributor").text = AGENCY_NAMES.get(revision.agency, publication)
    if revision.dateline_place:
        ET.SubElement(ET.SubElement(head, "dateline"), "location").text = revision.dateline_place


def _byline_parts(byline):
    """ "By JANE DOE, AP Sports Writer" -> ("By JANE DOE", "AP Sports Writer")."""
    name, comma, title = byline.rpartition(", ")
    if not comma or not name.startswith("By ") or " and " in title:
        return byline, ""
    return name, title


def _paragraph(content, text):
    rows = table_rows(text)
    if not rows:
        ET.SubElement(content, "p").text = text
        return
    table = ET.SubElement(content, "table")
    for index, cells in enumerate(rows):
        row = ET.SubElement(table, "tr")
        for cell in cells:
            ET.SubElement(row, "th" if index == 0 else "td").text = cell


def _norm(when):
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
