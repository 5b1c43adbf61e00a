"""Backup and restore for real: pg_dump and pg_restore against a second database on the same server.

The round trip uses `transactional_db`: pg_dump runs in its own process and sees only committed data.
"""

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from core.backup import libpq_params, migration_heads
from core.tests.servers import database_url, scratch_database
from members.tests.factories import AssignmentFactory, ContactFactory, MemberFactory, UserFactory
from reports.tests.factories import ReportDocumentFactory, ReportFactory

PDF = b"%PDF-1.4\n% ECCAR test document\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def empty_database(django_db_setup):
    """A freshly created database on the test server, dropped afterwards; its libpq parameters."""
    with scratch_database("restore") as params:
        yield params


def contents(params: dict[str, str]) -> dict[str, tuple]:
    """Every table's row count and an md5 of its rows in a fixed order, and every sequence's position."""
    with psycopg.connect(**params) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        result = {
            table: conn.execute(
                sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} AS t").format(
                    sql.Identifier("public", table)
                )
            ).fetchone()
            for table in tables
        }
        for name, last_value in conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"):
            result[f"sequence {name}"] = (last_value,)
    return result


def files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def backup(tmp_path: Path, name: str = "backup.tar.gz") -> Path:
    archive = tmp_path / "backups" / name
    call_command("backup_portal", output=str(archive), stdout=io.StringIO())
    return archive


def restore(archive: Path, params: dict[str, str]) -> str:
    out = io.StringIO()
    call_command("restore_portal", str(archive), yes=True, database_url=database_url(params), stdout=out)
    return out.getvalue()


def tables(params: dict[str, str]) -> list[str]:
    with psycopg.connect(**params) as conn:
        return [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]


def test_it_restores_every_table_and_every_file_exactly(transactional_db, media, empty_database, settings, tmp_path):
    member = MemberFactory(slug="dresden", name="Landeshauptstadt Dresden")
    AssignmentFactory(user=UserFactory(username="lead"), member=member)
    ContactFactory(member=member, name="Ägidius Müller")
    plan = ActionPlanFactory(member=member, resolution_document=ContentFile(PDF, name="beschluss.pdf"))
    MeasureUpdateFactory(measure=MeasureFactory(plan=plan, title="Antidiskriminierungsstelle „Vielfalt“"))
    report = ReportFactory(member=member)
    ReportDocumentFactory(report=report, file=ContentFile(PDF[::-1], name="bericht.pdf"))
    (media / "ältere Dateien").mkdir()
    (media / "ältere Dateien" / "leer.txt").write_bytes(b"")
    before = contents(libpq_params(connection.settings_dict))
    before_files = files(media)
    assert len(before_files) == 3
    assert before["members_member"][0] == 1 and before["actionplan_measureupdate"][0] == 1

    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "database.dump" and names[-1] == "manifest.json"
    assert sorted(name.removeprefix("media/") for name in names[1:-1]) == sorted(before_files)

    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    output = restore(archive, empty_database)

    assert "Row counts of all" in output
    assert "migrations in the backup differ" not in output
    assert contents(empty_database) == before
    assert files(tmp_path / "restored-media") == before_files
    assert not list((tmp_path / "restored-media").glob(".restore-*"))


def test_it_writes_a_manifest_with_versions_counts_and_checksums(db, media, tmp_path):
    (media / "plans").mkdir(parents=True)
    (media / "plans" / "a.pdf").write_bytes(PDF)
    archive = backup(tmp_path, "backup.tar")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.dump").read()
    assert manifest["format_version"] == 1
    assert manifest["created_at"].endswith("Z")
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    assert manifest["database"]["server_version"].split(".")[0] == str(connection.pg_version // 10000)
    # The test database is migrated to the code's leaf migrations, app by app.
    assert manifest["migrations"] == migration_heads()
    assert "auth" in manifest["migrations"] and "members" in manifest["migrations"]
    assert "members_member" in manifest["row_counts"]
    assert manifest["media"] == [{"path": "plans/a.pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}]
    assert manifest["dump"] == {"size": len(dump), "sha256": hashlib.sha256(dump).hexdigest()}
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format
    assert oct(archive.stat().st_mode & 0o777) == "0o600"


def test_it_refuses_to_restore_into_a_database_that_has_tables(db, media, settings, tmp_path):
    archive = backup(tmp_path)
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    with pytest.raises(CommandError, match="is not empty: schema public holds .* Create a fresh database"):
        call_command("restore_portal", str(archive), yes=True, stdout=io.StringIO())
    assert not (tmp_path / "restored-media").exists()


def test_it_refuses_to_restore_into_a_media_folder_that_has_files(db, media, empty_database, tmp_path):
    archive = backup(tmp_path)
    media.mkdir()
    (media / "left-over.pdf").write_bytes(PDF)
    with pytest.raises(CommandError, match=r"already holds 1 file\(s\), e.g. left-over.pdf"):
        restore(archive, empty_database)
    assert tables(empty_database) == []


def test_it_refuses_a_tampered_archive_and_changes_nothing(db, media, empty_database, settings, tmp_path):
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "de.pdf").write_bytes(PDF)
    archive = backup(tmp_path)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "media/reports/de.pdf":
                data = data.replace(b"ECCAR", b"EVIL!")  # same size: only the checksum can tell
            target.addfile(member, io.BytesIO(data))
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")

    with pytest.raises(CommandError, match="Checksum mismatch for media/reports/de.pdf"):
        restore(tampered, empty_database)
    assert tables(empty_database) == []
    assert files(tmp_path / "restored-media") == {}


def test_it_refuses_a_file_that_is_no_archive(empty_database, media, tmp_path):
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(os.urandom(4096))
    with pytest.raises(CommandError, match="is not a readable backup archive"):
        restore(garbage, empty_database)


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@host/eccar", "postgresql://u@host/"])
def test_it_refuses_a_database_url_that_names_no_postgresql_database(url, tmp_path):
    with pytest.raises(CommandError, match="must be a postgresql:// URL that names a database"):
        call_command("restore_portal", str(tmp_path / "x.tar.gz"), yes=True, database_url=url)


def test_it_names_a_missing_pg_dump_and_leaves_no_archive(db, media, settings, tmp_path):
    settings.PG_BIN_DIR = str(tmp_path / "no-postgresql-here")
    with pytest.raises(CommandError, match="pg_dump was not found in PG_BIN_DIR"):
        backup(tmp_path)
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def fake_pg_dump(folder: Path, script: str) -> str:
    folder.mkdir()
    tool = folder / "pg_dump"
    tool.write_text("#!/bin/sh\n" + script)
    tool.chmod(0o755)
    return str(folder)


def test_it_refuses_a_pg_dump_older_than_the_server(db, media, settings, tmp_path):
    settings.PG_BIN_DIR = fake_pg_dump(tmp_path / "bin", 'echo "pg_dump (PostgreSQL) 9.6.24"\n')
    with pytest.raises(CommandError, match=r"version 9.6.24, older than the database server \(\d+\)"):
        backup(tmp_path)


def test_it_leaves_no_half_archive_when_pg_dump_fails(db, media, settings, tmp_path):
    settings.PG_BIN_DIR = fake_pg_dump(
        tmp_path / "bin", 'if [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 99.0"; exit 0; fi\necho "disk full" >&2\nexit 1\n'
    )
    with pytest.raises(CommandError, match="pg_dump failed \\(exit code 1\\):\ndisk full"):
        backup(tmp_path)
    assert list((tmp_path / "backups").iterdir()) == []
