# scenario: list size as it grows by append and shrinks by pop
# covers: list over-allocation pattern (list_resize), shrink on pop, clear() freeing ob_item
import sys

a = []
print("empty", sys.getsizeof(a))
last = sys.getsizeof(a)
for i in range(40):
    a.append(i)
    s = sys.getsizeof(a)
    if s != last:
        print("append", len(a), s)
        last = s
while a:
    a.pop()
    s = sys.getsizeof(a)
    if s != last:
        print("pop", len(a), s)
        last = s
a.extend(range(10))
print("extend10", sys.getsizeof(a))
a.extend([0] * 25)
print("extend+25", len(a), sys.getsizeof(a))
a.clear()
print("clear", sys.getsizeof(a))
a += [1, 2, 3]
print("iadd3", sys.getsizeof(a))
del a[:]
print("del slice", sys.getsizeof(a))
a.insert(0, "x")
print("insert", sys.getsizeof(a))
