"""The zip writer: archives that zipfile and Info-ZIP read back, the same bytes every time."""

import shutil
import subprocess
import zipfile

import pytest

from coursegen import reuse
from coursegen.archive import _DEFLATED, write_zip

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


def test_reused_members_give_the_same_bytes(tmp_path, monkeypatch):
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    write_zip(first, ENTRIES)
    monkeypatch.setattr(reuse, "_enabled", True)
    monkeypatch.setattr(_DEFLATED, "items", {})
    write_zip(second, ENTRIES)  # fills the cache
    assert len(_DEFLATED.items) == len(ENTRIES)
    write_zip(second, ENTRIES)  # from the cache
    assert first.read_bytes() == second.read_bytes()


def test_an_existing_file_is_replaced_not_written_through(tmp_path):
    live, staged = tmp_path / "live.zip", tmp_path / "staged.zip"
    write_zip(live, ENTRIES)
    before = live.read_bytes()
    staged.hardlink_to(live)  # as the staging folder links the previous output
    write_zip(staged, ENTRIES[:1])
    assert live.read_bytes() == before


def test_a_file_is_streamed_in_pieces_and_reads_back_the_same(tmp_path):
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
