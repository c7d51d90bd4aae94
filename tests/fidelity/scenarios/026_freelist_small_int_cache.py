# scenario: small int cache, singleton objects and fresh large ints
# covers: ints -5..256 are preallocated and shared; larger ints are new objects each time
lo = [int(str(v)) for v in (-5, 0, 1, 100, 256)]
hi = [int(str(v)) for v in (-6, 257, 1000, 10**20)]
print("small shared", [v is int(str(v)) for v in lo])
print("large fresh", [v is int(str(v)) for v in hi])
a = 200
b = 200 + 0
print("arith small", a is b)
c = 1000
d = c + 0
print("arith large", c is d, c == d)
e = int("255") + 1
f = int("256") + 1
print("255+1 cached", e is int("256"), "256+1 cached", f is int("257"))
print("bool", bool(1) is True, (1 == 1) is True, not 0)
print("empty str/bytes", str() is str(), bytes() is bytes(), "" == str())
print("frozenset()", frozenset() == frozenset(), len(frozenset()))
