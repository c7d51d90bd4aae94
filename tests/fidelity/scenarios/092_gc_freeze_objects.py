# scenario: gc.freeze() and gc.unfreeze() seen through the generations
# covers: _PyGC_Freeze merges every generation into the permanent one and zeroes the counts; unfreeze appends it to generation 2; frozen cycles stay
import gc


class Node:
    def __init__(self):
        self.me = self


gc.collect()
young = [Node() for i in range(3)]
print("generation 0 before freeze", len(gc.get_objects(0)))
gc.freeze()
print("after freeze", len(gc.get_objects(0)), len(gc.get_objects(1)), gc.get_count())
del young
print("frozen garbage not collected", gc.collect())
later = Node()
print("generation 0 after", [type(o).__name__ for o in gc.get_objects(0)])
gc.unfreeze()
print("after unfreeze", len(gc.get_objects(0)), gc.get_count()[0])
print("the old garbage is collected now", gc.collect())
