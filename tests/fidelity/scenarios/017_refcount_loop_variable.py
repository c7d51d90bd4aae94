# scenario: reference counts seen through the for-loop variable
# covers: loop variable keeps the last item alive; iterator holds the container
import sys

items = [object(), object(), object()]
for it in items:
    print("in loop", sys.getrefcount(it))
print("after loop", sys.getrefcount(items[-1]), sys.getrefcount(items[0]))
del it
print("after del", sys.getrefcount(items[-1]))
print("list before iter", sys.getrefcount(items))
i = iter(items)
print("iterator holds list", sys.getrefcount(items))
for x in i:
    pass
print("exhausted iterator", sys.getrefcount(items))
del i, x
k = 0
for a, b in [(items[0], items[1])]:
    k = sys.getrefcount(a)
print("unpack in loop", k)
total = 0
for n in range(5):
    total += n
else:
    print("for-else", total, n)
c = [sys.getrefcount(o) for o in items]
print("comprehension", c)
