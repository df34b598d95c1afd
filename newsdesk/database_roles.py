"""Two database roles: the owner of the tables, and the application's, which is not.

The site, the importer and the admin connect as the application's role (DATABASES'
`default`): it may read and write rows, and the archive's triggers judge every write.
It owns nothing, so it cannot ALTER, DROP, TRUNCATE or disable a trigger. `migrate`,
`flush`, `backup` and `restore` run as the owner (settings.DATABASE_OWNER), and
`migrate` ends by granting the application's role what it needs, table by table.
"""

from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connections
from psycopg import sql

# What the application may do with every table; the archive's triggers and foreign keys
# then refuse any UPDATE or DELETE that would rewrite a revision or deface a story.
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def owner_credentials() -> dict:
    """USER and PASSWORD of the owner role, or {} when the application's role is the owner
    (DATABASE_URL without DATABASE_OWNER_URL)."""
    return dict(getattr(settings, "DATABASE_OWNER", None) or {})


def owner_connection(dbname=None, **options):
    """A psycopg connection as the owner role (or the application's, when it is the
    owner) to database `dbname`, by default the configured one."""
    db = {**connections["default"].settings_dict, **owner_credentials()}
    return psycopg.connect(
        dbname=dbname or db["NAME"],
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        **options,
    )


@contextmanager
def as_owner(alias="default"):
    """Run the enclosed work on connection `alias` as the owner role, then reconnect as
    the application. Outside any transaction: the connection is closed and reopened."""
    owner = owner_credentials()
    connection = connections[alias]
    if not owner or connection.settings_dict.get("USER") == owner.get("USER"):
        yield connection
        return
    saved = {key: connection.settings_dict.get(key) for key in owner}
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def application_role() -> str | None:
    """The role the application connects as, when it is not the owner."""
    return settings.DATABASE_APP_USER if owner_credentials() else None


def grant_application_role(connection) -> None:
    """grant() on a Django connection, to the application's role when it is not the owner."""
    role = application_role()
    if role:
        connection.ensure_connection()
        grant(connection.connection, role)


def grant(conn, role: str) -> None:
    """Give `role` rows to read and write in every table of the schema, and no more.

    `conn` is a psycopg connection of the owner's, after migrating or restoring.
    """
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    names = {"schema": sql.Identifier(schema), "role": sql.Identifier(role)}
    statements = [
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {{schema}} TO {{role}}",
        # loaddata sets sequences past the rows it loads (setval needs UPDATE).
        "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
    ]
    for statement in statements:
        conn.execute(sql.SQL(statement).format(**names))


@checks.register(checks.Tags.security, deploy=True)
def check_application_role(app_configs=None, **kwargs):
    """`check --deploy`: the application's role should be neither a superuser nor the
    tables' owner, or the database's guards are its to lift. Silent when the database
    cannot be reached (the check itself needs no server)."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            return role_warnings(cursor, connection.settings_dict["USER"])
    except DatabaseError:
        return []


def role_warnings(cursor, user) -> list:
    """The warnings for the role `cursor` connects as (named `user`)."""
    cursor.execute(ROLE_POWERS)
    superuser, owned = cursor.fetchone()
    warnings = []
    if superuser:
        warnings.append(
            checks.Warning(
                f"The database role {user!r} the application connects as is a superuser: it can disable every guard of the archive.",
                hint=ROLES_HINT,
                id="newsdesk.W101",
            )
        )
    elif owned:
        warnings.append(
            checks.Warning(
                f"The database role {user!r} the application connects as owns {owned} of its tables: it can alter them, drop their "
                "triggers and truncate them.",
                hint=ROLES_HINT,
                id="newsdesk.W102",
            )
        )
    return warnings


ROLE_POWERS = """
SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
       (SELECT count(*) FROM pg_class
        WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
          AND pg_has_role(relowner, 'USAGE'))
"""
ROLES_HINT = (
    "Connect the application as a role that owns nothing (DATABASE_URL) and migrate as "
    "the owner (DATABASE_OWNER_URL): see the README, Production."
)
