# scenario: user-defined exception classes, args, inheritance and re-raising
# covers: exception instances, args tuples, str() of custom exceptions, bare re-raise, raising in a handler
class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key):
        super().__init__("not found: " + key)
        self.key = key


class Detailed(Exception):
    def __init__(self, code, text):
        super().__init__(code, text)
        self.code = code


for exc in (AppError(), AppError("x"), AppError("x", 2), NotFound("k"), Detailed(1, "two")):
    print(type(exc).__name__, repr(str(exc)), exc.args)
try:
    raise NotFound("user")
except AppError as e:
    print("caught as base", type(e).__name__, e.key, isinstance(e, Exception))
try:
    try:
        {}["z"]
    except KeyError:
        print("handling KeyError, re-raising")
        raise
except KeyError as e:
    print("re-raised", type(e).__name__, str(e))
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during handling")
except ValueError as e:
    print("replaced by", type(e).__name__, str(e))
try:
    raise AppError
except AppError as e:
    print("class raised", repr(str(e)), e.args)
print(repr(AppError("m")), repr(NotFound("q")))
