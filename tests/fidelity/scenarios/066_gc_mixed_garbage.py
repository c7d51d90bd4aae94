# scenario: a mixed batch of cycles, containers and finalizers collected together
# covers: collect() totals over instances, lists, dicts and sets; surviving objects unaffected
import gc

freed = []


class Leaf:
    def __init__(self, tag):
        self.tag = tag
        self.box = [self]

    def __del__(self):
        freed.append(self.tag)


gc.collect()
survivor = Leaf("survivor")
for i in range(3):
    Leaf("leaf%d" % i)
d = {"items": [1, 2, 3]}
d["loop"] = d
del d
s = [set([1, 2])]
s.append(s)
del s
print("collected", gc.collect())
print("finalized", sorted(freed))
print("survivor ok", survivor.box[0] is survivor)
print("second pass", gc.collect())
print("garbage", gc.garbage)
