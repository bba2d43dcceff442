"""Worker processes for the CPU-bound stages of one run on one machine: how many cores it may use, and a pool of
forked processes where one can run.

Forked, not spawned: a forked worker shares the models already loaded and starts at once, while a spawned one
loads them again and re-runs the caller's main script (a script without an `if __name__ == "__main__"` guard
would start its analysis again). Where fork is missing, in a daemon process (which may not have children) or
when the pool cannot start, callers do the work in their own process: the same results, on one core.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Sequence


def cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform tells it, else the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def fork_pool(workers: int, initializer: Callable[..., None] | None = None,
              initargs: Sequence[Any] = ()) -> ProcessPoolExecutor | None:
    """A pool of `workers` forked processes, each running `initializer(*initargs)` first; None when fewer than one
    worker is asked for, fork is missing, this is a daemon process, or the pool cannot start (OSError)."""
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods() or \
            multiprocessing.current_process().daemon:
        return None
    # the parent's objects are frozen while the workers fork, so a worker's garbage collector never walks
    # them: a walk writes to every object header, so the worker would copy every page of objects it shares
    gc.freeze()
    pool = None
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=initializer,
                                   initargs=tuple(initargs))
        pool.submit(os.getpid).result()  # forks every worker now, while frozen
        return pool
    except (OSError, ValueError, BrokenProcessPool):
        if pool is not None:  # a worker died starting (its initializer failed): stop the rest, free the pipes
            pool.shutdown(wait=True, cancel_futures=True)
        return None
    finally:
        gc.unfreeze()


def lower_priority() -> None:
    """Let this process run only on cores nothing else wants (Linux's SCHED_IDLE; elsewhere nice 19), for work
    started ahead of time in the background: it must never slow down the stage running in front of it."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        try:
            os.nice(19)
        except (AttributeError, OSError):
            pass


def fork_map(fn: Callable[[Any], Any], items: Sequence[Any], workers: int | None = None) -> list:
    """[fn(item) for item in items], in order, computed by up to `workers` (default: one per core) forked
    processes when there are two or more items and a pool can start (`fork_pool`), else here. `fn` must be a
    module-level function and items and results must pickle; a worker that dies (killed, out of memory)
    leaves its items to be done here, so the list is always whole."""
    items = list(items)
    pool = fork_pool(min(len(items), workers or cores())) if len(items) > 1 and cores() > 1 else None
    if pool is None:
        return [fn(item) for item in items]
    out: list = []
    with pool:
        futures = [pool.submit(fn, item) for item in items]
        for item, future in zip(items, futures):
            try:
                out.append(future.result())
            except BrokenProcessPool:
                out.append(fn(item))
    return out
