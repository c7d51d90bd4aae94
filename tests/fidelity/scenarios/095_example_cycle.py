# scenario: two objects that point at each other outlive del until the collector runs
# covers: a reference cycle between instances, found unreachable and freed by gc.collect() (a built-in example of the web app)
import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

a = Node("a")
b = Node("b")
a.peer = b
b.peer = a
del a, b
print("unreachable:", gc.collect())
