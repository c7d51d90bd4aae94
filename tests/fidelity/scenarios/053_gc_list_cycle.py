# scenario: cycles built from lists, and the non-cyclic objects they keep alive
# covers: unreachable count includes everything reachable only from the cycle
import gc

gc.collect()
a = []
b = [a]
a.append(b)
del a, b
print("two-list cycle", gc.collect())

a = [[1], [2], [3]]
a.append(a)
del a
print("cycle with three inner lists", gc.collect())

a = [(1, 2), "text", 3.5, 10**30]
a.append(a)
del a
print("cycle with atomic-ish items", gc.collect())

chain = []
cur = chain
for i in range(50):
    nxt = []
    cur.append(nxt)
    cur = nxt
cur.append(chain)
del chain, cur, nxt
print("50-list loop", gc.collect())

a = [1]
b = [a, a]
del a, b
print("no cycle, freed by refcount", gc.collect())
