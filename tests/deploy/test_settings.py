"""Production settings: what several processes behind a proxy need."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from gongkao.core.services import client_ip
from tests.test_settings import _import_settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEY": "ab" * 32,
}


def test_production_refuses_a_malformed_encryption_key():
    result = _import_settings(**{**PRODUCTION, "FIELD_ENCRYPTION_KEY": "not-hex"})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY (64 hex characters)" in result.stderr


def test_production_refuses_a_short_encryption_key():
    result = _import_settings(**{**PRODUCTION, "FIELD_ENCRYPTION_KEY": "ab" * 16})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_cache_is_the_database_table_without_redis():
    result = _import_settings("s.CACHES['default']", REDIS_URL="")
    assert result.stdout.strip() == (
        "{'BACKEND': 'django.core.cache.backends.db.DatabaseCache', "
        "'LOCATION': 'gongkao_cache'}"
    )


def test_cache_is_redis_with_redis_url():
    result = _import_settings(
        "s.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_pool_replaces_persistent_connections():
    result = _import_settings(
        "(s.DATABASES['default']['CONN_MAX_AGE'],"
        " s.DATABASES['default']['OPTIONS']['pool'])",
        DB="postgres",
        DB_POOL="true",
        DB_POOL_MAX_SIZE="6",
    )
    assert result.stdout.strip() == (
        "(0, {'min_size': 1, 'max_size': 6, 'timeout': 10})"
    )


def test_queries_run_without_parallel_workers_unless_asked():
    shown = "s.DATABASES['default']['OPTIONS']['options']"
    assert _import_settings(shown, DB="postgres").stdout.strip() == (
        "-c max_parallel_workers_per_gather=0"
    )
    assert _import_settings(
        shown, DB="postgres", DB_PARALLEL_WORKERS="2"
    ).stdout.strip() == ("-c max_parallel_workers_per_gather=2")


def test_proxy_headers_are_trusted_only_behind_the_proxy():
    shown = "getattr(s, 'SECURE_PROXY_SSL_HEADER', None)"
    assert _import_settings(shown).stdout.strip() == "None"
    assert _import_settings(shown, BEHIND_PROXY="true").stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_production_serves_hashed_static_files():
    result = _import_settings("s.STORAGES['staticfiles']['BACKEND']", **PRODUCTION)
    assert result.stdout.strip() == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


@pytest.mark.parametrize(
    ("behind_proxy", "expected"), [(False, "127.0.0.1"), (True, "203.0.113.7")]
)
def test_client_ip_reads_x_real_ip_only_behind_the_proxy(
    rf, settings, behind_proxy, expected
):
    settings.BEHIND_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == expected


def test_client_ip_falls_back_to_the_socket_without_the_header(rf, settings):
    settings.BEHIND_PROXY = True
    assert client_ip(rf.get("/", REMOTE_ADDR="10.1.2.3")) == "10.1.2.3"


@pytest.mark.django_db
def test_database_cache_table_exists_in_the_test_database():
    cache.set("deploy-check", 42)
    assert cache.get("deploy-check") == 42


S3 = "storages.backends.s3.S3Storage"


def test_s3_storage_takes_its_bucket_from_the_environment():
    result = _import_settings(
        "s.STORAGES['default']['OPTIONS']['bucket_name'], "
        "s.STORAGES['default']['OPTIONS']['default_acl']",
        FILE_STORAGE_BACKEND=S3,
        S3_BUCKET="gongkao-files",
        S3_ENDPOINT_URL="https://s3.example.gov.cn",
    )
    assert result.stdout.strip() == "gongkao-files private"


def test_s3_storage_without_a_bucket_is_refused():
    result = _import_settings(FILE_STORAGE_BACKEND=S3)
    assert result.returncode != 0
    assert "Set S3_BUCKET" in result.stderr
