# scenario: a ring of N instances is freed only by the cycle collector
# covers: collect() return value scales with ring size; instance dicts counted where they exist
import gc
import weakref


class Link:
    def __init__(self, i):
        self.i = i
        self.next = None


def make_ring(n):
    first = Link(0)
    cur = first
    for i in range(1, n):
        nxt = Link(i)
        cur.next = nxt
        cur = nxt
    cur.next = first
    return first


gc.collect()
for n in (1, 2, 5, 10, 100):
    ring = make_ring(n)
    w = weakref.ref(ring)
    del ring
    alive = w() is not None
    print("ring", n, "alive before collect", alive, "collected", gc.collect(), "alive after", w() is not None)

ring = make_ring(4)
node = ring.next.next
del ring
print("ring kept alive by outside ref", gc.collect(), node.next.next.i)
node = None
print("released", gc.collect())
