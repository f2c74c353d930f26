"""Execute the report's notebooks in a few warm kernels, side by side.

Starting a Jupyter kernel and importing the scientific stack (pandas, statsmodels,
scipy, matplotlib) costs more than most report sections compute. So instead of one
fresh kernel per notebook (papermill's way), :func:`execute_notebooks` starts
``workers`` kernels once and feeds each a queue of notebooks:

* before a notebook runs, its kernel's user namespace is cleared (``%reset -f``) and
  every matplotlib figure is closed, so no notebook can see another's variables; the
  imported modules stay loaded, which is the point;
* parameters are injected as literals by papermill's own parameterizer (a cell tagged
  ``injected-parameters`` after the cell tagged ``parameters``);
* the notebooks are handed out longest first, so that two kernels finish together;
* each kernel gets ``cpu_count // workers`` threads for BLAS and OpenMP, so two
  kernels do not oversubscribe the cores.

The executed notebooks are written in the order given, whatever order they ran in.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["NotebookFailure", "NotebookJob", "default_workers", "execute_notebooks"]

#: Tag of the cell that clears the kernel before each notebook (removed afterwards).
RESET_TAG = "report-reset"
_RESET_SOURCE = (
    "%reset -f\n"
    "import matplotlib.pyplot as _plt\n"
    "_plt.close('all')\n"
    "del _plt"
)
_THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


@dataclass(frozen=True)
class NotebookJob:
    """One notebook to run: its report name, source file and executed-copy path.

    ``cost`` orders the queue (largest first); it is a relative guess, for example the
    seconds the notebook took in the last build.
    """

    name: str
    src: Path
    dst: Path
    cost: float = 1.0


class NotebookFailure(Exception):
    """A notebook failed; ``job`` names it and ``__cause__`` holds the kernel's error."""

    def __init__(self, job: NotebookJob, error: BaseException):
        super().__init__(f"{job.name}: {error}")
        self.job, self.error = job, error


def default_workers(n_notebooks: int) -> int:
    """Kernels to run side by side: one per core, at most one per notebook, at most 4."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, n_notebooks, 4))


def _prepare(job: NotebookJob, parameters: Mapping[str, Any]):
    """Read the notebook, inject the parameters, and put the reset cell first."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(job.src))  # also gives every cell a tags list
    nb = parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")
    reset = nbformat.v4.new_code_cell(_RESET_SOURCE, metadata={"tags": [RESET_TAG]})
    nb.cells.insert(0, reset)
    return nb


def _finish(nb, job: NotebookJob) -> None:
    """Drop the reset cell and write the executed notebook to ``job.dst``."""
    import nbformat

    nb.cells = [c for c in nb.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
    job.dst.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(job.dst))


async def _start_kernel(cwd: Path, threads: int):
    from jupyter_client.manager import AsyncKernelManager

    env = dict(os.environ)
    for var in _THREAD_VARS:
        env.setdefault(var, str(threads))
    km = AsyncKernelManager(kernel_name="python3")
    await km.start_kernel(
        cwd=str(cwd), env=env, extra_arguments=["--IPKernelApp.log_level=CRITICAL"]
    )
    return km


async def _worker(
    queue: asyncio.Queue,
    parameters: Mapping[str, Any],
    cwd: Path,
    threads: int,
    timings: dict[str, float],
    on_start: Callable[[NotebookJob], None],
    on_done: Callable[[NotebookJob, float], None],
) -> None:
    from nbclient import NotebookClient

    km = None
    try:
        while True:
            try:
                job = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if km is None:
                km = await _start_kernel(cwd, threads)
            on_start(job)
            t0 = time.perf_counter()
            try:
                nb = _prepare(job, parameters)
            except Exception as exc:
                raise NotebookFailure(job, exc) from exc
            client = NotebookClient(
                nb, km=km, timeout=None, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
            )
            try:
                await client.async_execute()
            except BaseException as exc:
                _finish(nb, job)  # keep the partly executed notebook for the error message
                raise NotebookFailure(job, exc) from exc
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
            _finish(nb, job)
            timings[job.name] = round(time.perf_counter() - t0, 3)
            on_done(job, timings[job.name])
    finally:
        if km is not None:
            await km.shutdown_kernel(now=True)


async def _run(jobs, parameters, cwd, workers, on_start, on_done) -> dict[str, float]:
    queue: asyncio.Queue = asyncio.Queue()
    for job in sorted(jobs, key=lambda j: -j.cost):
        queue.put_nowait(job)
    cores = os.cpu_count() or 1
    threads = max(1, cores // workers)
    timings: dict[str, float] = {}
    tasks = [
        asyncio.ensure_future(_worker(queue, parameters, cwd, threads, timings, on_start, on_done))
        for _ in range(workers)
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for t in done:
            if t.exception() is not None:
                raise t.exception()
    finally:
        for t in tasks:
            if not t.done():
                t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return timings


def execute_notebooks(
    jobs: Sequence[NotebookJob],
    parameters: Mapping[str, Any],
    *,
    cwd: Path,
    workers: int | None = None,
    on_start: Callable[[NotebookJob], None] = lambda job: None,
    on_done: Callable[[NotebookJob, float], None] = lambda job, seconds: None,
) -> dict[str, float]:
    """Run every notebook in ``jobs`` with ``parameters``; return seconds per notebook.

    Raises :class:`NotebookFailure` at the first failing notebook (the others are
    stopped); its executed copy, up to the failing cell, is at ``job.dst``.
    """
    jobs = list(jobs)
    if not jobs:
        return {}
    n = workers if workers is not None else default_workers(len(jobs))
    n = max(1, min(int(n), len(jobs)))
    return _run_in_thread(lambda: _run(jobs, parameters, Path(cwd), n, on_start, on_done))


def _run_in_thread(make_coro, grace: float = 30.0):
    """Run the coroutine in an event loop of its own thread; wait for it here.

    The loop lives in another thread so that (a) it works when the caller already runs
    an event loop (Jupyter), and (b) signal handling stays with the caller's main
    thread: nbclient installs loop signal handlers only in the main thread and resets
    SIGTERM to its default when a notebook ends, which would let a later SIGTERM kill
    the build without cleaning up. If waiting here is interrupted (Ctrl-C, or a SIGTERM
    handler that raises), the run is cancelled, its kernels are shut down, and the
    exception propagates.
    """
    import threading

    loop = asyncio.new_event_loop()
    box: dict[str, Any] = {}
    finished = threading.Event()

    def main() -> None:
        asyncio.set_event_loop(loop)
        box["task"] = task = loop.create_task(make_coro())
        try:
            box["result"] = loop.run_until_complete(task)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            loop.close()
            finished.set()

    # Wait on an Event, not Thread.join: a join interrupted by a signal handler's
    # exception can mark a running thread as stopped (CPython bpo-45274), and a later
    # join would then return before the kernels are shut down.
    thread = threading.Thread(target=main, name="analysis-report-kernels", daemon=True)
    thread.start()
    try:
        while not finished.wait(timeout=0.5):
            pass
    except BaseException:
        task = box.get("task")
        if task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        finished.wait(timeout=grace)
        raise
    if "error" in box:
        raise box["error"]
    return box["result"]
