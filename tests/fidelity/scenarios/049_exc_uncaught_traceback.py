# scenario: an uncaught exception ends the program and prints a traceback on stderr
# covers: traceback text through nested calls; stdout printed before the failure is kept
def level_three(values):
    total = 0
    for v in values:
        total += 10 // v
    return total


def level_two(values):
    return level_three(values) + 1


def level_one():
    print("starting")
    print("first", level_two([1, 2, 5]))
    return level_two([1, 0])


print("before")
level_one()
print("never printed")
