# scenario: str and tuple operations that return the same object, split presizing, % formatting
# covers: unicode_result_unchanged, tupleconcat/tuplerepeat identity, split's PREALLOC_SIZE list, printf-style conversions
import sys
for s in ["a b c d e f g h i j", "abc", "", "a,b", "x y"]:
    p = s.split()
    print(repr(s), sys.getsizeof(p), p)
print(sys.getsizeof("a,b,c".split(",")), sys.getsizeof("a b c d e f g h i j k l m n o".split()))
s = "".join(["hel", "lo"])
print(s.strip() is s, s.replace("z", "y") is s, s.center(3) is s, s.lower() is s, s[:] is s, s[0:5] is s, s.zfill(2) is s, (s * 1) is s)
t = (int("1"), 2)
print((t + ()) is t, (t * 1) is t, t[:] is t)
print("%05d|%-4s|%r|%x|%#o|%.2f|%e|%g|%c|%%|%+d|% d|%5.1f" % (7, "ab", "q", 255, 8, 3.14159, 12345.678, 0.0001, 65, 3, 4, 2.25))
print("%s and %s" % ("a", [1]), "%d" % 3.7, "%s" % (1,), "%i" % True)
