"""Where the chunks of a sweep run: in this process, in local processes, or on a Dask cluster.

A sweep is cut into chunks of grid points whose boundaries do not depend on
the back-end, and every grid point is computed the same way wherever it runs,
so the results are identical whatever the back-end:

* ``workers=1``: one after the other, in this process;
* ``workers=N``: a :class:`concurrent.futures.ProcessPoolExecutor` with N
  processes (the game is pickled to each task);
* ``scheduler=ADDRESS``: a Dask distributed cluster
  (:class:`distributed.Client`; the optional extra
  ``pip install gametheory[distributed]``).  ``scheduler`` may also be a
  ``Client`` or a ``LocalCluster`` object.

Results come back in task order; ``progress(done, total)`` is called as
chunks finish.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..errors import GameError

DASK_HINT = "--scheduler needs Dask: pip install 'gametheory[distributed]' (or pip install 'dask[distributed]')"


def run_tasks(
    func: Callable[[Any], Any],
    tasks: Sequence[Any],
    *,
    workers: int = 1,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    sizes: Sequence[int] | None = None,
) -> list[Any]:
    """``[func(t) for t in tasks]`` on the chosen back-end; ``sizes`` weigh the progress."""
    sizes = list(sizes) if sizes is not None else [1] * len(tasks)
    total = sum(sizes)
    done = 0
    if scheduler is not None:
        return _dask(func, tasks, scheduler, progress, sizes)
    if workers is None or workers < 1:
        raise GameError("--workers must be at least 1")
    if workers == 1 or len(tasks) <= 1:
        out = []
        for t, size in zip(tasks, sizes):
            out.append(func(t))
            done += size
            if progress:
                progress(done, total)
        return out
    from concurrent.futures import ProcessPoolExecutor, as_completed

    _preload()
    results: list[Any] = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(func, t): k for k, t in enumerate(tasks)}
        for fut in as_completed(futures):
            k = futures[fut]
            results[k] = fut.result()
            done += sizes[k]
            if progress:
                progress(done, total)
    return results


def _preload() -> None:
    """Import the solvers' heavy dependencies before forking, so each worker does not import them again."""
    import importlib

    for name in ("numpy", "scipy.spatial", "gametheory.solvers.enumeration", "gametheory.solvers.pure"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _dask(func, tasks, scheduler, progress, sizes) -> list[Any]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise GameError(DASK_HINT) from None
    own = False
    if isinstance(scheduler, Client):
        client = scheduler
    elif hasattr(scheduler, "scheduler_address"):  # a LocalCluster or another cluster object
        client = Client(scheduler)
        own = True
    else:
        try:
            client = Client(str(scheduler), timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise GameError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        own = True
    try:
        futures = client.map(func, list(tasks), pure=False)
        index = {f.key: k for k, f in enumerate(futures)}
        total = sum(sizes)
        done = 0
        results: list[Any] = [None] * len(tasks)
        for fut in as_completed(futures):
            k = index[fut.key]
            results[k] = fut.result()
            done += sizes[k]
            if progress:
                progress(done, total)
        return results
    finally:
        if own:
            client.close()


__all__ = ["run_tasks", "DASK_HINT"]
