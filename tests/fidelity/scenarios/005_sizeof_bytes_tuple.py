# scenario: bytes and tuple sizes by length
# covers: PyBytesObject header + n + 1, PyTupleObject header + 8 per item, empty singletons
import sys

for n in (0, 1, 7, 8, 100):
    print("bytes", n, sys.getsizeof(bytes(n)), sys.getsizeof(b"x" * n))
for n in (0, 1, 2, 5, 10):
    t = tuple(range(n))
    print("tuple", n, sys.getsizeof(t))
print("literal", sys.getsizeof((1, 2, 3)), sys.getsizeof(("a", "b")))
print("nested", sys.getsizeof(((1, 2), (3, 4))))
e = "h\xe9llo".encode("utf-8")
print("encoded", len(e), sys.getsizeof(e))
print("decode", sys.getsizeof(e.decode("utf-8")))
print("bytes ops", sys.getsizeof(b"abc" + b"def"), sys.getsizeof(b"abcdef"[1:3]), sys.getsizeof(b"ab".upper()))
print("tuple concat", sys.getsizeof((1, 2) + (3,)), sys.getsizeof((0,) * 4))
