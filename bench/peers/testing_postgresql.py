# Bench peer: Debian's python3-testing.postgresql, driven by lines on stdin (start, stop, quit) from bench/peer-tools.ts.
# It makes PostgresqlFactory(cache_initialized_db=True) once (one initdb), prints {"ready": true}, then answers each
# `start` with the new instance's dsn() and base dir as one JSON line and each `stop` with {"stopped": true}.
import json
import sys

import testing.postgresql


def reply(value):
    """Write one JSON line to stdout and flush it (the bench reads line by line)."""
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def serve(factory):
    """Answer start/stop/quit until stdin closes; stop whatever is still running."""
    current = None
    try:
        for line in sys.stdin:
            command = line.strip()
            try:
                if command == "start":
                    current = factory()
                    reply(dict(current.dsn(), dir=current.base_dir))
                elif command == "stop" and current is not None:
                    current.stop()
                    current = None
                    reply({"stopped": True})
                elif command == "quit":
                    break
                else:
                    reply({"error": "unknown or out-of-order command: " + command})
            except Exception as error:  # the bench records it and goes on
                reply({"error": repr(error)})
    finally:
        if current is not None:
            current.stop()


def main():
    factory = testing.postgresql.PostgresqlFactory(cache_initialized_db=True)
    try:
        reply({"ready": True})
        serve(factory)
    finally:
        factory.clear_cache()


main()
