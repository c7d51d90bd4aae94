# scenario: tuple, str, dict and bytes methods: results, error messages and dict sizes after update()
# covers: tuple.index/count, str.rfind/rindex/partition/rpartition/rsplit, dict.update (merge presizing), bytes.find/rfind/index/count/startswith/endswith/hex
import sys

t = (1, 2, 3, 2)
print(t.index(2), t.count(2))
try:
    t.index(9)
except ValueError as e:
    print("ValueError", e)
s = "a,b,,c,b"
print(s.rfind("b"), s.rindex(","), s.rfind("z"), s.partition(","), s.rpartition(","), s.partition("z"), s.rpartition("z"))
try:
    s.rindex("z")
except ValueError as e:
    print("ValueError", e)
print(s.rsplit(","), "a b  c".rsplit())
d = {"a": 1, "b": 2}
d.update({"b": 20, "c": 3})
print(d)
e = {}
e.update(d)
print(e, len(e))
d.update(d)
print(d)
b = b"abcabc"
print(b.find(b"c"), b.rfind(b"c"), b.index(b"b"), b.count(b"bc"), b.startswith(b"ab"), b.endswith(b"bc"), b.hex(), b.count(b""))
try:
    b.index(b"z")
except ValueError as e2:
    print("ValueError", e2)

big = {}
for i in range(3):
    big["k" + str(i)] = i
print(sys.getsizeof(big))
big.update({"x" + str(i): i for i in range(10)})
print(sys.getsizeof(big), len(big))
small = {"q": 1}
small.update(big)
print(sys.getsizeof(small))
