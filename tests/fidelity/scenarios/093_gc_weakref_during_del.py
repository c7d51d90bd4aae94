# scenario: what a finalizer sees through a weakref to its own garbage cycle
# covers: handle_weakrefs clears every weakref to the unreachable set before finalize_garbage (3.8-3.13), so __del__ finds the weakref dead; importing weakref after a collection leaves 7 garbage objects on 3.13, none before
import gc

gc.collect()
import weakref

print("first collection", gc.collect())


class A:
    def __del__(self):
        print("in __del__, the weakref is alive:", r() is self)


a = A()
a.me = a
r = weakref.ref(a)
del a
print("collected", gc.collect())
print("after", r())

b = A()
b.me = b
r = weakref.ref(b, lambda w: print("callback, weakref alive:", w() is not None))
del b
print("collected", gc.collect())
