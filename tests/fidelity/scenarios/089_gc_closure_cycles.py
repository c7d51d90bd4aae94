# scenario: cycles through closures, cells and recursive inner functions
# covers: a function that refers to itself through its cell, cells and __closure__ tuples in the garbage, func_clear and cell_clear
import gc


def make_counter():
    count = 0

    def step():
        nonlocal count
        count += 1
        return step

    return step


def make_recursive(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)

    return fact(n)


gc.collect()
s = make_counter()
s()
print("closure cell count", len(s.__closure__), s.__closure__[0].cell_contents is s)
del s
print("self-referencing closure", gc.collect())
print("recursive inner function", make_recursive(5))
print("its cycle", gc.collect())
fs = [make_counter() for i in range(3)]
del fs
print("three closures", gc.collect())
