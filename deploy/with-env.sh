#!/usr/bin/env bash
# Run a command in the checkout with the variables of an environment file, as
# the systemd units do with EnvironmentFile= (docs/deploy.md):
#
#   runuser -u gongkao -- /srv/gongkao/deploy/with-env.sh /etc/gongkao/gongkao.env \
#       .venv/bin/python manage.py migrate
#
# The file holds KEY=VALUE lines without quotes, spaces or `$` in the values,
# which both systemd and the shell read the same way.
set -euo pipefail
env_file=${1:?usage: with-env.sh ENV_FILE COMMAND [ARGS...]}
shift
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
cd "$(dirname "$0")/.."
exec "$@"
