"""Backup and restore of the whole portal: the database and the uploaded files, in one archive.

The archive is a tar file (gzip-compressed when its name ends in .gz or .tgz) holding

    database.dump   `pg_dump -Fc` of the database
    media/<path>    every regular file under MEDIA_ROOT
    manifest.json   written last: versions, migration heads, row counts, size and sha256 of every file

Restoring goes only into an empty database and an empty media folder: merging a backup into live data could
silently mix two states, so the operator creates a fresh database instead.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import psycopg
from django.db.migrations.loader import MigrationLoader
from psycopg import sql
from psycopg.conninfo import make_conninfo

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """An expected failure; its message is meant for the operator, without a traceback."""


# --- Connection details: Django's DATABASES entry → libpq parameters → environment of pg_dump / pg_restore

# Keys of Django's OPTIONS that are no libpq parameters.
_NOT_LIBPQ = {"pool", "isolation_level", "assume_role", "server_side_binding", "cursor_factory", "prepare_threshold", "context"}
# Every libpq parameter reaches the client tools as an environment variable, so that the password never shows
# in the process list (`ps`) and host names with slashes (socket folders) need no quoting.
_LIBPQ_ENV = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER",
    "password": "PGPASSWORD", "passfile": "PGPASSFILE", "service": "PGSERVICE", "connect_timeout": "PGCONNECT_TIMEOUT",
    "client_encoding": "PGCLIENTENCODING", "options": "PGOPTIONS", "application_name": "PGAPPNAME",
    "sslmode": "PGSSLMODE", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "sslrootcert": "PGSSLROOTCERT",
    "sslcrl": "PGSSLCRL", "gssencmode": "PGGSSENCMODE", "target_session_attrs": "PGTARGETSESSIONATTRS",
    "channel_binding": "PGCHANNELBINDING", "require_auth": "PGREQUIREAUTH", "sslnegotiation": "PGSSLNEGOTIATION",
    "load_balance_hosts": "PGLOADBALANCEHOSTS", "krbsrvname": "PGKRBSRVNAME",
}  # fmt: skip


def libpq_params(database: Mapping[str, Any]) -> dict[str, str]:
    """The libpq parameters of a DATABASES entry, in the order of precedence Django's backend uses."""
    params = {key: str(value) for key, value in (database.get("OPTIONS") or {}).items() if key not in _NOT_LIBPQ}
    for django_key, libpq_key in (("NAME", "dbname"), ("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if database.get(django_key):
            params[libpq_key] = str(database[django_key])
    if not params.get("dbname"):
        raise BackupError("The database settings name no database (NAME).")
    unknown = sorted(set(params) - set(_LIBPQ_ENV))
    if unknown:
        raise BackupError(f"The database option(s) {', '.join(unknown)} cannot be passed to pg_dump/pg_restore.")
    return params


def _client_env(params: Mapping[str, str]) -> dict[str, str]:
    # Inherited PG* variables still apply to what the settings leave open, exactly as for Django's own connection.
    return {**os.environ, **{_LIBPQ_ENV[key]: value for key, value in params.items()}}


def _connect(params: Mapping[str, str], **kwargs: Any) -> psycopg.Connection:
    try:
        return psycopg.connect(**params, **kwargs)
    except psycopg.Error as error:
        raise BackupError(f"Cannot connect to database {params['dbname']!r}: {str(error).strip()}") from None


# --- Client tools


def require_local_media(storages: Mapping[str, Any]) -> None:
    """Refuse to run when uploads live in object storage: the archive would silently lack every file.

    The bucket is backed up by the object store's own means (versioning, replication, `rclone sync` or
    `aws s3 sync` to another bucket); README "Several app servers" says how.
    """
    backend = storages["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        bucket = storages["default"].get("OPTIONS", {}).get("bucket_name", "")
        raise BackupError(
            f"Uploads are stored in object storage ({backend}{f', bucket {bucket}' if bucket else ''}), not under "
            "MEDIA_ROOT: this command backs up and restores only a local folder. Back up the bucket with the "
            "store's own tools (versioning, replication, rclone or aws s3 sync) and the database with pg_dump; "
            "see the README, section \"Several app servers\"."
        )


def find_tool(name: str, *, bin_dir: str) -> Path:
    """pg_dump or pg_restore from bin_dir if one is configured, else from the PATH."""
    if bin_dir:
        candidate = Path(bin_dir) / name
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            raise BackupError(f"{name} was not found in PG_BIN_DIR ({bin_dir}). Set PG_BIN_DIR to the folder of the PostgreSQL client tools.")
        return candidate
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found on the PATH. Install the PostgreSQL client tools or set PG_BIN_DIR to their folder.")
    return Path(found)


def tool_version(tool: Path) -> tuple[int, str]:
    """(major, full version) as the tool reports it, e.g. (18, "18.4")."""
    try:
        output = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{tool} --version failed: {error}") from None
    match = re.search(r"\(PostgreSQL\)\s+((\d+)(?:\.\d+)*)", output)
    if not match:
        raise BackupError(f"Cannot read the version of {tool} from {output.strip()!r}.")
    return int(match[2]), match[1]


def _run_tool(command: list[str], *, params: Mapping[str, str], what: str) -> None:
    result = subprocess.run(command, env=_client_env(params), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # The tools' messages name the database and the failing statement, never the password.
        detail = "\n".join(result.stderr.strip().splitlines()[-10:])
        raise BackupError(f"{what} failed (exit code {result.returncode}):\n{detail}")


# --- Facts about a database


def _row_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    query = "SELECT count(*) FROM {}"
    return {table: conn.execute(sql.SQL(query).format(sql.Identifier("public", table))).fetchone()[0] for table in tables}


def _applied_migrations(conn: psycopg.Connection) -> set[tuple[str, str]]:
    if conn.execute("SELECT to_regclass('public.django_migrations')").fetchone()[0] is None:
        return set()
    return {(app, name) for app, name in conn.execute("SELECT app, name FROM django_migrations")}


def migration_heads(applied: Iterable[tuple[str, str]] | None = None) -> dict[str, list[str]]:
    """Per app the migrations nothing else builds on: of the applied ones, or (None) of the code on disk."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    if applied is None:
        keys = graph.leaf_nodes()
    else:
        applied = set(applied)
        # Only a later migration of the same app hides one (other apps depend on auth's, say). A migration the
        # code no longer knows (squashed away) counts as a head, so that nothing is hidden.
        keys = [
            key for key in applied
            if not any(child.key in applied and child.key[0] == key[0] for child in getattr(graph.node_map.get(key), "children", ()))
        ]  # fmt: skip
    heads: dict[str, list[str]] = {}
    for app, name in sorted(keys):
        heads.setdefault(app, []).append(name)
    return heads


# --- Backup


class _HashingReader:
    """Hashes exactly the bytes tarfile copies, so the manifest describes what is in the archive even if a file
    changes while it is read."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.sha256 = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
    info = tar.gettarinfo(str(path), arcname)
    # Owner names and ids of the backup machine mean nothing where the archive is restored.
    info.uid, info.gid, info.uname, info.gname = 0, 0, "", ""
    with path.open("rb") as raw:
        tar.addfile(info, reader := _HashingReader(raw))
    return {"path": arcname, "size": info.size, "sha256": reader.sha256.hexdigest()}


def _media_files(media_root: Path, *, log: Log) -> list[tuple[Path, str]]:
    files = []
    for path in sorted(media_root.rglob("*")) if media_root.is_dir() else []:
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            # A link could point anywhere (even outside MEDIA_ROOT); the portal itself never creates one.
            log(f"Skipped (not a regular file): {path}")
        elif path.is_file():
            files.append((path, path.relative_to(media_root).as_posix()))
    return files


def default_output(*, backup_dir: str | Path) -> Path:
    return Path(backup_dir) / f"eccar-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(*, database: Mapping[str, Any], media_root: str | Path, output: Path, bin_dir: str, log: Log) -> dict[str, Any]:
    """Write the archive to `output` and return its manifest. Nothing is left at `output` if anything fails."""
    media_root = Path(media_root)
    if not output.name.endswith((".tar", ".tar.gz", ".tgz")):
        raise BackupError(f"{output.name}: the archive's name must end in .tar.gz, .tgz or .tar.")
    if output.exists():
        raise BackupError(f"{output} already exists; a backup never overwrites another one.")
    if output.resolve().is_relative_to(media_root.resolve()):
        # Each backup would otherwise carry all earlier ones.
        raise BackupError(f"{output} lies inside MEDIA_ROOT ({media_root}); write backups elsewhere.")
    pg_dump = find_tool("pg_dump", bin_dir=bin_dir)
    dump_major, dump_version = tool_version(pg_dump)
    params = libpq_params(database)
    output.parent.mkdir(parents=True, exist_ok=True)

    # The archive and the dump are written beside the output: the same file system makes the final rename
    # atomic, and /tmp may be too small for a dump. mkstemp creates them readable by the owner only, which is
    # right for a file holding every personal record and password hash of the portal.
    partial = Path(tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")[1])
    dump = Path(tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".dump")[1])
    try:
        # Row counts and migrations are read in the very snapshot pg_dump dumps (pg_export_snapshot), so they
        # match the dump exactly even while the portal keeps writing. The transaction stays open until pg_dump ends.
        with _connect(params) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            server_major = conn.info.server_version // 10000
            if dump_major < server_major:
                raise BackupError(
                    f"{pg_dump} is version {dump_version}, older than the database server ({server_major}); "
                    "pg_dump refuses newer servers. Set PG_BIN_DIR to the client tools of version "
                    f"{server_major} or later."
                )
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            server_version = conn.execute("SHOW server_version").fetchone()[0]
            row_counts = _row_counts(conn)
            applied = _applied_migrations(conn)
            log(f"Dumping database {params['dbname']!r} (PostgreSQL {server_version}) with {pg_dump} …")
            _run_tool(
                [str(pg_dump), "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"],
                params=params,
                what="pg_dump",
            )
        media = _media_files(media_root, log=log)
        log(f"Archiving the dump and {len(media)} file(s) from {media_root} …")
        # Level 6 rather than tarfile's 9: the dump and PDFs are compressed already, so 9 costs time for nothing.
        compressed = output.name.endswith((".gz", ".tgz"))
        with tarfile.open(partial, **({"mode": "w:gz", "compresslevel": 6} if compressed else {"mode": "w"})) as tar:
            dump_entry = _add_file(tar, dump, DUMP)
            entries = [_add_file(tar, path, f"{MEDIA}/{relative}") for path, relative in media]
            manifest = {
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                "database": {"name": params["dbname"], "server_version": server_version, "pg_dump_version": dump_version},
                "dump": {"size": dump_entry["size"], "sha256": dump_entry["sha256"]},
                "migrations": migration_heads(applied),
                "row_counts": row_counts,
                "media": [{**entry, "path": entry["path"].removeprefix(f"{MEDIA}/")} for entry in entries],
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now(dt.UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, output)
        # Makes the rename itself durable: after a crash the archive is either there completely or not at all.
        folder = os.open(output.parent, os.O_RDONLY)
        os.fsync(folder)
        os.close(folder)
    finally:
        partial.unlink(missing_ok=True)
        dump.unlink(missing_ok=True)
    return manifest


# --- Restore


def _safe_relative(path: Any) -> str:
    # The manifest decides file names on this machine: none may leave MEDIA_ROOT ("..", "/…") or alias another.
    if not isinstance(path, str) or "\0" in path or any(part in ("", ".", "..") for part in path.split("/")):
        raise BackupError(f"The archive's manifest names an unsafe file path: {path!r}.")
    return path


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.load(tar.extractfile(tar.getmember(MANIFEST)))
    except KeyError:
        raise BackupError(f"The archive has no {MANIFEST}: it is not a backup of this portal.") from None
    except ValueError:
        raise BackupError(f"The archive's {MANIFEST} is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        found = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise BackupError(f"The archive has format version {found!r}; this portal reads version {FORMAT_VERSION}.")
    try:
        for entry in [manifest["dump"], *manifest["media"]]:
            int(entry["size"]), str(entry["sha256"])
        for entry in manifest["media"]:
            _safe_relative(entry["path"])
        int(str(manifest["database"]["pg_dump_version"]).split(".")[0])
        dict(manifest["row_counts"])
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"The archive's {MANIFEST} is incomplete.") from None
    return manifest


def _check_media_empty(media_root: Path) -> None:
    if media_root.exists() and not media_root.is_dir():
        raise BackupError(f"MEDIA_ROOT ({media_root}) is not a folder.")
    found = sorted(path for path in media_root.rglob("*") if not path.is_dir()) if media_root.is_dir() else []
    if found:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) already holds {len(found)} file(s), e.g. {found[0].relative_to(media_root)}. "
            "Restore only into an empty media folder."
        )


def _check_database_empty(params: Mapping[str, str]) -> None:
    query = (
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1"
    )
    with _connect(params, autocommit=True) as conn:
        relations = [row[0] for row in conn.execute(query)]
    if relations:
        raise BackupError(
            f"Database {params['dbname']!r} is not empty: schema public holds {len(relations)} table(s) or other "
            f"relation(s), e.g. {relations[0]}. Create a fresh database (createdb) and restore into that one."
        )


def _extract_verified(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, *, entry: Mapping[str, Any]) -> None:
    if not member.isreg():
        raise BackupError(f"{member.name} in the archive is not a regular file.")
    digest = hashlib.sha256()
    source = tar.extractfile(member)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if member.size != int(entry["size"]) or digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"Checksum mismatch for {member.name}: the archive is damaged or was altered. Nothing was restored.")


def _stage(tar: tarfile.TarFile, manifest: Mapping[str, Any], staging: Path) -> None:
    """Extract the dump and every media file into `staging`, each checked against the manifest."""
    expected = {DUMP: manifest["dump"]} | {f"{MEDIA}/{entry['path']}": entry for entry in manifest["media"]}
    seen: set[str] = set()
    for member in tar:  # in archive order: one pass through a compressed archive
        if member.name == MANIFEST:
            continue
        entry = expected.get(member.name)
        if entry is None or member.name in seen:
            raise BackupError(f"The archive holds {member.name!r}, which its manifest does not list (once).")
        seen.add(member.name)
        _extract_verified(tar, member, staging / member.name, entry=entry)
    missing = sorted(expected.keys() - seen)
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} file(s) its manifest lists, e.g. {missing[0]}.")


def restore_backup(*, archive: Path, database: Mapping[str, Any], media_root: str | Path, bin_dir: str, log: Log) -> dict[str, Any]:
    """Restore `archive` into an empty database and an empty MEDIA_ROOT; return its manifest."""
    media_root = Path(media_root)
    params = libpq_params(database)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    _check_media_empty(media_root)
    _check_database_empty(params)
    pg_restore = find_tool("pg_restore", bin_dir=bin_dir)
    restore_major, restore_version = tool_version(pg_restore)
    media_root.mkdir(parents=True, exist_ok=True)
    try:
        # Everything is extracted and checked in a staging folder inside MEDIA_ROOT (same file system, so the
        # files move into place by rename) before the database is touched: a damaged or altered archive
        # changes nothing. The folder is removed whatever happens.
        with tarfile.open(archive, "r:*") as tar, tempfile.TemporaryDirectory(dir=media_root, prefix=".restore-") as tmp:
            manifest = _read_manifest(tar)
            dump_major = int(str(manifest["database"]["pg_dump_version"]).split(".")[0])
            if restore_major < dump_major:
                raise BackupError(
                    f"{pg_restore} is version {restore_version}; the dump was made by pg_dump "
                    f"{manifest['database']['pg_dump_version']}. Set PG_BIN_DIR to client tools of version {dump_major} or later."
                )
            staging = Path(tmp)
            log(f"Checking {archive} ({len(manifest['media'])} media file(s)) …")
            _stage(tar, manifest, staging)
            log(f"Restoring database {params['dbname']!r} with {pg_restore} …")
            # One transaction: a failing restore leaves the database empty, so it can simply be run again.
            _run_tool(
                [str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 "--no-password", f"--dbname={make_conninfo(dbname=params['dbname'])}", str(staging / DUMP)],
                params=params,
                what="pg_restore",
            )  # fmt: skip
            for entry in manifest["media"]:
                target = media_root / entry["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / MEDIA / entry["path"], target)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(f"{archive} is not a readable backup archive ({error}).") from None
    log(f"Restored {len(manifest['media'])} media file(s) into {media_root}.")

    with _connect(params) as conn:
        restored = _row_counts(conn)
    expected = manifest["row_counts"]
    differing = sorted(table for table in set(restored) | set(expected) if restored.get(table) != expected.get(table))
    if differing:
        details = ", ".join(f"{table} ({restored.get(table)} rows, manifest {expected.get(table)})" for table in differing[:10])
        raise BackupError(f"Restored, but the row counts differ from the manifest: {details}.")
    log(f"Row counts of all {len(expected)} tables match the manifest.")

    code, archived = migration_heads(), manifest.get("migrations") or {}
    behind = sorted(app for app in set(code) | set(archived) if archived.get(app) != code.get(app))
    if behind:
        log(
            "Note: the migrations in the backup differ from this code's for " + ", ".join(behind)
            + ". Run `manage.py migrate` if the code is newer; with older code, check out the version the backup was made with."
        )
    return manifest
