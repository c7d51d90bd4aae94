# scenario: getsizeof of list comprehensions versus generator expressions as n grows
# covers: list size grows with n; a generator object has a fixed size whatever n is
import sys

for n in (0, 1, 10, 100, 1000, 10000):
    lst = [x for x in range(n)]
    gen = (x for x in range(n))
    print(n, sys.getsizeof(lst), sys.getsizeof(gen))
g = (x * x for x in range(5))
print("before", sys.getsizeof(g))
print("first", next(g), sys.getsizeof(g))
print("rest", list(g), sys.getsizeof(g))
print("sum list", sum([x for x in range(1000)]), "sum gen", sum(x for x in range(1000)))
