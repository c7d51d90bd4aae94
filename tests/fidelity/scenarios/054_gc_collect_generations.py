# scenario: gc.collect(generation) return values for young and old cycles
# covers: collecting generation 0, 1, 2; objects surviving a collection move to an older generation
import gc


class Cell:
    def __init__(self):
        self.peer = None


def pair():
    x = Cell()
    y = Cell()
    x.peer = y
    y.peer = x


gc.collect()
pair()
print("gen0 finds new pair", gc.collect(0))
pair()
print("gen2 finds new pair", gc.collect(2))
keep = Cell()
keep.peer = keep
print("alive self-cycle, gen0", gc.collect(0))
del keep
print("it is now in gen1; gen0 finds", gc.collect(0))
print("gen1 finds", gc.collect(1))
for i in range(5):
    pair()
print("five pairs, full", gc.collect())
print("again", gc.collect())
try:
    gc.collect(3)
except ValueError as e:
    print(type(e).__name__, e)
