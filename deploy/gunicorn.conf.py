"""gunicorn's settings for Gongkao, read by `gunicorn -c deploy/gunicorn.conf.py`.

One file for `make serve`, the systemd unit (deploy/systemd/gongkao-web.service)
and the two-process test (tests/deploy/), so that all three run the server the
same way. gunicorn reads it before Django is set up: it takes its values from
the real environment (systemd's EnvironmentFile, the Makefile), not from .env.
"""

import os

wsgi_app = "gongkao.wsgi:application"
# Loopback or a private address only: the proxy in front is the way in, and
# the application trusts its X-Real-IP and X-Forwarded-Proto (BEHIND_PROXY).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Sync workers: one request at a time each, so a worker needs one database
# connection (DB_POOL keeps it open). About 2 per core.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A unit's roster PDF or a large upload takes seconds, not minutes; longer work
# is a background task.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows for months (0: never;
# bench/scale.py turns it off, or a worker's cold start would land in whichever
# page's few seconds of measurement happen to be running).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Identifies the processes in `ps` (and the test's clean-up).
proc_name = os.environ.get("GUNICORN_PROC_NAME", "gongkao")
# Two instances on one machine (the two-process test) would share one control
# socket path; reload and stop go through signals (systemd's ExecReload: HUP).
control_socket_disable = True


def post_worker_init(worker: object) -> None:
    """Once the worker has loaded Django: move what it loaded (modules, URL
    patterns, templates) out of the collector's sight. A full collection
    would otherwise walk those hundreds of thousands of objects again and
    again, a pause of tens of milliseconds landing on whichever request
    happens to be running."""
    import gc

    gc.collect()
    gc.freeze()
