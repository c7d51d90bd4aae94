# scenario: int sizes by number of 30-bit digits
# covers: PyLongObject header + 4 bytes per digit, zero, negatives, bool
import sys

for v in (0, 1, -1, 255, 256, 2**30 - 1, 2**30, 2**60 - 1, 2**60, 2**90, 10**50, -10**50, 2**300):
    print(v if len(str(v)) < 20 else "%d digits" % len(str(v)), sys.getsizeof(v))
print("True", sys.getsizeof(True), "False", sys.getsizeof(False))
x = 1
for i in range(8):
    x = x * 2**29
    print("grow", i, sys.getsizeof(x))
print("big", sys.getsizeof(int("9" * 100)))
print("hash", hash(2**61 - 1), hash(2**61), hash(-1), hash(12345))
print("divmod", divmod(10**20, 7), sys.getsizeof(divmod(10**20, 7)[0]))
