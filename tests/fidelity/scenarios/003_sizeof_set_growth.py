# scenario: set and frozenset sizes as elements are added and discarded
# covers: set table resize (smalltable of 8 then grow), discard keeps table, clear()
import sys

s = set()
print("empty", sys.getsizeof(s))
last = sys.getsizeof(s)
for i in range(200):
    s.add(i)
    n = sys.getsizeof(s)
    if n != last:
        print("add", len(s), n)
        last = n
for i in range(195):
    s.discard(i)
print("after discards", len(s), sys.getsizeof(s))
s.clear()
print("clear", sys.getsizeof(s))
print("frozenset()", sys.getsizeof(frozenset()))
print("frozenset10", sys.getsizeof(frozenset(range(10))))
print("literal4", sys.getsizeof({1, 2, 3, 4}))
print("set(range(5))", sys.getsizeof(set(range(5))))
print("comp5", sys.getsizeof({x for x in range(5)}))
t = {1, 2, 3} | {4, 5}
print("union", sorted(t), sys.getsizeof(t))
