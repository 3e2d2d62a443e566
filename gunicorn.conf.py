"""gunicorn settings for `make serve`, `make demo` and the benchmarks (gunicorn reads this file
from the working directory)."""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Threads let a worker answer another request while one waits on the database (a commit's
# flush to disk): intake throughput nearly doubled in bench/run.py with 4.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
