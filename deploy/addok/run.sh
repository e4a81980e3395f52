#!/usr/bin/env bash
# The local geocoder of the demo and of development (docs/modules/signalements.md « Geocoder »): Redis (Debian's
# redis-server, installed when missing), the demo territory's address sample loaded into addok (PyPI addok with
# addok-fr), then addok's HTTP API, with the BAN's shape, on 127.0.0.1:${ADDOK_PORT:-7878}. Point the platform at it:
#   PARTICIPE_GEOCODER_URL=http://127.0.0.1:7878
# Stop it with Ctrl-C; Redis keeps running (redis-cli -p ${REDIS_PORT:-6380} shutdown nosave).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=$ROOT/var/addok
PORT=${ADDOK_PORT:-7878}
export REDIS_PORT=${REDIS_PORT:-6380}
export ADDOK_CONFIG_MODULE=$ROOT/deploy/addok/addok.conf ADDOK_LOG_DIR=$DIR
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
mkdir -p "$DIR"

if ! command -v redis-server >/dev/null; then
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server
fi
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR" --save "" --appendonly no \
        --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

DJANGO_DEBUG=${DJANGO_DEBUG:-1} .venv/bin/python manage.py signalements_addresses "$DIR/adresses.ndjson"
redis-cli -p "$REDIS_PORT" flushall >/dev/null   # a fresh index of the sample
(cd "$DIR" && "$ROOT/.venv/bin/addok" batch "$DIR/adresses.ndjson" && "$ROOT/.venv/bin/addok" ngrams) >/dev/null
echo "addok: http://127.0.0.1:$PORT/search/?q=rue+des+lilas"
cd "$DIR" && exec "$ROOT/.venv/bin/addok" serve --host 127.0.0.1 --port "$PORT"
