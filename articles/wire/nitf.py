"""NITF 3.x documents: XML in, a WireStory or WireKill out; pure functions, no database.

Read: hedline/hl1, byline (and byttl), distributor, dateline/location, docdata's doc-id,
date.issue, date.release and management-status (embargo, kill), du-key (the keyword and
version), ed-msg, and body.content's paragraphs and tables, with no namespace or in
the IPTC's. The standard library's parser reads it, after any document type with an
internal subset (where entities, and so the billion laughs and external entities, would
be declared) has been refused.
"""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from articles.text import TABLE_CELL_BREAK, TABLE_ROW_BREAK
from articles.wire.blocks import Block
from articles.wire.errors import WireFormatError
from articles.wire.plaintext import dateline_match, version_of
from articles.wire.stories import WireKill, WireStory
from articles.wire.timelines import embargo_time

DOCTYPE = re.compile(r"<!DOCTYPE\b[^>\[]*(?P<subset>\[)?", re.IGNORECASE)
# NITF 3.x documents come with no namespace or in one of the IPTC's, dated by version
# (http://iptc.org/std/NITF/2006-10-18/), as a default namespace or with a prefix.
NITF_NAMESPACE = re.compile(r"https?://iptc\.org/std/NITF/[\w.-]+/?")
ROOT = re.compile(r"<(?:[\w.-]+:)?nitf\b")
KILLED = {"canceled", "cancelled", "withheld"}
AGENCIES = {"the associated press": "AP", "associated press": "AP"}


def looks_like(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    return head.startswith("<") and ROOT.search(head) is not None


def parse(text: str) -> WireStory | WireKill:
    root = _root(text)
    docdata = root.find("head/docdata")
    if docdata is None:
        docdata = ET.Element("docdata")
    keyword, version = _du_key(docdata)
    note = re.sub(r"^Eds?:\s*", "", _attribute(docdata, "ed-msg", "info"), flags=re.IGNORECASE)
    issued = _norm_time(docdata, "date.issue")
    if docdata.get("management-status", "").lower() in KILLED:
        reason = note or _text(root.find("body/body.content")) or "withdrawn by the wire"
        return WireKill(keyword=keyword, reason=reason, wire_time=issued)
    if issued is None:
        raise WireFormatError("the document has no docdata/date.issue with a norm time")
    head = root.find("body/body.head")
    if head is None:
        raise WireFormatError("the document has no body.head")
    headline = _text(head.find("hedline/hl1"))
    if not headline:
        raise WireFormatError("the document has no headline (body.head/hedline/hl1)")
    paragraphs = _paragraphs(root.find("body/body.content"))
    if not paragraphs:
        raise WireFormatError("the document has no paragraph in body.content")
    distributor = _text(head.find("distributor"))
    release = _norm_time(docdata, "date.release")
    return WireStory(
        headline=headline,
        wire_time=issued,
        versions=(_version(paragraphs, head, distributor),),
        byline=_byline(head.find("byline")),
        keyword=keyword,
        version=version,
        version_label=f"version {version}" if version else "",
        priority=_attribute(docdata, "urgency", "ed-urg"),
        editors_note=note,
        embargo=release if release and release > issued else embargo_time(note),
        distributor=distributor,
        doc_id=_attribute(docdata, "doc-id", "id-string"),
        updated=version > 0,
    )


def _root(text):
    text = text.lstrip("\ufeff")
    doctype = DOCTYPE.search(text)
    if doctype and doctype["subset"] or re.search(r"<!ENTITY", text, re.IGNORECASE):
        raise WireFormatError(
            "the document declares entities (an internal DTD subset): refused, as entities "
            "can read files or expand without end"
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise WireFormatError(f"it is not well-formed XML: {error}", error.position[0]) from None
    namespace, tag = _split_tag(root.tag)
    if tag != "nitf" or namespace and not NITF_NAMESPACE.fullmatch(namespace):
        raise WireFormatError(
            f"the document is <{root.tag}>, not <nitf> (with no namespace or the IPTC's)"
        )
    _strip_namespaces(root)
    return root


def _split_tag(tag):
    """ElementTree's "{namespace}name" as (namespace, name); ("", name) without one."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _strip_namespaces(root):
    """Every element of the document by its local name, so that one reading serves NITF
    with and without the IPTC namespace (attributes of NITF are never namespaced)."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = _split_tag(element.tag)[1]


def _du_key(docdata):
    key = docdata.find("du-key")
    if key is None:
        return "", 0
    version = key.get("version", "0")
    if not version.isdigit():
        raise WireFormatError(f"the du-key's version “{version}” is not a number")
    return key.get("key", "").strip(), int(version)


def _attribute(docdata, tag, name):
    element = docdata.find(tag)
    return " ".join((element.get(name) or "").split()) if element is not None else ""


def _norm_time(docdata, tag):
    """An ISO 8601 `norm` time: 20160829T162600Z, or 2016-08-29T16:26:00-04:00."""
    element = docdata.find(tag)
    norm = (element.get("norm") or "").strip() if element is not None else ""
    if not norm:
        return None
    try:
        when = datetime.fromisoformat(norm)
    except ValueError:
        raise WireFormatError(f"the {tag} time “{norm}” is not an ISO 8601 time") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _text(element):
    """An element's text with its children's, white space collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _byline(element):
    if element is None:
        return ""
    title = _text(element.find("byttl"))
    name = " ".join(((element.text or "") + "".join(_tails(element))).split())
    return ", ".join(part for part in (name, title) if part)


def _tails(element):
    """The byline's own words: its children's text but the title's, and their tails."""
    for child in element:
        if child.tag != "byttl":
            yield "".join(child.itertext())
        yield child.tail or ""


def _paragraphs(content):
    if content is None:
        return []
    paragraphs = []
    for element in content.iter():
        if element.tag == "p" and _text(element):
            paragraphs.append(_text(element))
        elif element.tag == "table":
            rows = [
                TABLE_CELL_BREAK.join(_text(cell) for cell in row if cell.tag in ("td", "th"))
                for row in element.iter("tr")
            ]
            if rows:
                paragraphs.append(TABLE_ROW_BREAK.join(rows))
    return paragraphs


def _version(paragraphs, head, distributor):
    """The version, its dateline from the first paragraph, else from dateline/location."""
    if not dateline_match(paragraphs[0]):
        place = _text(head.find("dateline/location"))
        agency = AGENCIES.get(distributor.lower(), distributor)
        if not place or not agency:
            raise WireFormatError(
                "the first paragraph has no dateline, and the document no dateline/location "
                "and distributor to make one"
            )
        paragraphs = [f"{place} ({agency}) — {paragraphs[0]}", *paragraphs[1:]]
    blocks = [Block((text,), number) for number, text in enumerate(paragraphs, start=1)]
    return version_of(blocks, "")
