"""Atlas python adapter worker. Standard library only.

Started by lib/adapters/python.ts as `python3 -u worker.py '<spec json>'`. It imports the user's callable once and then
serves calls over JSON lines: requests `{"id", "prompt", "metadata"}` on stdin, replies on stdout:
  {"type": "ready"} | {"type": "startup_error", "message", "traceback"}
  {"type": "result", "id", "ok": true, "text"}
  {"type": "result", "id", "ok": false, "kind": "exception" | "generator_disabled", "message", "traceback"}

The protocol keeps private duplicates of fds 0 and 1. fd 1 is then pointed at stderr and fd 0 at /dev/null, so
print(), C extensions and child processes of the user's code can neither corrupt replies nor steal requests.
Sync callables run in a thread pool and coroutine functions on one asyncio loop in a background thread, so parallel
steps run concurrently. Python threads cannot be interrupted: the Node side cancels by killing this process.
"""

import asyncio
import concurrent.futures
import importlib
import importlib.util
import inspect
import json
import os
import signal
import sys
import threading
import traceback

MAX_THREADS = 64


def take_protocol_streams():
    protocol_in = os.fdopen(os.dup(0), "r", encoding="utf-8", newline="\n")
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    return protocol_in, protocol_out


class Channel:
    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message):
        line = json.dumps(message) + "\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()


class GeneratorsDisabled(Exception):
    pass


def load_target(spec):
    import_path = spec["import_path"]
    attribute = spec.get("attribute") or "main"
    for directory in reversed(spec.get("search_paths", [])):
        if directory not in sys.path:
            sys.path.insert(0, directory)
    check_module_location(import_path, spec.get("allowed_roots"))
    try:
        module = importlib.import_module(import_path)
    except BaseException as error:  # noqa: BLE001 - the message must reach the user whatever the module raised
        raise StartupError(f"unable to import module '{import_path}': {describe(error)}") from error
    if not hasattr(module, attribute):
        raise StartupError(f"attribute '{attribute}' not found in module '{import_path}'")
    target = getattr(module, attribute)
    if not callable(target):
        raise StartupError(f"attribute '{attribute}' is not callable")
    return target


class StartupError(Exception):
    pass


def check_module_location(import_path, allowed_roots):
    """Before anything is imported: the top-level module's files must lie inside an allowed folder."""
    if allowed_roots is None:
        return
    top = import_path.split(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError) as error:
        raise StartupError(f"unable to import module '{import_path}': {describe(error)}") from error
    if spec is None:
        return  # import_module reports the missing module
    # Built-in and frozen modules (sys, os) have no file: never inside an allowed folder.
    locations = list(spec.submodule_search_locations or []) or ([spec.origin] if spec.has_location and spec.origin else [])
    roots = [os.path.realpath(root) for root in allowed_roots]
    def inside(location):
        real = os.path.realpath(location)
        return any(real == root or real.startswith(root + os.sep) for root in roots)
    if not locations or not all(inside(location) for location in locations):
        where = ", ".join(locations) or str(spec.origin or "built in")
        raise StartupError(
            f"python module '{top}' ({where}) is outside the allowed folders ({', '.join(allowed_roots)}): "
            "agents load code only from the folders in ATLAS_AGENT_PATHS"
        )


def describe(error):
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def exception_text(error):
    return str(error) or type(error).__name__


def normalise(result):
    if isinstance(result, (bytes, bytearray)):
        return bytes(result).decode("utf-8", errors="replace")
    if isinstance(result, (dict, list)):
        return json.dumps(result, default=str)
    return str(result)


def check_generator_allowed(allow_generator):
    if not allow_generator:
        raise GeneratorsDisabled("generator outputs are disabled for this adapter")


class Worker:
    def __init__(self, target, allow_generator, channel):
        self.target = target
        self.allow_generator = allow_generator
        self.channel = channel
        self.is_coroutine = inspect.iscoroutinefunction(target) or inspect.iscoroutinefunction(
            getattr(target, "__call__", None)
        )
        self.threads = concurrent.futures.ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix="atlas-call")
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="atlas-asyncio", daemon=True).start()

    def dispatch(self, request):
        if self.is_coroutine:
            asyncio.run_coroutine_threadsafe(self.call_coroutine(request), self.loop)
        else:
            self.threads.submit(self.call_sync, request)

    def call_sync(self, request):
        try:
            result = self.target(prompt=request["prompt"], metadata=request["metadata"])
            if inspect.isawaitable(result) or inspect.isasyncgen(result):
                result = asyncio.run_coroutine_threadsafe(self.settle_async(result), self.loop).result()
            text = self.collect_sync(result)
        except BaseException as error:  # noqa: BLE001 - SystemExit in a callable must not end the worker
            self.reply_error(request["id"], error, "callable")
            return
        self.reply_ok(request["id"], text)

    async def call_coroutine(self, request):
        try:
            result = await self.settle_async(self.target(prompt=request["prompt"], metadata=request["metadata"]))
            if inspect.isgenerator(result):
                result = await self.loop.run_in_executor(self.threads, self.collect_sync, result)
            text = self.collect_sync(result)
        except BaseException as error:  # noqa: BLE001
            self.reply_error(request["id"], error, "coroutine")
            return
        self.reply_ok(request["id"], text)

    async def settle_async(self, result):
        """Awaits awaitables and drains async generators, leaving any other value unchanged."""
        if inspect.isawaitable(result):
            result = await result
        if inspect.isasyncgen(result):
            check_generator_allowed(self.allow_generator)
            parts = []
            async for item in result:
                parts.append(str(item))
            return "".join(parts)
        return result

    def collect_sync(self, result):
        if inspect.isgenerator(result):
            check_generator_allowed(self.allow_generator)
            return "".join(str(item) for item in result)
        if isinstance(result, str):
            return result
        return normalise(result)

    def reply_ok(self, request_id, text):
        self.channel.send({"type": "result", "id": request_id, "ok": True, "text": text})

    def reply_error(self, request_id, error, kind_of_target):
        if isinstance(error, GeneratorsDisabled):
            self.channel.send(
                {"type": "result", "id": request_id, "ok": False, "kind": "generator_disabled", "message": str(error)}
            )
            return
        self.channel.send(
            {
                "type": "result",
                "id": request_id,
                "ok": False,
                "kind": "exception",
                "target": kind_of_target,
                "message": exception_text(error),
                "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__)),
            }
        )


def main():
    # Ctrl-C reaches the whole process group; Node decides what to cancel and kills this worker when needed.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec = json.loads(sys.argv[1])
    # Our own directory must not shadow the user's modules.
    worker_directory = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != worker_directory]
    protocol_in, protocol_out = take_protocol_streams()
    channel = Channel(protocol_out)
    try:
        target = load_target(spec)
    except StartupError as error:
        cause = error.__cause__
        trace = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__)) if cause else ""
        channel.send({"type": "startup_error", "message": str(error), "traceback": trace})
        os._exit(1)
    worker = Worker(target, bool(spec.get("allow_generator")), channel)
    channel.send({"type": "ready"})
    for line in protocol_in:
        if line.strip():
            worker.dispatch(json.loads(line))
    # stdin closed: Node is done with us (or gone). Running calls are abandoned on purpose.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
