# How expected/ was written: docs/data-policy.md "Masking" computed with Python's hashlib,
# independently of the C++ (never by running DataALM). Run: python3 derive.py
import hashlib, json, math
SECRET = json.load(open("context.json"))["maskSecret"]
FIRST = "Ada Alan Alice Amir Anna Aris Bela Boris Carla Chen Clara Dana Dario Edith Elena Emil Erik Farah Felix Greta Hana Hugo Ida Igor Ines Ivan Jonas Julia Kai Karin Lena Leon Lina Luca Maja Marco Mira Nadia Nils Noor Olga Omar Oskar Paula Pavel Petra Quinn Rafael Rosa Sami Sara Sofia Stefan Tara Teo Uma Vera Viktor Wanda Yara Yusuf Zara Zoe Timo".split()
LAST = "Adler Baker Berg Brandt Carter Costa Dahl Diaz Eklund Engel Falk Fischer Garcia Gray Hansen Hart Holm Ito Jansen Jensen Keller Klein Koch Lang Larsen Lopez Lund Maier Meyer Moreau Nagy Novak Olsen Ortiz Park Perez Quist Reed Roth Ruiz Sato Schulz Silva Stone Storm Tanaka Thomas Torres Ueda Vogel Wagner Walsh Weber West Wolf Young Zeller Zhang Berger Frank Kovac Moss Rossi Sousa".split()
LETTERS = "etaoinshrdlucmfw"
def h(kind, value): return hashlib.sha256((SECRET + "\x1f" + kind + "\x1f" + value).encode()).digest()
def text(kind, v):
    if v is None or v == "": return v
    d = h(kind, v); f, l = FIRST[d[0] % 64], LAST[d[1] % 64]
    if kind == "email": return f"{f.lower()}.{l.lower()}.{d.hex()[4:14]}@example.com"
    if kind == "name": return f"{f} {l}"
    stream, block = "", d
    while len(stream) < len(v):  # the hex digits of the hash, then of its hash, ...
        stream += block.hex()
        block = hashlib.sha256(block).digest()
    out, n = "", {"digit": 0, "lower": 0, "upper": 0}
    for c in v:
        o = ord(c)
        if o > 127 and kind == "phone":  # outside ASCII: never kept
            out += str(int(stream[n["digit"]], 16) % 10); n["digit"] += 1
        elif o > 127:
            out += LETTERS[int(stream[n["lower"]], 16)]; n["lower"] += 1
        elif 48 <= o <= 57:
            out += str(int(stream[n["digit"]], 16) % 10); n["digit"] += 1
        elif kind == "text" and 97 <= o <= 122:
            out += LETTERS[int(stream[n["lower"]], 16)]; n["lower"] += 1
        elif kind == "text" and 65 <= o <= 90:
            out += LETTERS[int(stream[n["upper"]], 16)].upper(); n["upper"] += 1
        else:
            out += c
    return out
def magnitude(m, d):
    u = int(d.hex()[:15], 16)
    k = len(str(m))
    if k == 1: return u % 10
    lo, hi = 10 ** (k - 1), (10 ** k - 1 if k < 19 else 2 ** 63 - 1)
    return lo + u % (hi - lo + 1)
def integer(v):
    r = magnitude(abs(v), h("number", str(v)))
    return -r if v < 0 else r
def real(v):  # a double holding a whole number is masked as that integer
    if v == math.trunc(v): return float(integer(int(v)))
    raise SystemExit("non-integral reals hash their text, which differs between engines")
contacts = [(1, 'Alice Martin', 'alice.martin@contoso.com', '+1 (425) 555-0100', 25000, 'VIP', 1),
  (2, 'Bob Stone', 'bob@fabrikam.com', '0049 89 1234 5678 90 12 34 56 78 90 12 34 56 78 90 12', -750, 'Ext. 12', 1),
  (3, 'Alice Martin', 'alice.martin2@contoso.com', None, 7, '', 1),
  (4, None, '', '８０３-５５５-０１００', 0, 'Ünïcode ☃ AbC-9', 1),
  (5, 'Service account', 'svc@contoso.com', '555', 123456789012345678, 'kept', 9)]
with open("expected/CONTACT.jsonl", "w") as out:
    for r, n, e, p, c, t, k in contacts:
        if k != 9: n, e, p, c, t = text("name", n), text("email", e), text("phone", p), integer(c), text("text", t)
        out.write(json.dumps({"RECID": r, "NAME": n, "EMAIL": e, "PHONE": p, "CREDITLIMIT": c, "NOTE": t, "KIND": k}, ensure_ascii=False) + "\n")
orders = [(1, 'alice.martin@contoso.com', 'Alice Martin', 120.0), (2, 'bob@fabrikam.com', 'Bob Stone', 99.0), (3, 'nobody@example.org', None, None)]
with open("expected/SALESORDER.jsonl", "w") as out:
    for r, e, n, a in orders:
        out.write(json.dumps({"RECID": r, "CUSTEMAIL": text("email", e), "CUSTNAME": text("name", n), "AMOUNT": None if a is None else real(a)}, ensure_ascii=False) + "\n")
