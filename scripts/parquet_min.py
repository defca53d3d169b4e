#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Minimal pure-Python Parquet reader (flat schemas only), for reading
public measurement tables stored as Parquet (AIConfigurator's GEMM
database: docs/validation.md, "AIConfigurator's GEMM database") on a
machine without pyarrow. A data tool: nothing in the build or the tests
runs it.

Supports: Thrift-compact FileMetaData, row groups, data pages v1/v2,
dictionary pages, PLAIN / PLAIN_DICTIONARY / RLE_DICTIONARY encodings,
RLE/bit-packed hybrid levels, codecs UNCOMPRESSED / ZSTD / GZIP / SNAPPY (pure Python),
physical types BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY.
Only third-party dependency: zstandard (for ZSTD pages).

Usage: parquet_min.py FILE.parquet [OUT.csv]
"""
import csv
import struct
import sys
import zlib

try:
    import zstandard
except ImportError:  # only needed for ZSTD-compressed files
    zstandard = None

TYPE_NAMES = {0: "BOOLEAN", 1: "INT32", 2: "INT64", 3: "INT96", 4: "FLOAT",
              5: "DOUBLE", 6: "BYTE_ARRAY", 7: "FIXED_LEN_BYTE_ARRAY"}
CODEC_NAMES = {0: "UNCOMPRESSED", 1: "SNAPPY", 2: "GZIP", 3: "LZO",
               4: "BROTLI", 5: "LZ4", 6: "ZSTD", 7: "LZ4_RAW"}
ENC_NAMES = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED",
             5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY",
             7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}


# ---------------------------------------------------------------- Thrift compact
class Thrift:
    """Decodes Thrift Compact Protocol structs into {field_id: value} dicts."""

    def __init__(self, buf, pos=0):
        self.buf, self.pos = buf, pos

    def byte(self):
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, t):
        if t in (1, 2):            # bool encoded in field header
            return t == 1
        if t == 3:                 # i8
            v = self.byte()
            return v - 256 if v > 127 else v
        if t in (4, 5, 6):         # i16 / i32 / i64
            return self.zigzag()
        if t == 7:                 # double
            v = struct.unpack_from("<d", self.buf, self.pos)[0]
            self.pos += 8
            return v
        if t == 8:                 # binary / string
            n = self.varint()
            v = bytes(self.buf[self.pos:self.pos + n])
            self.pos += n
            return v
        if t in (9, 10):           # list / set
            h = self.byte()
            size, et = h >> 4, h & 0x0F
            if size == 15:
                size = self.varint()
            if et in (1, 2):       # bools inside collections: one byte each
                return [self.byte() == 1 for _ in range(size)]
            return [self.value(et) for _ in range(size)]
        if t == 11:                # map
            size = self.varint()
            if size == 0:
                return {}
            kv = self.byte()
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(size)}
        if t == 12:
            return self.struct()
        raise ValueError("unknown thrift type %d" % t)

    def struct(self):
        out, last = {}, 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            delta, t = h >> 4, h & 0x0F
            fid = last + delta if delta else self.zigzag()
            out[fid] = self.value(t)
            last = fid


# ---------------------------------------------------------------- decoding helpers
def decompress(codec, data, uncompressed_size):
    if codec == 0:
        return bytes(data)
    if codec == 6:
        if zstandard is None:
            raise RuntimeError("ZSTD page but the zstandard module is missing")
        return zstandard.ZstdDecompressor().decompress(
            bytes(data), max_output_size=uncompressed_size)
    if codec == 1:
        return snappy_decompress(bytes(data))
    if codec == 2:
        return zlib.decompress(bytes(data), 16 + zlib.MAX_WBITS)
    raise NotImplementedError("codec %s" % CODEC_NAMES.get(codec, codec))


def snappy_decompress(src):
    """Raw (unframed) Snappy block decompression, as used by Parquet."""
    t = Thrift(src)
    n = t.varint()                             # uncompressed length
    out, pos = bytearray(), t.pos
    while pos < len(src):
        tag = src[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:                          # literal
            ln = tag >> 2
            if ln >= 60:                       # length stored in 1..4 extra bytes
                nb = ln - 59
                ln = int.from_bytes(src[pos:pos + nb], "little")
                pos += nb
            ln += 1
            out += src[pos:pos + ln]
            pos += ln
            continue
        if kind == 1:                          # copy, 11-bit offset
            ln = ((tag >> 2) & 7) + 4
            off = ((tag >> 5) << 8) | src[pos]
            pos += 1
        else:                                  # copy, 16- or 32-bit offset
            ln = (tag >> 2) + 1
            nb = 2 if kind == 2 else 4
            off = int.from_bytes(src[pos:pos + nb], "little")
            pos += nb
        start = len(out) - off
        if off >= ln:
            out += out[start:start + ln]
        else:                                  # overlapping copy: repeat pattern
            for i in range(ln):
                out.append(out[start + i])
    if len(out) != n:
        raise ValueError("snappy: expected %d bytes, got %d" % (n, len(out)))
    return bytes(out)


def rle_hybrid(buf, pos, end, bit_width, count):
    """Decode `count` values of the RLE/bit-packed hybrid encoding in buf[pos:end]."""
    out = []
    nbytes = (bit_width + 7) // 8
    mask = (1 << bit_width) - 1
    t = Thrift(buf, pos)
    while len(out) < count and t.pos < end:
        header = t.varint()
        if header & 1:                         # bit-packed: (header>>1) groups of 8
            ngroups = header >> 1
            nb = ngroups * bit_width
            chunk = int.from_bytes(buf[t.pos:t.pos + nb], "little")
            t.pos += nb
            for i in range(ngroups * 8):
                out.append((chunk >> (i * bit_width)) & mask)
        else:                                  # RLE run
            run = header >> 1
            v = int.from_bytes(buf[t.pos:t.pos + nbytes], "little")
            t.pos += nbytes
            out.extend([v] * run)
    return out[:count]


def plain(buf, ptype, count, pos=0):
    """Decode `count` PLAIN-encoded values of a physical type; returns (values, pos)."""
    fmt = {1: "<%di", 2: "<%dq", 4: "<%df", 5: "<%dd"}.get(ptype)
    if fmt:
        size = struct.calcsize(fmt % 1)
        vals = list(struct.unpack_from(fmt % count, buf, pos))
        return vals, pos + size * count
    if ptype == 0:                             # BOOLEAN: bit-packed LSB first
        vals = [bool((buf[pos + i // 8] >> (i % 8)) & 1) for i in range(count)]
        return vals, pos + (count + 7) // 8
    if ptype == 6:                             # BYTE_ARRAY: u32 length + bytes
        vals = []
        for _ in range(count):
            n = struct.unpack_from("<I", buf, pos)[0]
            vals.append(bytes(buf[pos + 4:pos + 4 + n]))
            pos += 4 + n
        return vals, pos
    raise NotImplementedError("physical type %s" % TYPE_NAMES.get(ptype, ptype))


# ---------------------------------------------------------------- file reading
class ParquetFile:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.buf = f.read()
        b = self.buf
        if b[:4] != b"PAR1" or b[-4:] != b"PAR1":
            raise ValueError("not a parquet file: %s" % path)
        meta_len = struct.unpack_from("<I", b, len(b) - 8)[0]
        self.meta = Thrift(b, len(b) - 8 - meta_len).struct()
        self.num_rows = self.meta.get(3, 0)
        schema = self.meta[2]
        root, leaves = schema[0], schema[1:]
        if any(s.get(5) for s in leaves):
            raise NotImplementedError("nested schemas are not supported")
        # (name, physical type, optional?, converted/logical type raw)
        self.columns = [(s[4].decode(), s.get(1), s.get(3, 0) == 1, s.get(6), s.get(10))
                        for s in leaves]
        self.created_by = self.meta.get(6, b"").decode(errors="replace")
        self.codecs, self.encodings = set(), set()

    def column_types(self):
        out = []
        for name, ptype, optional, conv, logical in self.columns:
            t = TYPE_NAMES.get(ptype, str(ptype))
            if ptype == 6 and (conv == 0 or (logical and 1 in logical)):
                t += "(UTF8)"
            out.append((name, t + (" optional" if optional else "")))
        return out

    def _read_chunk(self, cmeta, optional):
        ptype, codec, total = cmeta[1], cmeta[4], cmeta[5]
        self.codecs.add(CODEC_NAMES.get(codec, codec))
        pos = cmeta.get(11) or cmeta[9]
        if cmeta.get(11) is not None and cmeta[11] == 0 and cmeta[9] > 0:
            pos = cmeta[9]  # some writers put 0 for "no dictionary page"
        dictionary, values = None, []
        max_def = 1 if optional else 0
        while len(values) < total:
            t = Thrift(self.buf, pos)
            ph = t.struct()
            pos = t.pos
            ptype_page, usize, csize = ph[1], ph[2], ph[3]
            raw = self.buf[pos:pos + csize]
            pos += csize
            if ptype_page == 2:                        # DICTIONARY_PAGE
                dh = ph[7]
                self.encodings.add("dict:" + ENC_NAMES.get(dh.get(2, 0), "?"))
                data = decompress(codec, raw, usize)
                dictionary, _ = plain(data, ptype, dh[1])
                continue
            if ptype_page == 0:                        # DATA_PAGE v1
                dh = ph[5]
                n, enc = dh[1], dh[2]
                data = decompress(codec, raw, usize)
                p = 0
                defs = None
                if max_def:
                    ln = struct.unpack_from("<I", data, p)[0]
                    defs = rle_hybrid(data, p + 4, p + 4 + ln, 1, n)
                    p += 4 + ln
                body = data[p:]
            elif ptype_page == 3:                      # DATA_PAGE_V2
                dh = ph[8]
                n, enc = dh[1], dh[4]
                dl, rl = dh.get(5, 0), dh.get(6, 0)
                if rl:
                    raise NotImplementedError("repetition levels")
                defs = rle_hybrid(raw, 0, dl, 1, n) if max_def else None
                body = raw[rl + dl:]
                if dh.get(7, True):
                    body = decompress(codec, body, usize - rl - dl)
            else:
                continue                               # INDEX_PAGE etc.: skip
            self.encodings.add(ENC_NAMES.get(enc, str(enc)))
            nvals = sum(defs) if defs is not None else n
            if enc == 0:
                vals, _ = plain(body, ptype, nvals)
            elif enc in (2, 8):
                bw = body[0]
                idx = rle_hybrid(body, 1, len(body), bw, nvals)
                vals = [dictionary[i] for i in idx]
            else:
                raise NotImplementedError("encoding %s" % ENC_NAMES.get(enc, enc))
            if defs is not None:
                it = iter(vals)
                vals = [next(it) if d else None for d in defs]
            values.extend(vals)
        return values

    def read(self):
        """Return dict column name -> list of Python values (None for nulls)."""
        cols = {c[0]: [] for c in self.columns}
        optional = {c[0]: c[2] for c in self.columns}
        for rg in self.meta.get(4, []):
            for cc in rg[1]:
                cm = cc[3]
                name = ".".join(p.decode() for p in cm[3])
                cols[name].extend(self._read_chunk(cm, optional[name]))
        return cols

    def rows(self):
        cols = self.read()
        names = [c[0] for c in self.columns]
        return names, list(zip(*(cols[n] for n in names)))


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    if isinstance(v, float):
        return repr(v)
    return str(v)


def to_csv(pf, out_path):
    names, rows = pf.rows()
    with open(out_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for r in rows:
            w.writerow([fmt(v) for v in r])
    return names, rows


if __name__ == "__main__":
    pf = ParquetFile(sys.argv[1])
    if len(sys.argv) > 2:
        names, rows = to_csv(pf, sys.argv[2])
    else:
        names, rows = pf.rows()
    print("rows:", len(rows), "(footer says %d)" % pf.num_rows)
    print("columns:", pf.column_types())
    print("codecs:", pf.codecs, "encodings:", pf.encodings, "created_by:", pf.created_by)
    for r in rows[:3]:
        print([fmt(v) for v in r])
