# Sourced by backup.sh and restore.sh: the database of the application's
# settings (gongkao/settings.py reads the same variables) as arguments for
# pg_dump, pg_restore and psql, in PG_TARGET; and where uploads live.
if [ -n "${DATABASE_URL:-}" ]; then
  PG_TARGET=(--dbname="$DATABASE_URL")
elif [ "${DB:-sqlite}" = postgres ]; then
  export PGHOST=${DB_HOST:-127.0.0.1} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-postgres}
  if [ -n "${DB_PASSWORD:-}" ]; then export PGPASSWORD=$DB_PASSWORD; fi
  PG_TARGET=(--dbname="${DB_NAME:-gongkao}")
else
  echo "These scripts work on PostgreSQL: set DATABASE_URL, or DB=postgres and DB_*." >&2
  exit 1
fi
case "${FILE_STORAGE_BACKEND:-django.core.files.storage.FileSystemStorage}" in
  django.core.files.storage.FileSystemStorage) FILES_IN_MEDIA_ROOT=yes ;;
  *) FILES_IN_MEDIA_ROOT=no ;;
esac
