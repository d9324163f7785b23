#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and an
# empty MEDIA_ROOT, for the instance whose settings are in the environment
# (DATABASE_URL or DB=postgres and DB_*, MEDIA_ROOT, FIELD_ENCRYPTION_KEY).
#
#   createdb -O gongkao gongkao          # an empty database, as for a first start
#   set -a; . /etc/gongkao/gongkao.env; set +a
#   deploy/restore.sh /var/backups/gongkao/gongkao-20250320T180000Z
#
# Refuses when the files do not match their checksums, when FIELD_ENCRYPTION_KEY
# is not the key the backup was made with (the personal data would be
# unreadable), or when the database or MEDIA_ROOT already holds something.
set -euo pipefail
umask 027

src=${1:?usage: restore.sh BACKUP_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/pg-env.sh
. "$here/pg-env.sh"
: "${FIELD_ENCRYPTION_KEY:?FIELD_ENCRYPTION_KEY is not set: load the environment of the restored instance first}"

fail() { echo "restore.sh: $*" >&2; exit 1; }

[ -f "$src/MANIFEST" ] || fail "$src has no MANIFEST: not a backup made by backup.sh"
(cd "$src" && sha256sum --check --quiet SHA256SUMS) || fail "checksums do not match: the backup is damaged"

want=$(sed -n 's/^key_sha256: //p' "$src/MANIFEST")
have=$(printf %s "$FIELD_ENCRYPTION_KEY" | tr 'A-F' 'a-f' | sha256sum | cut -d' ' -f1)
[ "$want" = "$have" ] || fail "FIELD_ENCRYPTION_KEY is not the key this backup was made with
(its sha256 is $want). Restore the key kept with the backups first: without it
the ID and mobile numbers cannot be decrypted."

tables=$(psql --no-psqlrc --tuples-only --no-align "${PG_TARGET[@]}" --command \
  "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'")
[ "$tables" = 0 ] || fail "the target database is not empty ($tables relations): restore into a new, empty database"

if [ -f "$src/media.tar" ]; then
  : "${MEDIA_ROOT:?MEDIA_ROOT is not set (the shared directory of uploaded files)}"
  if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    fail "MEDIA_ROOT ($MEDIA_ROOT) is not empty: restore into a new, empty directory"
  fi
fi

# One transaction: a failed restore leaves the database empty, not half full.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  "${PG_TARGET[@]}" "$src/db.dump"

if [ -f "$src/media.tar" ]; then
  mkdir -p "$MEDIA_ROOT"
  tar --extract --file="$src/media.tar" --directory="$MEDIA_ROOT" --no-same-owner
fi

echo "Restored $src."
echo "Next: manage.py migrate (nothing to apply if the code is the backup's: $(sed -n 's/^code: //p' "$src/MANIFEST")), then start the services."
