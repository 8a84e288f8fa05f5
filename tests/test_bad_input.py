"""Bad input through the real command line: one line on stderr with a code, exit status 2, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Reply

FIXTURES = Path(__file__).parent / "fixtures"
FRENCH = (FIXTURES / "lang" / "fr.txt").read_text(encoding="utf-8")
LATIN1 = (
    "The café on the corner of the rue Saint-Honoré reopened on Monday, and its owner said the façade "
    "would be finished before the summer, which regulars say is the best time of the year to visit.\n"
).encode("latin-1")


HTTP_ROUTES = {
    "/report.pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    "/photo.jpg": Reply(200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0\x00\x10JFIF"),
}


def analyze(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spinscope", "analyze", *args, "--format", "json"],
        input=stdin.decode("latin-1"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_error_line(result: subprocess.CompletedProcess[str], code: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"spinscope: error {code}"), lines[0]
    assert result.returncode == 2
    assert result.stdout == ""


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "E001"),
        ("blank.txt", b"  \n\t\r\n  \n", "E001"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "E002"),
        ("nul.txt", b"text with a \x00 NUL byte", "E002"),
        ("article-fr.txt", FRENCH.encode(), "E007"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    assert_one_error_line(analyze(write(tmp_path, name, data)), code)


@pytest.mark.parametrize(("name", "code"), [("broken.html", "E006"), ("script_only.html", "E006")])
def test_bad_html(name: str, code: str) -> None:
    assert_one_error_line(analyze(str(FIXTURES / "html" / name)), code)


def test_directory(tmp_path: Path) -> None:
    assert_one_error_line(analyze(str(tmp_path)), "E005")


def test_an_empty_path_is_refused_not_read_as_the_current_folder() -> None:
    # Path("") is "."; `spinscope analyze "$FILE"` with FILE unset used to analyse the whole folder.
    assert_one_error_line(analyze(""), "E040")
    assert_one_error_line(analyze("examples/op-ed.txt", " "), "E040")


def test_missing_file(tmp_path: Path) -> None:
    assert_one_error_line(analyze(str(tmp_path / "nope.txt")), "E005")


def test_larger_than_5_mb(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)
    assert_one_error_line(analyze(str(path)), "E003")


def test_empty_stdin() -> None:
    assert_one_error_line(analyze("-", stdin=b""), "E001")


def test_non_utf8_text_is_decoded_not_refused(tmp_path: Path) -> None:
    # Latin-1 is read; whatever happens after ingest, it must not be an encoding or binary error.
    result = analyze(write(tmp_path, "latin1.txt", LATIN1))
    assert "Traceback" not in result.stderr, result.stderr
    assert "E004" not in result.stderr and "E002" not in result.stderr


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/article.txt"])
def test_refused_schemes(url: str) -> None:
    assert_one_error_line(analyze(url), "E010")


def test_loopback_url_needs_allow_private(http_server: str) -> None:
    assert_one_error_line(analyze(http_server + "/report.pdf"), "E010")


def test_unreachable_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert_one_error_line(analyze(f"http://127.0.0.1:{port}/", "--allow-private"), "E011")


def test_http_404(http_server: str) -> None:
    assert_one_error_line(analyze(http_server + "/gone", "--allow-private"), "E011")


@pytest.mark.parametrize(
    ("path", "media_type"), [("/report.pdf", "application/pdf"), ("/photo.jpg", "image/jpeg")]
)
def test_pdf_and_image_urls(http_server: str, path: str, media_type: str) -> None:
    result = analyze(http_server + path, "--allow-private")
    assert_one_error_line(result, "E012")
    assert media_type in result.stderr


def train_cli(tmp_path: Path, task: str, *options: str) -> subprocess.CompletedProcess[str]:
    """``spinscope train TASK`` on an empty data folder, writing to tmp_path/out."""
    return subprocess.run(
        [sys.executable, "-m", "spinscope", "train", task, "--data", str(tmp_path), "--out", str(tmp_path / "out"), *options],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(("task", "encoder"), [("genre", "encoder-multitask"), ("portrayal", "nope")])
def test_train_with_an_encoder_it_cannot_use(tmp_path: Path, task: str, encoder: str) -> None:
    result = train_cli(tmp_path, task, "--encoder", encoder)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "encoder" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("task", "layers"), [("frames", "3"), ("multitask", "0"), ("multitask", "7")])
def test_train_with_layers_it_cannot_use(tmp_path: Path, task: str, layers: str) -> None:
    result = train_cli(tmp_path, task, "--layers", layers)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "E040" in result.stderr and "--layers" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("task", "options"),
    [("frames", ["--export-layers", "5"]), ("multitask", ["--export-layers", "0"]), ("multitask", ["--export-layers", "6"]),
     ("multitask", ["--trunk", "2", "--export-layers", "2"]), ("multitask", ["--layers", "4", "--export-layers", "5"])],
)
def test_train_exporting_layers_it_cannot(tmp_path: Path, task: str, options: list[str]) -> None:
    result = train_cli(tmp_path, task, *options)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "--export-layers" in result.stderr
    assert not (tmp_path / "out").exists()


def test_train_multitask_gets_the_teacher_folder_and_the_layers_to_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI once passed --distil on as True instead of the folder, so the documented command failed.
    import spinscope.train as T

    calls = []
    fake = type("Trainer", (), {"train": staticmethod(lambda data, out, **kw: calls.append(kw) or out)})
    monkeypatch.setattr(T.importlib, "import_module", lambda name, package=None: fake)
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    (teacher / "model.int8.onnx").write_bytes(b"")
    (teacher / "config.json").write_text("{}")
    T.run("multitask", tmp_path, tmp_path / "out", trunk=2, distil=teacher, export_layers=5)
    assert calls == [{"seed": 0, "layers": None, "trunk": 2, "distil": teacher, "export_layers": 5, "checkworthy_teacher": None}]
    # A shallower top over the trunk: layers 2-3 only; and a check-worthiness teacher's file passed on as a path.
    scores = tmp_path / "teacher.jsonl"
    scores.write_text("")
    T.run("multitask", tmp_path, tmp_path / "out", layers=4, trunk=2, distil=teacher, checkworthy_teacher=scores)
    assert calls[-1] == {"seed": 0, "layers": 4, "trunk": 2, "distil": teacher, "export_layers": None, "checkworthy_teacher": scores}


@pytest.mark.parametrize(("task", "exists"), [("multitask", False), ("frames", True)])
def test_train_with_a_checkworthy_teacher_it_cannot_use(tmp_path: Path, task: str, exists: bool) -> None:
    # A file that is not there, or a task that reads no teacher: one line, before any training.
    scores = tmp_path / "teacher.jsonl"
    if exists:
        scores.write_text("")
    result = train_cli(tmp_path, task, "--checkworthy-teacher", str(scores))
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "--checkworthy-teacher" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("task", "run"), [("checkworthy", False), ("frames", True)])
def test_train_from_a_run_it_cannot_use(tmp_path: Path, task: str, run: bool) -> None:
    # No multitask run in the folder, or a task with no head of its run to take: one line, before any work.
    folder = tmp_path / "run"
    folder.mkdir()
    if run:
        (folder / "stage1.pt").write_bytes(b"")
    result = train_cli(tmp_path, task, "--from-run", str(folder))
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "--from-run" in result.stderr
    assert not (tmp_path / "out").exists()


def test_train_from_a_run_whose_encoder_is_not_bundled(tmp_path: Path) -> None:
    # The run's head only fits its own export: another encoder in models/ is refused before any scoring.
    pytest.importorskip("torch")
    from spinscope.errors import UsageError
    from spinscope.train import run

    folder = tmp_path / "run"
    (folder / "encoder").mkdir(parents=True)
    (folder / "stage1.pt").write_bytes(b"")
    (folder / "encoder" / "model.int8.onnx").write_bytes(b"not the bundled model")
    with pytest.raises(UsageError, match="is not models/encoder-multitask"):
        run("checkworthy", tmp_path, tmp_path / "out", encoder="encoder-multitask", from_run=folder)


@pytest.mark.parametrize("options", [["--trunk", "4", "--layers", "4"], ["--trunk", "0"], ["--trunk", "6"]])
def test_train_with_a_trunk_it_cannot_have(tmp_path: Path, options: list[str]) -> None:
    result = train_cli(tmp_path, "multitask", *options)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "--trunk" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("teacher", ["missing", "trunk"])
def test_train_distilling_from_no_whole_encoder(tmp_path: Path, teacher: str) -> None:
    folder = tmp_path / "teacher"
    if teacher == "trunk":  # an export that is only the layers above another encoder's trunk
        folder.mkdir()
        (folder / "model.int8.onnx").write_bytes(b"")
        (folder / "config.json").write_text('{"trunk": {"encoder": "encoder", "layers": 2}}')
    result = train_cli(tmp_path, "multitask", "--trunk", "2", "--distil", str(folder))
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "--distil" in result.stderr
    assert not (tmp_path / "out").exists()


def test_train_resuming_checkpoints_of_another_depth(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    checkpoints = tmp_path / "out" / "checkpoints"
    checkpoints.mkdir(parents=True)
    layers = {f"bert.encoder.layer.{i}.output.dense.weight": torch.zeros(1) for i in range(3)}
    torch.save({"model": layers}, checkpoints / "epoch1.pt")
    result = train_cli(tmp_path, "multitask", "--layers", "4")
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "E040" in result.stderr and "--layers 3" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["analyze"], "Missing argument"),
        (["analyze", "--bogus", "x.txt"], "No such option: --bogus"),
        (["eval"], "Missing argument"),
        (["train", "roles"], "Missing option '--out'"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], says: str) -> None:
    # Typer versions that carry their own copy of click raise exceptions click.ClickException misses.
    result = subprocess.run([sys.executable, "-m", "spinscope", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("spinscope: error E040") and len(result.stderr.splitlines()) == 1, result.stderr
    assert says in result.stderr and "--help" in result.stderr, result.stderr
