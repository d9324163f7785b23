#!/usr/bin/env bash
# Back up Gongkao: the database (pg_dump, custom format), the uploaded files
# (a tar of MEDIA_ROOT) and a manifest naming the encryption key by its
# fingerprint. The key itself is NOT written here: keep it apart (docs/deploy.md,
# "Backup and restore"); without it the ID and mobile numbers in the dump
# cannot be read.
#
#   deploy/backup.sh DEST_DIR      -> DEST_DIR/gongkao-YYYYmmddTHHMMSSZ/
#
# Reads the application's own settings from the environment: DATABASE_URL (or
# DB=postgres and DB_*), MEDIA_ROOT, FIELD_ENCRYPTION_KEY. systemd passes them
# with EnvironmentFile= (gongkao-backup.service); by hand:
#   set -a; . /etc/gongkao/gongkao.env; set +a; deploy/backup.sh /var/backups/gongkao
# BACKUP_KEEP_DAYS=N also deletes this script's backups older than N days.
set -euo pipefail
umask 077

dest=${1:?usage: backup.sh DEST_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/pg-env.sh
. "$here/pg-env.sh"
: "${FIELD_ENCRYPTION_KEY:?FIELD_ENCRYPTION_KEY is not set: load the environment of the application first}"

name=gongkao-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"
work="$dest/$name.partial"
rm -rf "$work"
mkdir "$work"

# The database first, then the files: a material is written to storage before
# its row commits and never deleted, so every file the dump names is in the tar
# made after it (a file uploaded in between is only an unused extra).
pg_dump --format=custom --compress=6 --file="$work/db.dump" "${PG_TARGET[@]}"

if [ "$FILES_IN_MEDIA_ROOT" = yes ]; then
  : "${MEDIA_ROOT:?MEDIA_ROOT is not set (the shared directory of uploaded files)}"
  mkdir -p "$MEDIA_ROOT"
  # PDFs and JPEGs are compressed already: a plain tar.
  tar --create --file="$work/media.tar" --directory="$MEDIA_ROOT" .
  media="media.tar"
else
  media="none: files are in $FILE_STORAGE_BACKEND; back the bucket up with the store's own versioning or replication"
fi

{
  echo "created_at: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(hostname)"
  # The checkout belongs to root, the backup runs as gongkao: tell git so.
  echo "code: $(git -c safe.directory="$(dirname "$here")" -C "$here/.." rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "pg_dump: $(pg_dump --version)"
  echo "media: $media"
  # sha256 of the key's 64 hex characters: names the key, reveals nothing of it.
  echo "key_sha256: $(printf %s "$FIELD_ENCRYPTION_KEY" | tr 'A-F' 'a-f' | sha256sum | cut -d' ' -f1)"
} > "$work/MANIFEST"
(cd "$work" && sha256sum db.dump $([ -f media.tar ] && echo media.tar) MANIFEST > SHA256SUMS)

mv "$work" "$dest/$name"
echo "$dest/$name"

if [ -n "${BACKUP_KEEP_DAYS:-}" ]; then
  find "$dest" -mindepth 1 -maxdepth 1 -type d -name 'gongkao-*' \
    -mtime +"$BACKUP_KEEP_DAYS" -exec rm -rf {} +
fi
