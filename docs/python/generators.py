# docs/tutorial.md chapter 1, the Python side; `python3 docs/python/generators.py` prints what the comments say.
def countdown(n):
    while n > 0:
        yield n
        n -= 1

for n in countdown(3):
    print(n)        # 3, 2, 1

def running_total():
    total = 0
    while True:
        value = yield total
        total += value

totals = running_total()
print(next(totals))        # 0: runs the body to its first yield
print(totals.send(10))     # 10
print(totals.send(5))      # 15

def countdown_then_report(n):
    for i in range(n, 0, -1):
        yield i
    return n

def launch():
    ticks = yield from countdown_then_report(3)
    yield 0
    return "lift-off after {}".format(ticks)

print(list(launch()))      # [3, 2, 1, 0]
