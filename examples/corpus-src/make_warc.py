#!/usr/bin/env python3
"""Build warc/crawl.warc.gz from the HTML sources in examples/corpus-src/warc-src/.

Standard library only. Every WARC record is written as its own gzip member
(the layout Common Crawl uses), so readers can seek to and decompress single
records. Output is deterministic: record IDs are UUIDv5 values derived from
the target URI, and gzip headers carry mtime=0.

Record order:
  1. warcinfo
  2. for each manifest entry: request, then response (application/http)
     - HTML article pages (200, text/html; charset=utf-8)
     - one 404 page and one image/jpeg response, which importers must skip
  3. one metadata record describing the first article fetch

Usage:  python3 examples/corpus-src/make_warc.py
"""
import base64
import datetime
import gzip
import hashlib
import json
import os
import uuid
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "warc-src")
OUT = os.path.join(os.path.dirname(HERE), "corpus", "warc", "crawl.warc.gz")
NS = uuid.UUID("6f1c2a52-2f7e-4c1e-9a55-63686f726f6e")  # fixed namespace for reproducible IDs
CRLF = b"\r\n"

# A tiny JPEG marker stream (SOI, APP0/JFIF, COM, EOI). It carries no image
# data; it only needs to look like a JPEG response so that importers skip it.
TINY_JPEG = (b"\xff\xd8"
             b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
             b"\xff\xfe\x00\x16chronicle test image"
             b"\xff\xd9")


def rid(*parts):
    return "<urn:uuid:%s>" % uuid.uuid5(NS, "|".join(parts))


def sha1_b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def http_date(iso):
    d = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return d.strftime("%a, %d %b %Y %H:%M:%S GMT")


def record(headers, block):
    """Serialise one WARC record (headers as list of pairs, block as bytes)."""
    head = [b"WARC/1.0"]
    for k, v in headers:
        head.append(("%s: %s" % (k, v)).encode("utf-8"))
    head.append(("Content-Length: %d" % len(block)).encode("ascii"))
    return CRLF.join(head) + CRLF + CRLF + block + CRLF + CRLF


def gz_member(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def main():
    with open(os.path.join(SRC, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    crawler = manifest.get("crawler", "chronicle-corpus-crawler/0.1")
    records = manifest["records"]
    first_date = records[0]["date"]

    out = []
    info_id = rid("warcinfo", "crawl.warc.gz")
    info = CRLF.join(x.encode("utf-8") for x in [
        "software: chronicle-corpus make_warc.py/1.0",
        "format: WARC File Format 1.0",
        "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/",
        "isPartOf: chronicle-sample-crawl",
        "description: Fictional news pages written for the chronicle sample corpus",
        "robots: obey",
        "http-header-user-agent: %s" % crawler,
    ]) + CRLF
    out.append(record([
        ("WARC-Type", "warcinfo"),
        ("WARC-Date", first_date),
        ("WARC-Filename", "crawl.warc.gz"),
        ("WARC-Record-ID", info_id),
        ("Content-Type", "application/warc-fields"),
    ], info))

    first_response = None
    for i, r in enumerate(records):
        url = r["url"]
        parts = urlsplit(url)
        if r.get("file"):
            with open(os.path.join(SRC, r["file"]), "rb") as f:
                payload = f.read()
        elif r.get("generate") == "jpeg":
            payload = TINY_JPEG
        else:
            raise SystemExit("manifest entry without content: %r" % r)

        req_id = rid("request", url)
        resp_id = rid("response", url)
        ip = "192.0.2.%d" % (10 + i)

        req_block = CRLF.join(x.encode("ascii") for x in [
            "GET %s HTTP/1.1" % (parts.path or "/"),
            "Host: %s" % parts.netloc,
            "User-Agent: %s (+https://example.invalid/crawler)" % crawler,
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding: identity",
            "Connection: close",
        ]) + CRLF + CRLF
        out.append(record([
            ("WARC-Type", "request"),
            ("WARC-Target-URI", url),
            ("WARC-Date", r["date"]),
            ("WARC-Record-ID", req_id),
            ("WARC-Concurrent-To", resp_id),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-IP-Address", ip),
            ("Content-Type", "application/http; msgtype=request"),
            ("WARC-Block-Digest", sha1_b32(req_block)),
        ], req_block))

        status = r.get("status", 200)
        reason = {200: "OK", 404: "Not Found"}[status]
        http_head = CRLF.join(x.encode("ascii") for x in [
            "HTTP/1.1 %d %s" % (status, reason),
            "Date: %s" % http_date(r["date"]),
            "Server: nginx",
            "Content-Type: %s" % r["content_type"],
            "Content-Length: %d" % len(payload),
            "Cache-Control: max-age=300",
            "Connection: close",
        ]) + CRLF + CRLF
        block = http_head + payload
        out.append(record([
            ("WARC-Type", "response"),
            ("WARC-Target-URI", url),
            ("WARC-Date", r["date"]),
            ("WARC-Record-ID", resp_id),
            ("WARC-Concurrent-To", req_id),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-IP-Address", ip),
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Payload-Digest", sha1_b32(payload)),
            ("WARC-Block-Digest", sha1_b32(block)),
        ], block))
        if first_response is None and status == 200 and r["content_type"].startswith("text/html"):
            first_response = (url, resp_id, r["date"])

    url, resp_id, date = first_response
    meta = CRLF.join(x.encode("utf-8") for x in [
        "via: https://islandexaminer.example/news/politics/",
        "hopsFromSeed: L",
        "fetchTimeMs: 412",
        "charsetDetected: UTF-8",
        "outlink: https://islandexaminer.example/news/politics/ L a/@href",
    ]) + CRLF
    out.append(record([
        ("WARC-Type", "metadata"),
        ("WARC-Target-URI", url),
        ("WARC-Date", date),
        ("WARC-Record-ID", rid("metadata", url)),
        ("WARC-Refers-To", resp_id),
        ("WARC-Warcinfo-ID", info_id),
        ("Content-Type", "application/warc-fields"),
    ], meta))

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        for rec in out:
            f.write(gz_member(rec))
    print("wrote %s: %d records" % (os.path.relpath(OUT), len(out)))


if __name__ == "__main__":
    main()
