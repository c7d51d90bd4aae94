# scenario: gc.get_stats() counters change by known amounts
# covers: per-generation collections/collected/uncollectable bookkeeping
import gc


class Node:
    def __init__(self):
        self.me = self


def snapshot():
    return [(s["collections"], s["collected"], s["uncollectable"]) for s in gc.get_stats()]


gc.collect()
print("generations", len(gc.get_stats()), sorted(gc.get_stats()[0].keys()))
before = snapshot()
for i in range(4):
    n = Node()
del n
gc.collect()
after = snapshot()
print("deltas full", [(a[0] - b[0], a[1] - b[1], a[2] - b[2]) for a, b in zip(after, before)])
before = after
n = Node()
del n
gc.collect(0)
after = snapshot()
print("deltas gen0", [(a[0] - b[0], a[1] - b[1], a[2] - b[2]) for a, b in zip(after, before)])
