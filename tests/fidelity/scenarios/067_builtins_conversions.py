# scenario: built-in conversions and reductions: sizes, identities and error messages
# covers: list() presizing per version, sorted() via list_extend, divmod/ord/int/next errors, hash of numbers
import sys
for n in (0, 1, 5, 10, 17):
    print(n, sys.getsizeof(list(range(n))), sys.getsizeof(list(tuple(range(n)))), sys.getsizeof(list("a"*n)), sys.getsizeof(list(iter(list(range(n))))), sys.getsizeof(sorted(range(n))))
try:
    divmod(7.5, 0)
except ZeroDivisionError as e: print(e)
try:
    divmod(1, 0)
except ZeroDivisionError as e: print(e)
try: print(ord("abc"))
except TypeError as e: print(e)
try: print(int([]))
except TypeError as e: print(e)
try: print(next(5))
except TypeError as e: print(e)
print(hash(0.5), hash(-1.5), hash(1e300), hash(2**61), hash(-2**61+1))
for f in ["%d", "%x", "%f"]:
    try:
        print(f % "x")
    except TypeError as e:
        print(e)
print(abs(True), abs(-3), abs(False))
