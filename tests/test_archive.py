"""The zip writer: archives that zipfile and Info-ZIP read back, the same bytes every time."""

import random
import shutil
import struct
import subprocess
import zipfile

import pytest
from zlib_ng import zlib_ng

from coursegen import archive as archiving
from coursegen import reuse, store
from coursegen.archive import extend_zip, write_zip

ENTRIES = [
    ("index.html", b"<p>hello</p>" * 500),
    ("assets/media/\u00e9t\u00e9.svg", "<svg>\u0639\u0631\u0628\u064a</svg>".encode()),
    ("empty.txt", b""),
]


def test_zipfile_reads_back_every_member_with_fixed_metadata(tmp_path):
    path = tmp_path / "a.zip"
    write_zip(path, ENTRIES)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == ENTRIES
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP's unzip is not installed")
def test_info_zip_finds_no_errors(tmp_path):
    path = tmp_path / "a.zip"
    write_zip(path, ENTRIES)
    done = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_records_hold_nothing_but_names_sizes_and_fixed_fields(tmp_path):
    # zipfile may add a data descriptor or extra fields when it streams; they would change
    # the bytes that the hand-written writer gave before it, and that earlier builds have.
    path = tmp_path / "a.zip"
    write_zip(path, ENTRIES)
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            assert (info.create_system, info.create_version, info.extract_version) == (3, 20, 20)
            assert info.flag_bits == (0 if info.filename.isascii() else 0x800)  # UTF-8 names
            assert info.extra == b""
            local = struct.unpack_from("<4s5H3L2H", raw, info.header_offset)
            assert local[:5] == (b"PK\3\4", 20, info.flag_bits, zipfile.ZIP_DEFLATED, 0)
            assert local[-1] == 0  # no extra field in the local header either


def test_over_65535_members_get_zip64_records(tmp_path):
    path = tmp_path / "a.zip"
    names = [f"{i:05d}.txt" for i in range(65_536)]
    write_zip(path, ((name, b"") for name in names))
    assert b"PK\6\6" in path.read_bytes()[-200:]  # the zip64 end of central directory
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == names
    if shutil.which("unzip"):
        done = subprocess.run(["unzip", "-tq", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_an_existing_file_is_replaced_not_written_through(tmp_path):
    live, staged = tmp_path / "live.zip", tmp_path / "staged.zip"
    write_zip(live, ENTRIES)
    before = live.read_bytes()
    staged.hardlink_to(live)  # as the staging folder links the previous output
    write_zip(staged, ENTRIES[:1])
    assert live.read_bytes() == before


def test_a_file_is_streamed_in_pieces_and_reads_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(archiving, "_READ_WHOLE", 1 << 20)  # what is larger is streamed
    source = tmp_path / "collection.anki2"
    source.write_bytes(bytes(range(256)) * 9000)  # over two pieces of 1 MiB
    path = tmp_path / "a.zip"
    write_zip(path, [ENTRIES[0], ("collection.anki2", source), ENTRIES[2]])
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.read("collection.anki2") == source.read_bytes()
        assert archive.read("empty.txt") == b""
    in_memory = tmp_path / "b.zip"
    write_zip(in_memory, [ENTRIES[0], ("collection.anki2", source.read_bytes()), ENTRIES[2]])
    assert path.read_bytes() == in_memory.read_bytes()


def test_a_large_member_is_deflated_in_chunks_that_each_stand_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(archiving, "_READ_WHOLE", 1 << 20)
    data = random.Random(19).randbytes(1 << 19) * 5  # repeats that the 32 KiB window cannot see
    write_zip(tmp_path / "a.zip", [("collection.anki2", data)])
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        info = archive.getinfo("collection.anki2")
        assert archive.read(info) == data
    chunks = -(-len(data) // archiving._CHUNK)
    # Each chunk but the last ends in a sync flush's empty stored block; they cost that.
    raw = (tmp_path / "a.zip").read_bytes()
    start = info.header_offset + 30 + len(info.filename.encode())
    deflated = raw[start : start + info.compress_size]
    assert deflated.count(b"\x00\x00\xff\xff") >= chunks - 1
    whole = zlib_ng.compressobj(zlib_ng.Z_DEFAULT_COMPRESSION, zlib_ng.DEFLATED, -15)
    assert len(deflated) <= len(whole.compress(data) + whole.flush()) + 8 * chunks


def test_a_rebuild_deflates_again_only_the_chunks_an_edit_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(archiving, "_READ_WHOLE", 1 << 20)
    source = tmp_path / "collection.anki2"
    data = bytearray(random.Random(19).randbytes(45 * archiving._CHUNK // 10))  # 4.5 chunks
    source.write_bytes(data)
    (tmp_path / "store").mkdir()
    monkeypatch.setattr(reuse, "_store", store.Store(tmp_path / "store", "code"))
    write_zip(tmp_path / "first.zip", [("collection.anki2", source)])
    reuse._store.commit()
    data[2 * archiving._CHUNK + 10] ^= 0xFF  # early in the third chunk: that one alone changes
    source.write_bytes(data)
    monkeypatch.setattr(reuse, "_store", store.Store(tmp_path / "store", "code"))
    deflated = []
    real = archiving._deflate_chunk
    monkeypatch.setattr(
        archiving, "_deflate_chunk", lambda *args: deflated.append(args[1][:4]) or real(*args)
    )
    write_zip(tmp_path / "again.zip", [("collection.anki2", source)])
    assert deflated == [bytes(data[2 * archiving._CHUNK : 2 * archiving._CHUNK + 4])]
    monkeypatch.setattr(reuse, "_store", None)
    write_zip(tmp_path / "afresh.zip", [("collection.anki2", source)])
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "afresh.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "again.zip") as archive:
        assert archive.read("collection.anki2") == data


def test_an_extended_zip_keeps_the_source_s_deflated_members_and_adds_the_new(tmp_path):
    source, path = tmp_path / "site.zip", tmp_path / "package.zip"
    write_zip(source, ENTRIES)
    extend_zip(source, path, [("imsmanifest.xml", b"<manifest />")])
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == [
            *ENTRIES,
            ("imsmanifest.xml", b"<manifest />"),
        ]
        assert archive.getinfo("imsmanifest.xml").date_time == (1980, 1, 1, 0, 0, 0)
    members = source.read_bytes()[: source.read_bytes().index(b"PK\x01\x02")]
    assert path.read_bytes().startswith(members)  # copied as they are, not deflated again


def test_an_extended_zip_refuses_a_name_it_already_holds(tmp_path):
    source = tmp_path / "site.zip"
    write_zip(source, ENTRIES)
    with pytest.raises(ValueError, match="site.zip already holds index.html"):
        extend_zip(source, tmp_path / "package.zip", [("index.html", b"again")])


def test_members_are_deflated_by_zlib_ng_through_zipfile_s_member_writer(tmp_path):
    """archive._deflate_with hands zlib-ng's deflater (or deflated bytes) to zipfile's member
    writer in place of its compressor: the attribute must exist, or zipfile's zlib deflates
    instead, and the output changes."""
    with (
        zipfile.ZipFile(tmp_path / "probe.zip", "w") as probe,
        probe.open(zipfile.ZipInfo("x"), "w") as member,
    ):
        assert hasattr(member, "_compressor")
    data = b"<p>page</p>\n" * 500 + bytes(range(256)) * 40
    path = tmp_path / "a.zip"
    write_zip(path, [("a.html", data)])
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("a.html")
    raw = path.read_bytes()
    start = info.header_offset + 30 + len(info.filename.encode())  # past the local header
    deflater = zlib_ng.compressobj(zlib_ng.Z_DEFAULT_COMPRESSION, zlib_ng.DEFLATED, -15)
    assert raw[start : start + info.compress_size] == deflater.compress(data) + deflater.flush()


def test_a_member_written_from_its_stored_deflated_bytes_is_the_member_made_afresh(
    tmp_path, monkeypatch
):
    entries = [("a.html", b"<p>page</p>\n" * 500), ("b.txt", bytes(range(256)) * 40)]
    write_zip(tmp_path / "plain.zip", entries)
    (tmp_path / "store").mkdir()
    monkeypatch.setattr(reuse, "_store", store.Store(tmp_path / "store", "code"))
    write_zip(tmp_path / "made.zip", entries)  # deflated here, and kept for the next build
    reuse._store.commit()
    monkeypatch.setattr(reuse, "_store", store.Store(tmp_path / "store", "code"))
    monkeypatch.setattr(archiving, "_deflate", lambda data: pytest.fail("deflated again"))
    write_zip(tmp_path / "kept.zip", entries)
    plain = (tmp_path / "plain.zip").read_bytes()
    assert (tmp_path / "made.zip").read_bytes() == plain == (tmp_path / "kept.zip").read_bytes()


def test_members_deflated_ahead_are_taken_as_they_are(tmp_path, monkeypatch):
    page, other = b"<p>The Iraqi Police</p>\n" * 2000, b"<p>Another page</p>\n" * 500
    write_zip(tmp_path / "plain.zip", [("a.html", page), ("b.html", other)])
    ahead = dict([archiving.deflate_ahead(page)])  # as another process would have
    deflated, deflate = [], archiving._deflate
    monkeypatch.setattr(archiving, "_deflate", lambda data: deflated.append(data) or deflate(data))
    write_zip(tmp_path / "ahead.zip", [("a.html", page), ("b.html", other)], ahead)
    assert deflated == [other]  # a.html's bytes were given
    assert (tmp_path / "ahead.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()
