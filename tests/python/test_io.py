"""summarize_file and open_reader over plain and compressed files."""

import bz2
import gzip
import hashlib
import io
import lzma

import pytest

import cogniforge
from cogniforge import raw

TEXT = b"age,workclass\n39,State-gov\n\n  \n50,Self-emp\nlast line without newline"


@pytest.fixture
def plain(tmp_path):
    p = tmp_path / "data.csv"
    p.write_bytes(TEXT)
    return p


def test_summarize_plain(plain):
    s = cogniforge.summarize_file(plain)
    assert isinstance(s, cogniforge.FileSummary)
    assert s.path == str(plain)
    assert s.bytes == len(TEXT)
    assert s.lines == 6 and s.blank_lines == 2
    assert s.compression == "none"
    assert s.sha256 == hashlib.sha256(TEXT).hexdigest()
    assert s.digest == hashlib.sha256(TEXT).digest()


@pytest.mark.parametrize("name, compress", [("gzip", gzip.compress), ("bzip2", bz2.compress),
                                            ("xz", lzma.compress)])
def test_summarize_compressed(tmp_path, name, compress):
    p = tmp_path / "data.bin"  # detected from the content, not the name
    p.write_bytes(compress(TEXT))
    s = cogniforge.summarize_file(str(p))
    assert s.compression == name
    assert (s.bytes, s.lines, s.blank_lines) == (len(TEXT), 6, 2)
    assert s.sha256 == hashlib.sha256(TEXT).hexdigest()


def test_summarize_accepts_bytes_paths(plain):
    assert cogniforge.summarize_file(bytes(plain)).bytes == len(TEXT)


def test_summarize_empty(tmp_path):
    p = tmp_path / "empty"
    p.write_bytes(b"")
    s = cogniforge.summarize_file(p)
    assert (s.bytes, s.lines, s.sha256) == (0, 0, hashlib.sha256(b"").hexdigest())


@pytest.mark.parametrize("payload", [
    b"\x1f\x8b\x08\x00" + b"\xff" * 100,   # a gzip header, then garbage
    gzip.compress(TEXT * 50)[:-30],          # truncated
], ids=["corrupt", "truncated"])
def test_corrupt_gzip_is_a_format_error(tmp_path, payload):
    p = tmp_path / "bad.gz"
    p.write_bytes(payload)
    with pytest.raises(cogniforge.FormatError) as info:
        cogniforge.summarize_file(p)
    assert info.value.code == raw.CF_EFORMAT
    assert str(p) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_directory_is_an_io_error(tmp_path):
    with pytest.raises(cogniforge.InputOutputError) as info:
        cogniforge.summarize_file(tmp_path)
    assert info.value.code == raw.CF_EIO and isinstance(info.value, OSError)


def test_path_with_nul_is_rejected():
    with pytest.raises(ValueError):
        cogniforge.summarize_file("a\0b")


def test_reader_reads_decompressed(tmp_path):
    p = tmp_path / "data.gz"
    p.write_bytes(gzip.compress(TEXT))
    with cogniforge.open_reader(p) as r:
        assert r.readable() and not r.writable() and not r.seekable()
        assert r.compression == "gzip"
        assert r.read(3) == TEXT[:3]
        buf = bytearray(5)
        assert r.readinto(buf) == 5 and buf == TEXT[3:8]
        assert r.read() == TEXT[8:]
        assert r.read(10) == b""
    assert r.closed


def test_reader_readinto_writes_in_place(plain):
    backing = bytearray(len(TEXT) + 8)
    with cogniforge.open_reader(plain) as r:
        n = r.readinto(memoryview(backing)[4:])
    assert backing[4:4 + n] == TEXT[:n] and backing[:4] == bytes(4)


def test_reader_buffered_lines(plain):
    with io.BufferedReader(cogniforge.open_reader(plain)) as f:
        assert list(f) == TEXT.splitlines(keepends=True)


def test_reader_close_is_idempotent(plain):
    r = cogniforge.open_reader(plain)
    r.close()
    r.close()
    with pytest.raises(ValueError):
        r.read(1)
    with pytest.raises(ValueError):
        r.compression


def test_reader_missing_file(tmp_path):
    with pytest.raises(cogniforge.NotFoundError, match="nope"):
        cogniforge.open_reader(tmp_path / "nope")


def test_reader_rejects_read_only_buffer(plain):
    with cogniforge.open_reader(plain) as r:
        with pytest.raises(TypeError, match="writable"):
            r.readinto(bytes(4))
