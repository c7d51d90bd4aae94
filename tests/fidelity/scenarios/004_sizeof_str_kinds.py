# scenario: str sizes for ASCII, latin-1, UCS-2 and UCS-4 strings
# covers: compact ASCII vs compact unicode headers, 1/2/4 bytes per char, terminating NUL
import sys

for n in (0, 1, 2, 10, 100):
    a = "a" * n
    b = "\xe9" * n
    c = "\u0101" * n
    d = "\U0001f600" * n
    print(n, sys.getsizeof(a), sys.getsizeof(b), sys.getsizeof(c), sys.getsizeof(d))
mixed = "abc" + "\u20ac"
print("mixed", len(mixed), sys.getsizeof(mixed))
print("chr", sys.getsizeof(chr(65)), sys.getsizeof(chr(233)), sys.getsizeof(chr(0x3b1)), sys.getsizeof(chr(0x1f600)))
s = "hello world"
print("upper", sys.getsizeof(s.upper()), "slice", sys.getsizeof(s[2:7]))
print("repeat", sys.getsizeof(s * 3), "join", sys.getsizeof("-".join(["ab", "cd", "ef"])))
print("ord", ord(d[0]) if d else 0, ord(c[0]))
