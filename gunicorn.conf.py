"""gunicorn settings for `make serve`, `make demo` and the benchmarks (gunicorn reads this file
from the working directory)."""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Two threads let a worker answer another request while one waits on the database (a commit's
# flush to disk) and keep connections alive. More threads fight over Python's lock: in
# bench/run.py intake made 302–332 requests/s with 2 threads and 260–274 with 4.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
