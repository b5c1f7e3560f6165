"""A .po file compiled to a GNU .mo catalogue, for test roots without
msgfmt (tools/gimp3/run.sh's Debian 13 root has no gettext tools).

Enough for our own catalogues: msgid/msgstr with continued lines, no
plurals or contexts; fuzzy and untranslated entries are left out, as
msgfmt leaves them out.  The format: a header, two tables of (length,
offset) for the sorted originals and their translations, then the strings,
each NUL-terminated."""
import ast
import struct


def read_po(path):
    entries, fuzzy, key, cur = {}, False, None, {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n") + [""]
    for line in lines:
        line = line.strip()
        if not line:
            if "msgid" in cur and "msgstr" in cur and cur["msgstr"] and not fuzzy:
                entries[cur["msgid"]] = cur["msgstr"]
            cur, fuzzy, key = {}, False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgstr ")):
            key, rest = line.split(" ", 1)
            cur[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            cur[key] += ast.literal_eval(line)
    return entries


def write_mo(entries, path):
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    n = len(keys)
    table_o = 7 * 4
    table_t = table_o + n * 8
    data = table_t + n * 8
    blob, o_table, t_table = b"", [], []
    for s in ids:
        o_table.append((len(s), data + len(blob)))
        blob += s + b"\0"
    for s in strs:
        t_table.append((len(s), data + len(blob)))
        blob += s + b"\0"
    out = struct.pack("<7I", 0x950412de, 0, n, table_o, table_t, 0, data)
    out += b"".join(struct.pack("<2I", *e) for e in o_table)
    out += b"".join(struct.pack("<2I", *e) for e in t_table)
    with open(path, "wb") as f:
        f.write(out + blob)


def compile_po(po_path, mo_path):
    write_mo(read_po(po_path), mo_path)
