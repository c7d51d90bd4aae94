# scenario: sizes of iterator and view objects
# covers: basicsize of list/tuple/range/str iterators, enumerate, zip, map, filter, reversed, dict views
import sys

a = [1, 2, 3]
d = {1: 2}
print("list_iterator", sys.getsizeof(iter(a)))
print("tuple_iterator", sys.getsizeof(iter((1, 2))))
print("range_iterator", sys.getsizeof(iter(range(5))))
print("str_iterator", sys.getsizeof(iter("abc")))
print("enumerate", sys.getsizeof(enumerate(a)))
print("zip", sys.getsizeof(zip(a, a)))
print("map", sys.getsizeof(map(abs, a)))
print("filter", sys.getsizeof(filter(None, a)))
print("reversed", sys.getsizeof(reversed(a)))
print("dict_keys", sys.getsizeof(d.keys()), sys.getsizeof(d.values()), sys.getsizeof(d.items()))
print("dict_keyiterator", sys.getsizeof(iter(d)))
print("set_iterator", sys.getsizeof(iter({1, 2})))
it = iter(a)
next(it)
print("remaining", list(it))
