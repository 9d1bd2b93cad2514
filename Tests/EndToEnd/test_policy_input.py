"""Where a policy comes from: a regular file, an empty one, a named pipe written slowly in pieces,
/dev/stdin through a pipe, a directory, a file nobody may read, one past the size limit. Each gives
the exit code and message it should, for check and for apply, and a failed apply changes nothing in
the kernel."""
import os
import shutil
import tempfile
import threading
import time

from conftest import nft, run, ztpol, ztpol_path

# A zone statement larger than the incremental loader's 512-byte threshold, so that apply reads it with
# its fast paths; and one flow, so that the table has a set of it.
# Every other /24, so that nft lists each as written: 10.0.0.0/24 ... 10.2.198.0/24.
BIG = ", ".join(f"10.{i // 100}.{i % 100 * 2}.0/24" for i in range(300))
POLICY = f"zone host 192.0.2.1\nzone big {BIG}\nbig -> host tcp/22\n"
BAD = POLICY + "zone worse 10.0.0.1/24\n"


def listing(namespace):
    return nft(namespace, "list", "ruleset").stdout


def write_slowly(path, text, pieces=5, pause=0.15):
    """Writes `text` into the named pipe `path` in pieces cut mid-word, pausing between them."""
    def writer():
        with open(path, "w") as pipe:
            step = len(text) // pieces + 1
            for start in range(0, len(text), step):
                pipe.write(text[start:start + step])
                pipe.flush()
                time.sleep(pause)
    thread = threading.Thread(target=writer)
    thread.start()
    return thread


def test_a_regular_file_and_an_empty_one(tmp_path):
    policy = tmp_path / "p.zt"
    policy.write_text(POLICY)
    result = ztpol("check", policy)
    assert result.returncode == 0 and "ok: 2 zones" in result.stdout, result.stderr
    empty = tmp_path / "empty.zt"
    empty.write_text("")
    result = ztpol("check", empty)
    assert result.returncode == 0 and "ok: 0 zones" in result.stdout, result.stderr


def test_a_named_pipe_written_in_pieces_is_read_whole(tmp_path):
    reference = tmp_path / "p.zt"
    reference.write_text(POLICY)
    expected = ztpol("compile", reference, "--zone", "host", check=True).stdout
    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    writer = write_slowly(fifo, POLICY)
    result = ztpol("compile", fifo, "--zone", "host", timeout=30)
    writer.join()
    assert result.returncode == 0, result.stderr
    # The rules' comments name the file they came from.
    assert result.stdout == expected.replace(f"{reference.name}:", f"{fifo.name}:")

    # An error in a piece that came late: found at its line and column, as in the file.
    writer = write_slowly(fifo, BAD)
    result = ztpol("check", fifo, timeout=30)
    writer.join()
    assert result.returncode == 1
    assert f"{fifo}:4:12: error: host bits set in '10.0.0.1/24'" in result.stderr, result.stderr


def test_standard_input_through_a_pipe(tmp_path):
    result = ztpol("check", "/dev/stdin", input=POLICY)
    assert result.returncode == 0 and "ok: 2 zones" in result.stdout, result.stderr
    result = ztpol("check", "/dev/stdin", input=BAD)
    assert result.returncode == 1
    assert "/dev/stdin:4:12: error: host bits set" in result.stderr, result.stderr


def unreadable_inputs(tmp_path):
    """Paths that are no policy to read, with what check must say of each."""
    # pytest's folders are root's alone: the locked file lies where nobody may look, but not read.
    folder = tempfile.mkdtemp(prefix="zbrk-")
    os.chmod(folder, 0o755)
    locked = os.path.join(folder, "locked.zt")
    with open(locked, "w") as out:
        out.write(POLICY)
    os.chmod(locked, 0)
    too_large = tmp_path / "large.zt"
    with open(too_large, "w") as out:
        out.write("# a comment as long as the file\n")
    os.truncate(too_large, 256 * 1024 * 1024 + 1)
    return [
        (str(tmp_path), "it is a directory"),
        (str(tmp_path / "missing.zt"), "no such file or directory"),
        (str(locked), "permission denied"),
        (str(too_large), "it is larger than 256 MiB"),
        ("/dev/zero", "it is larger than 256 MiB"),
    ]


def as_nobody(*args):
    """ztpol run as user nobody, to whom file permissions apply (root reads every file)."""
    return run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ztpol_path(), *args])


def test_what_cannot_be_read_is_reported_and_applies_nothing(tmp_path, scratch_namespace):
    namespace = scratch_namespace
    policy = tmp_path / "p.zt"
    policy.write_text(POLICY)
    ztpol("apply", policy, "--zone", "host", "--netns", namespace, check=True)
    before = listing(namespace)
    assert "10.1.86.0/24" in before
    inputs = unreadable_inputs(tmp_path)
    for path, reason in inputs:
        runner = as_nobody if "locked" in path else ztpol
        for command in (["check", path], ["apply", path, "--zone", "host", "--netns", namespace]):
            if runner is as_nobody and command[0] == "apply":
                continue  # nobody may not enter the namespace either; the message is check's
            result = runner(*command)
            assert result.returncode == 1, (command, result.stdout, result.stderr)
            assert f"{path}:1:1: error: cannot read policy file '{path}': {reason}" in result.stderr, result.stderr
            assert f"ztpol: {path}: 1 error; nothing was changed" in result.stderr, result.stderr
            assert result.stdout == ""
        assert listing(namespace) == before
    shutil.rmtree(os.path.dirname(inputs[2][0]))


def test_a_bad_policy_from_a_pipe_applies_nothing(tmp_path, scratch_namespace):
    namespace = scratch_namespace
    policy = tmp_path / "p.zt"
    policy.write_text(POLICY)
    ztpol("apply", policy, "--zone", "host", "--netns", namespace, check=True)
    before = listing(namespace)
    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    writer = write_slowly(fifo, BAD.replace("10.1.86.0/24", "10.1.86.128/25"))
    result = ztpol("apply", fifo, "--zone", "host", "--netns", namespace, timeout=30)
    writer.join()
    assert result.returncode == 1
    assert f"{fifo}:4:12: error: host bits set" in result.stderr, result.stderr
    assert listing(namespace) == before

    # The same policy without the error, slowly through the pipe: applied, the edited prefix with it.
    writer = write_slowly(fifo, POLICY.replace("10.1.86.0/24", "10.1.86.128/25"))
    result = ztpol("apply", fifo, "--zone", "host", "--netns", namespace, timeout=30)
    writer.join()
    assert result.returncode == 0, result.stderr
    after = listing(namespace)
    assert "10.1.86.128/25" in after and "10.1.86.0/24" not in after
