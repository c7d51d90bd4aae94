# scenario: a closure keeps its variable alive in a cell
# covers: a cell object shared by the outer frame and the inner function (a built-in example of the web app)
def make_counter():
    count = 0
    def bump():
        nonlocal count
        count += 1
        return count
    return bump

c = make_counter()
c()
c()
print(c())
