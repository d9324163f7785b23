"""The password hasher: Argon2id at OWASP's minimum cost.

OWASP's Password Storage Cheat Sheet gives, as its first Argon2id choice,
19 MiB of memory, 2 iterations and 1 degree of parallelism. Django's default
(about 100 MiB and 8 lanes) costs about 0.13 s of CPU per login on the
2-core server, which caps deadline-day logins near 15 a second; these
parameters cost a small fraction of it (docs/deploy.md, "Password hashing").

The algorithm name stays "argon2", so hashes made with Django's parameters
still verify, and Django rehashes them with these at the next login (the
parameters differ: `must_update`).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with m=19456 KiB, t=2, p=1."""

    time_cost = 2
    memory_cost = 19456  # KiB: 19 MiB
    parallelism = 1
