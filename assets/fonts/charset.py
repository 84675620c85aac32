# Lists the code points kept in the embedded PDF font (see README.md): every character
# the named codec (gb2312) encodes, plus ASCII, Latin-1 and the symbol and punctuation blocks.
import sys
enc = sys.argv[1]
out = set()
for cp in range(0x20, 0x10000):
    c = chr(cp)
    if 0xD800 <= cp <= 0xDFFF: continue
    try: c.encode(enc)
    except UnicodeEncodeError: continue
    out.add(cp)
# ASCII, Latin-1, general punctuation, arrows/math commonly used, CJK symbols, fullwidth forms
for a,b in [(0x20,0x7E),(0xA0,0xFF),(0x2010,0x206F),(0x2150,0x218F),(0x2190,0x21FF),(0x2200,0x22FF),(0x2460,0x24FF),(0x2500,0x257F),(0x25A0,0x25FF),(0x3000,0x303F),(0xFF01,0xFF65),(0xFFE0,0xFFE6),(0x2A7D,0x2A7E)]:
    out.update(range(a,b+1))
print(",".join("U+%04X"%c for c in sorted(out)))
