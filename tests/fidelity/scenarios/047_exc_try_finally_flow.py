# scenario: control flow through try/except/else/finally, including returns and loops
# covers: finally always runs; else runs without exception; exception variable is deleted after except
import sys


def f(mode):
    log = []
    try:
        log.append("try")
        if mode == 1:
            raise ValueError("v")
        if mode == 2:
            return log + ["returned"]
    except ValueError as e:
        log.append("except " + str(e))
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log


for m in (0, 1, 2):
    print(m, f(m))


def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"


print(finally_overrides())
out = []
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        out.append(i)
    finally:
        out.append("f%d" % i)
print(out)
try:
    raise KeyError("gone")
except KeyError as err:
    pass
try:
    err
    print("err still bound")
except NameError as e:
    print("NameError:", e)
payload = [0]
try:
    raise RuntimeError(payload)
except RuntimeError as e:
    print("refs during except", sys.getrefcount(payload))
print("refs after except", sys.getrefcount(payload))
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("AssertionError:", e)
