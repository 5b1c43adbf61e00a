# The production configuration of the app server: `gunicorn eccar_portal.wsgi` reads this file from the
# working directory. Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Threads, not only processes: a request waiting for the database (at most DB_POOL_TIMEOUT, 2 s, during an
# outage) blocks one thread, while the others keep answering /healthz and the pages that need no database.
# The pool holds up to DB_POOL_MAX_SIZE (10) connections per process, more than the threads, so a thread
# never waits for a connection another thread of the same process holds.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

# A worker that does not report for this long is replaced. Longer than the slowest honest request (a plan
# PDF, a report ZIP) and far longer than the pool timeout, so that a database outage never gets healthy
# workers killed; requests that wait for the database give up after 2 s and answer 503.
timeout = 60
graceful_timeout = 30
keepalive = 5

# Bound the work a single client can queue: slow or endless request lines and headers are cut off.
limit_request_line = 8190
limit_request_fields = 100

# Recycle workers now and then, so that a slow leak in a library can never grow without bound.
max_requests = 5000
max_requests_jitter = 500

accesslog = "-"
errorlog = "-"
