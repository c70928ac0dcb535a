#!/usr/bin/env bash
# Creates InjectTool's role and database. The postgres image runs the scripts of
# /docker-entrypoint-initdb.d (this folder, in docker-compose.yml) once, when its data
# volume is empty; running it again changes nothing. The role owns its database, so the
# migrations can create tables and trusted extensions, and it is not a superuser.
#   INJECTTOOL_DB_NAME, INJECTTOOL_DB_USER, INJECTTOOL_DB_PASSWORD   what to create
#   POSTGRES_USER, POSTGRES_DB    the superuser and database to connect as (image defaults)
set -o errexit -o pipefail -o nounset

: "${INJECTTOOL_DB_NAME:?}" "${INJECTTOOL_DB_USER:?}" "${INJECTTOOL_DB_PASSWORD:?}"

# Names and password travel as psql variables and are quoted by format(%I, %L): whatever
# they contain, they cannot change the statements.
psql --no-psqlrc --set ON_ERROR_STOP=1 --quiet \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    --set name="${INJECTTOOL_DB_NAME}" \
    --set user="${INJECTTOOL_DB_USER}" \
    --set password="${INJECTTOOL_DB_PASSWORD}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'user', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'user')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SQL
echo "init-injecttool: role ${INJECTTOOL_DB_USER} and database ${INJECTTOOL_DB_NAME} are there"
