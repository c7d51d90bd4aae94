# scenario: dict size as keys are inserted, deleted and the dict is cleared
# covers: dict keys table resize points, deleted entries keep the table, clear() back to empty keys
import sys

d = {}
print("empty", sys.getsizeof(d))
last = sys.getsizeof(d)
for i in range(100):
    d[i] = i
    s = sys.getsizeof(d)
    if s != last:
        print("insert", len(d), s)
        last = s
for i in range(90):
    del d[i]
print("after 90 deletes", len(d), sys.getsizeof(d))
d[1000] = 1
print("insert after deletes", len(d), sys.getsizeof(d))
d.clear()
print("clear", sys.getsizeof(d))
d["a"] = 1
print("one str key", sys.getsizeof(d))
e = dict.fromkeys(range(6))
print("fromkeys6", sys.getsizeof(e))
f = {"a": 1, "b": 2, "c": 3}
print("literal3", sys.getsizeof(f))
g = dict(f)
print("copy3", sys.getsizeof(g), sys.getsizeof(f.copy()))
h = {k: k for k in range(6)}
print("comp6", sys.getsizeof(h))
h.pop(0)
h.popitem()
print("after pop", len(h), sys.getsizeof(h))
