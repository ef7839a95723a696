#!/usr/bin/env python3
"""Consistency check for examples/corpus-labels.json against the raw files.

Standard library only. Reads every file the way a careful importer would
(BOM / <meta charset> / XML declaration / fallback to windows-1252), opens the
containers (JSON, JSON Lines, RSS 0.91/1.0/2.0, Atom, JSON Feed, WARC) and
checks that the labels describe what is really there.

String matching is done on whitespace-normalised text, against the raw text,
its entity-unescaped form(s) and a tag-stripped form, so that re-wrapped
syndicated copies and HTML escaped inside XML still match.

Usage:  python3 examples/corpus-src/check_labels.py     (exit status 1 on failure)
"""
import codecs
import gzip
import html
import json
import os
import re
import sys
import zlib
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

EXAMPLES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.join(EXAMPLES, "corpus")
LABELS = os.path.join(EXAMPLES, "corpus-labels.json")
CATEGORIES = {
    "armed conflicts and attacks", "arts and culture", "business and economy",
    "disasters and accidents", "health and environment", "international relations",
    "law and crime", "politics and elections", "science and technology", "sports",
}
FORMATS = {"html", "text", "markdown", "json", "jsonl", "rss", "atom", "jsonfeed", "warc", "event-record"}
errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def searchable(s):
    """All the forms of a raw string we accept a label string to match in."""
    forms = [s]
    u1 = html.unescape(s)
    u2 = html.unescape(u1)
    forms += [u1, u2]
    for f in (s, u1, u2):
        forms.append(re.sub(r"<[^>]+>", " ", f))
    return [norm(f) for f in forms]


def contains(hay_forms, needle):
    n = norm(needle)
    return any(n in h for h in hay_forms)


# ---------------------------------------------------------------- decoding
def decode_html(b):
    if b.startswith(codecs.BOM_UTF8):
        return b[3:].decode("utf-8")
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", b[:4096], re.I)
    if m:
        return b.decode(m.group(1).decode("ascii"))
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252")  # browsers treat undeclared ISO-8859-1 as windows-1252


def decode_xml(b):
    m = re.match(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9_-]+)""", b)
    return b.decode(m.group(1).decode("ascii") if m else "utf-8")


def sniff_is_html(b):
    head = b.lstrip(codecs.BOM_UTF8)[:512].lstrip().lower()
    return head.startswith(b"<!doctype html") or head.startswith(b"<html")


# ---------------------------------------------------------------- WARC
def warc_members(path):
    """Decompress a .warc.gz member by member; return list of raw record bytes."""
    data = open(path, "rb").read()
    members = []
    while data:
        d = zlib.decompressobj(wbits=31)
        rec = d.decompress(data)
        rec += d.flush()
        if not d.eof:
            raise ValueError("truncated gzip member")
        members.append(rec)
        data = d.unused_data
    return members


def parse_warc_record(raw):
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError("no header terminator")
    lines = head.split(b"\r\n")
    if lines[0] != b"WARC/1.0":
        raise ValueError("bad version line %r" % lines[0])
    h = {}
    for l in lines[1:]:
        k, _, v = l.decode("utf-8").partition(":")
        h[k.strip().lower()] = v.strip()
    n = int(h["content-length"])
    block, tail = rest[:n], rest[n:]
    if len(block) != n:
        raise ValueError("block shorter than Content-Length")
    if tail != b"\r\n\r\n":
        raise ValueError("record not terminated by CRLF CRLF (Content-Length wrong?)")
    return h, block


def read_warc(path):
    recs = []
    for i, raw in enumerate(warc_members(path)):
        try:
            h, block = parse_warc_record(raw)
        except Exception as e:  # noqa
            err(f"WARC member {i}: {e}")
            continue
        if not re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", h.get("warc-record-id", "")):
            err(f"WARC member {i}: bad WARC-Record-ID {h.get('warc-record-id')}")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", h.get("warc-date", "")):
            err(f"WARC member {i}: bad WARC-Date")
        rec = {"headers": h, "block": block}
        if h.get("warc-type") == "response":
            hh, _, payload = block.partition(b"\r\n\r\n")
            hl = hh.decode("latin-1").split("\r\n")
            status = int(hl[0].split()[1])
            hdrs = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in hl[1:])}
            if int(hdrs.get("content-length", -1)) != len(payload):
                err(f"WARC response {h.get('warc-target-uri')}: HTTP Content-Length mismatch")
            if not hl[0].startswith("HTTP/1.1 "):
                err(f"WARC response {h.get('warc-target-uri')}: bad status line")
            rec.update(status=status, ctype=hdrs.get("content-type", ""), payload=payload)
        recs.append(rec)
    return recs


# ---------------------------------------------------------------- container items
def xml_items(path):
    """Return {url: item_text} for RSS 0.91/1.0/2.0 and Atom files."""
    raw = open(path, "rb").read()
    root = ET.fromstring(raw)
    items = {}
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag == "item":
            link = next((c.text for c in el if c.tag.split("}")[-1] == "link"), None)
            items[(link or "").strip()] = "\n".join(t for t in el.itertext())
        elif tag == "entry":
            link = next((c.get("href") for c in el if c.tag.split("}")[-1] == "link"
                         and c.get("rel", "alternate") == "alternate"), None)
            items[link] = "\n".join(t for t in el.itertext())
    return items


def json_items(path):
    if path.endswith(".jsonl"):
        objs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    else:
        doc = json.load(open(path, encoding="utf-8"))
        objs = doc["items"] if isinstance(doc, dict) and "items" in doc else doc
    return {o["url"]: o for o in objs}


def json_item_text(o):
    parts = []
    for k, v in o.items():
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, list):
            parts.extend(x if isinstance(x, str) else x.get("name", "") for x in v)
    return "\n".join(parts)


# ---------------------------------------------------------------- main
def main():
    labels = json.load(open(LABELS, encoding="utf-8"))
    outlets = {o["name"] for o in labels["outlets"]}
    stories = {s["id"] for s in labels["stories"]}
    events = {e["id"]: e for e in labels["events"]}

    for e in labels["events"]:
        if e["story"] not in stories:
            err(f"event {e['id']}: unknown story")
        if e["category"] not in CATEGORIES:
            err(f"event {e['id']}: bad category {e['category']}")

    # ---- every raw file, decoded (WARC decompressed), for keep/boilerplate search
    raw_texts = {}
    warc_cache = {}
    for dp, dn, fn in os.walk(ROOT):
        if os.path.relpath(dp, ROOT).startswith("tools"):
            continue
        for f in fn:
            rel = os.path.relpath(os.path.join(dp, f), ROOT)
            if rel in ("labels.json", "README.md"):
                continue
            b = open(os.path.join(ROOT, rel), "rb").read()
            if rel.endswith(".warc.gz"):
                recs = read_warc(os.path.join(ROOT, rel))
                warc_cache[rel] = recs
                raw_texts[rel] = "\n".join(decode_html(r["payload"]) for r in recs
                                           if r.get("ctype", "").startswith("text/html"))
            elif rel.endswith((".rss", ".rdf", ".atom", ".opml")):
                raw_texts[rel] = decode_xml(b)
            elif sniff_is_html(b):
                raw_texts[rel] = decode_html(b)
            else:
                raw_texts[rel] = b.decode("utf-8")
    raw_forms = {k: searchable(v) for k, v in raw_texts.items()}

    # ---- feeds / json parse
    for rel in raw_texts:
        p = os.path.join(ROOT, rel)
        if rel.endswith((".rss", ".rdf", ".atom", ".opml")):
            try:
                ET.fromstring(open(p, "rb").read())
            except ET.ParseError as e:
                err(f"{rel}: XML parse error {e}")
        elif rel.endswith(".json"):
            try:
                json.load(open(p, encoding="utf-8"))
            except ValueError as e:
                err(f"{rel}: JSON parse error {e}")
        elif rel.endswith(".jsonl"):
            for i, l in enumerate(open(p, encoding="utf-8")):
                try:
                    json.loads(l)
                except ValueError as e:
                    err(f"{rel}:{i + 1}: JSON parse error {e}")
    jf = json.load(open(os.path.join(ROOT, "feeds/tideline-business.json"), encoding="utf-8"))
    if jf.get("version") != "https://jsonfeed.org/version/1.1":
        err("JSON Feed version is not 1.1")

    # ---- WARC structure
    for rel, recs in warc_cache.items():
        types = [r["headers"].get("warc-type") for r in recs]
        if types[0] != "warcinfo":
            err(f"{rel}: first record is not warcinfo")
        if "metadata" not in types:
            err(f"{rel}: no metadata record")
        resp = [r for r in recs if r["headers"].get("warc-type") == "response"]
        if not any(r["status"] == 404 for r in resp):
            err(f"{rel}: no 404 response")
        if not any(r["ctype"].startswith("image/jpeg") for r in resp):
            err(f"{rel}: no image/jpeg response")
        for r in resp:
            if r["headers"].get("content-type") != "application/http; msgtype=response":
                err(f"{rel}: response record with wrong Content-Type")

    # ---- article text extraction
    container_cache = {}

    def article_text(a):
        path = os.path.join(ROOT, a["path"])
        fmt = a["format"]
        if fmt in ("html", "text", "markdown", "event-record"):
            return raw_texts[a["path"]]
        if a["url"] is None:
            raise KeyError("container item without url")
        if fmt in ("json", "jsonl", "jsonfeed"):
            items = container_cache.setdefault(a["path"], json_items(path))
            return json_item_text(items[a["url"]])
        if fmt in ("rss", "atom"):
            items = container_cache.setdefault(a["path"], xml_items(path))
            return items[a["url"]]
        if fmt == "warc":
            for r in warc_cache[a["path"]]:
                if r["headers"].get("warc-type") == "response" and r["headers"].get("warc-target-uri") == a["url"]:
                    if r["status"] != 200:
                        raise KeyError("non-200 response")
                    return decode_html(r["payload"])
            raise KeyError("no WARC response")
        raise KeyError("unknown format " + fmt)

    art_forms = {}
    ident = {}
    counted = []
    for a in labels["articles"]:
        key = a["url"] or a["path"]
        if key in ident:
            err(f"duplicate article identifier {key}")
        ident[key] = a
        if not os.path.exists(os.path.join(ROOT, a["path"])):
            err(f"missing path {a['path']}")
            continue
        if a["format"] not in FORMATS:
            err(f"{key}: bad format {a['format']}")
        if a["event"] not in events:
            err(f"{key}: unknown event {a['event']}")
        elif events[a["event"]]["story"] != a["story"]:
            err(f"{key}: story does not match event")
        if a["outlet"] is not None and a["outlet"] not in outlets:
            err(f"{key}: unknown outlet {a['outlet']}")
        try:
            txt = article_text(a)
        except KeyError as e:
            err(f"{key}: cannot extract item ({e})")
            continue
        forms = searchable(txt)
        art_forms[key] = forms
        if a["format"] != "event-record" and not contains(forms, a["title"]):
            err(f"{key}: title not found in article")
        if a["format"] != "event-record":
            for n in a["authors"]:
                if not contains(forms, n):
                    err(f"{key}: author {n} not found")
        if a["format"] != "event-record" and not a.get("summary_only"):
            counted.append(a)
            if a["format"] in ("text",) and a["url"] is not None:
                err(f"{key}: text article should carry no URL")
    for a in labels["articles"]:
        if a.get("copy_of") and a["copy_of"] not in ident:
            err(f"{a['url'] or a['path']}: copy_of points to unknown article {a['copy_of']}")
        if a.get("copy_of") and ident.get(a["copy_of"], {}).get("event") != a["event"]:
            err(f"{a['url'] or a['path']}: copy has a different event from its original")

    # ---- keep / boilerplate / quotes
    for k in labels["keep"]:
        if not any(contains(f, k) for f in raw_forms.values()):
            err(f"keep string not found in any raw file: {k[:70]}")
    for b in labels["boilerplate"]:
        if not any(contains(f, b) for f in raw_forms.values()):
            err(f"boilerplate string not found in any raw file: {b[:70]}")
    for a in counted:
        key = a["url"] or a["path"]
        if key in art_forms and not any(contains(art_forms[key], k) for k in labels["keep"]):
            err(f"{key}: no keep sentence found in article")
    for q in labels["quotes"]:
        for ref in q["articles"]:
            if ref not in art_forms:
                err(f"quote {q['text'][:40]!r}: unknown article {ref}")
            elif not contains(art_forms[ref], q["text"]):
                err(f"quote {q['text'][:40]!r} not found in {ref}")
    multi = [q for q in labels["quotes"] if len({ident[r]["outlet"] for r in q["articles"] if r in ident}) >= 2]
    if not multi:
        err("no quote appears in two outlets")

    # ---- entities: every variant occurs somewhere
    all_forms = [f for forms in raw_forms.values() for f in forms]
    for e in labels["entities"]:
        for v in [e["name"]] + e["variants"]:
            if not any(norm(v) in f for f in all_forms):
                err(f"entity variant not found: {v}")

    # ---- counts
    per_event = Counter(a["event"] for a in counted)
    for ev in events:
        if not 3 <= per_event[ev] <= 8:
            err(f"event {ev}: {per_event[ev]} articles (want 3-8)")
    used_outlets = {a["outlet"] for a in counted}
    fmts = Counter(a["format"] for a in counted)
    summary = {
        "articles (counted)": len(counted),
        "articles excluding syndicated copies": sum(1 for a in counted if not a.get("copy_of")),
        "summary-only feed items": sum(1 for a in labels["articles"] if a.get("summary_only")),
        "event records": sum(1 for a in labels["articles"] if a["format"] == "event-record"),
        "outlets": len(used_outlets),
        "stories": len(stories),
        "events": len(events),
        "entities": len(labels["entities"]),
        "quotes": len(labels["quotes"]),
        "boilerplate": len(labels["boilerplate"]),
        "keep": len(labels["keep"]),
        "formats": dict(sorted(fmts.items())),
        "warc records": {k: len(v) for k, v in warc_cache.items()},
    }
    mins = [("articles (counted)", 48), ("outlets", 7), ("events", 9), ("stories", 3),
            ("entities", 25), ("quotes", 15), ("boilerplate", 40), ("keep", 60)]
    for k, m in mins:
        if summary[k] < m:
            err(f"count {k} = {summary[k]} < {m}")
    if fmts["html"] < 14:
        err("fewer than 14 HTML articles")
    if fmts["text"] < 8:
        err("fewer than 8 text articles")
    if fmts["markdown"] < 3:
        err("fewer than 3 markdown articles")
    if fmts["warc"] < 5:
        err("fewer than 5 WARC articles")

    print(json.dumps(summary, indent=2))
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
