# scenario: list sizes depend on how the list was built
# covers: exact allocation for literals/list(), over-allocation for append and comprehensions, repeat
import sys

n = 10
print("literal", sys.getsizeof([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
print("list(range)", sys.getsizeof(list(range(n))))
print("comprehension", sys.getsizeof([i for i in range(n)]))
print("repeat", sys.getsizeof([0] * n))
a = []
for i in range(n):
    a.append(i)
print("appended", sys.getsizeof(a))
print("slice", sys.getsizeof(a[:]), sys.getsizeof(a[2:5]))
print("copy", sys.getsizeof(a.copy()))
print("concat", sys.getsizeof(a + a))
print("sorted", sys.getsizeof(sorted(a)))
print("list(tuple)", sys.getsizeof(list(tuple(a))))
print("list(map)", sys.getsizeof(list(map(abs, a))))
print("split", sys.getsizeof("a b c d e f g h i j".split()))
print("unpack", sys.getsizeof([*a]))
