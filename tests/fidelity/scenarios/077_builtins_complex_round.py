# scenario: complex numbers and round(): values, errors and sizes
# covers: PyComplexObject is 32 bytes with no free list; round() makes a new float or int (long_round, double_round)
import sys

z = complex(3, 4)
print("sizes", sys.getsizeof(z), sys.getsizeof(1j), sys.getsizeof(z * z), sys.getsizeof(z.real))
print("identity", complex(z) is z, abs(z), z == complex(3.0, 4.0))
n = 1000
print("round int", round(n) is n, round(n, 2) is n, round(n, -2) is n, round(n, -4))
print("big range", sys.getsizeof(range(10**30)), range(-10**20, 10**20, 3), bool(range(10**20, 0)))

try:
    print('1j//2', "->", 1j//2)
except Exception as x:
    print('1j//2', "!!", type(x).__name__, x)
try:
    print('1j%2', "->", 1j%2)
except Exception as x:
    print('1j%2', "!!", type(x).__name__, x)
try:
    print('divmod(1j, 2)', "->", divmod(1j, 2))
except Exception as x:
    print('divmod(1j, 2)', "!!", type(x).__name__, x)
try:
    print('1j/0', "->", 1j/0)
except Exception as x:
    print('1j/0', "!!", type(x).__name__, x)
try:
    print('1j<2', "->", 1j<2)
except Exception as x:
    print('1j<2', "!!", type(x).__name__, x)
try:
    print('float(1j)', "->", float(1j))
except Exception as x:
    print('float(1j)', "!!", type(x).__name__, x)
try:
    print('int(1j)', "->", int(1j))
except Exception as x:
    print('int(1j)', "!!", type(x).__name__, x)
try:
    print('hash(complex(1, 2))', "->", hash(complex(1, 2)))
except Exception as x:
    print('hash(complex(1, 2))', "!!", type(x).__name__, x)
try:
    print('repr(complex(-0.0, 1))', "->", repr(complex(-0.0, 1)))
except Exception as x:
    print('repr(complex(-0.0, 1))', "!!", type(x).__name__, x)
try:
    print('repr(complex(0.0, -0.0))', "->", repr(complex(0.0, -0.0)))
except Exception as x:
    print('repr(complex(0.0, -0.0))', "!!", type(x).__name__, x)
try:
    print("repr(complex(1.5, float('inf')))", "->", repr(complex(1.5, float('inf'))))
except Exception as x:
    print("repr(complex(1.5, float('inf')))", "!!", type(x).__name__, x)
try:
    print('repr(complex(1e20, 2))', "->", repr(complex(1e20, 2)))
except Exception as x:
    print('repr(complex(1e20, 2))', "!!", type(x).__name__, x)
try:
    print('repr(-1j)', "->", repr(-1j))
except Exception as x:
    print('repr(-1j)', "!!", type(x).__name__, x)
try:
    print('(1+2j)**2', "->", (1+2j)**2)
except Exception as x:
    print('(1+2j)**2', "!!", type(x).__name__, x)
try:
    print('abs(3+4j)', "->", abs(3+4j))
except Exception as x:
    print('abs(3+4j)', "!!", type(x).__name__, x)
try:
    print('1j.real', "->", 1j.real)
except Exception as x:
    print('1j.real', "!!", type(x).__name__, x)
try:
    print('complex(1, 2).imag', "->", complex(1, 2).imag)
except Exception as x:
    print('complex(1, 2).imag', "!!", type(x).__name__, x)
try:
    print('2 - 1j', "->", 2 - 1j)
except Exception as x:
    print('2 - 1j', "!!", type(x).__name__, x)
try:
    print('complex(True, 2)', "->", complex(True, 2))
except Exception as x:
    print('complex(True, 2)', "!!", type(x).__name__, x)
try:
    print('complex(2)', "->", complex(2))
except Exception as x:
    print('complex(2)', "!!", type(x).__name__, x)
try:
    print('bool(0j)', "->", bool(0j))
except Exception as x:
    print('bool(0j)', "!!", type(x).__name__, x)
try:
    print('str(1+0j)', "->", str(1+0j))
except Exception as x:
    print('str(1+0j)', "!!", type(x).__name__, x)
try:
    print("f'{1j}'", "->", f'{1j}')
except Exception as x:
    print("f'{1j}'", "!!", type(x).__name__, x)
try:
    print('1j*1j', "->", 1j*1j)
except Exception as x:
    print('1j*1j', "!!", type(x).__name__, x)
try:
    print('1j**0.5', "->", 1j**0.5)
except Exception as x:
    print('1j**0.5', "!!", type(x).__name__, x)
try:
    print('(1+1j)/(1-1j)', "->", (1+1j)/(1-1j))
except Exception as x:
    print('(1+1j)/(1-1j)', "!!", type(x).__name__, x)
try:
    print('complex(1, -0.0)', "->", complex(1, -0.0))
except Exception as x:
    print('complex(1, -0.0)', "!!", type(x).__name__, x)
try:
    print('complex(1j, 1j)', "->", complex(1j, 1j))
except Exception as x:
    print('complex(1j, 1j)', "!!", type(x).__name__, x)
try:
    print('(2+3j)**-2', "->", (2+3j)**-2)
except Exception as x:
    print('(2+3j)**-2', "!!", type(x).__name__, x)
try:
    print('(1+1j)**(2+1j)', "->", (1+1j)**(2+1j))
except Exception as x:
    print('(1+1j)**(2+1j)', "!!", type(x).__name__, x)
try:
    print('0j**-1', "->", 0j**-1)
except Exception as x:
    print('0j**-1', "!!", type(x).__name__, x)
try:
    print('(1+0j) == 1', "->", (1+0j) == 1)
except Exception as x:
    print('(1+0j) == 1', "!!", type(x).__name__, x)
try:
    print('{1j: 2}[1j]', "->", {1j: 2}[1j])
except Exception as x:
    print('{1j: 2}[1j]', "!!", type(x).__name__, x)
try:
    print('[1j, 2.5+1j]', "->", [1j, 2.5+1j])
except Exception as x:
    print('[1j, 2.5+1j]', "!!", type(x).__name__, x)
try:
    print('-(1+2j)', "->", -(1+2j))
except Exception as x:
    print('-(1+2j)', "!!", type(x).__name__, x)
try:
    print('round(1j)', "->", round(1j))
except Exception as x:
    print('round(1j)', "!!", type(x).__name__, x)
for args in [(2.5,), (-0.5,), (1.5, None), (2.675, 2), (1234.5678, -2), (1250.0, -2), (-1250.0, -2), (1e300, -300), (1e300, -400), (0.1, 400), (25, -1), (-25, -1), (7, 2), (True, 0), (float('inf'),), (float('nan'),), (-0.0, 2), (1.5, 0), ()]:
    try:
        r = round(*args)
        print("round", args, repr(r), type(r).__name__)
    except Exception as x:
        print("round", args, "!!", type(x).__name__, x)
