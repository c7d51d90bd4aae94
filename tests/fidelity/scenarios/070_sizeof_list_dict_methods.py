# scenario: list and dict methods: copies, removal, sorting, pop and popitem, dict() and copy() sizes
# covers: list_ass_slice shrinking, dict_new's minsize keys up to 3.9, PyDict_Copy, KeyError messages
import sys
a = [3, 1, 2, 1]
b = a.copy()
print(b, sys.getsizeof(b), a.index(2), a.count(1))
a.remove(1)
print(a, sys.getsizeof(a))
a.reverse(); print(a)
a.sort(); print(a, a.pop(0), a)
try:
    a.index(99)
except ValueError as e:
    print(e)
d = {"a": 1, "b": 2, "c": 3}
print(d.pop("a"), d, d.pop("z", None), d.setdefault("q", 5), d)
print(d.popitem(), d)
e = d.copy(); f = dict(d)
print(e, f, sys.getsizeof(e), sys.getsizeof(f), sys.getsizeof(dict()))
try:
    {}.popitem()
except KeyError as e:
    print("KeyError", e)
try:
    d.pop("nope")
except KeyError as e:
    print("KeyError", e)
