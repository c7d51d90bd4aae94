# scenario: fixed-size objects: float, complex, None, bool, range, slices of range
# covers: basicsize of float/complex/range, range is constant size for any length
import sys

print("float", sys.getsizeof(0.0), sys.getsizeof(1e308), sys.getsizeof(float("inf")))
print("complex", sys.getsizeof(1j), sys.getsizeof(complex(1, 2)))
print("None", sys.getsizeof(None))
print("range", sys.getsizeof(range(0)), sys.getsizeof(range(10)), sys.getsizeof(range(10**30)))
r = range(0, 100, 3)
print("range slice", len(r[5:20]), sys.getsizeof(r[5:20]))
print("object", sys.getsizeof(object()))
print("values", 0.1 + 0.2, 1e16 + 1.0, round(2.675, 2), complex(1, 2) * 1j)
print("float math", abs(-2.5), divmod(7.5, 2), 10 / 4, 2 ** -1)
