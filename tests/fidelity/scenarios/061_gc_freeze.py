# scenario: gc.freeze() moves everything to the permanent generation
# covers: frozen cycles are never collected; cycles created after freeze are
import gc


class Node:
    def __init__(self):
        self.me = self


gc.collect()
old = Node()
del old
gc.freeze()
print("frozen cycle not collected", gc.collect())
new = Node()
del new
print("new cycle collected", gc.collect())
print("count after", gc.get_count()[0] <= 1)
