# scenario: a freed instance's memory block goes to the next object of the same size class
# covers: pymalloc pool free list is LIFO; objects of other size classes use other pools
class P:
    __slots__ = ("a",)


class Q:
    __slots__ = ("a", "b", "c", "d", "e", "f", "g", "h")


p = P()
idp = id(p)
del p
p2 = P()
print("same class reuses block", id(p2) == idp)

q = Q()
idq = id(q)
del q
r = P()
print("different size class", id(r) != idq)
q2 = Q()
print("big slot class reuses its block", id(q2) == idq)

items = [P() for i in range(10)]
ids = [id(x) for x in items]
victim = ids[4]
del items[4]
n = P()
print("freed middle block reused", id(n) == victim)
