"""ONNX Runtime path for the packaged sentence model: exported once from the checked weights, cached, re-checked.

Export (first use; needs torch and onnx, both installed with Plenary): the model's transformer goes through
`torch.onnx.export` (opset 17), ONNX Runtime's BERT fusions (attention, layer norm, GELU), and, for
`onnx-int8`, dynamic int8 quantisation of the weights (per channel; the first layer's feed-forward output
projection stays fp32, `INT8_RECIPE`). The files live in
`<cache>/onnx/<model>-<weights sha[:12]>/` beside `manifest.json`, which holds the SHA-256 of the source
weights and of every exported file; each load re-checks the file it uses, and a mismatch stops the run.

Encoding matches sentence-transformers' `Transformer -> Pooling(mean) -> Normalize`: the package's fast
tokenizer with truncation at the model's max_seq_length, mean of the token vectors over the attention mask,
then L2 normalisation. fp32 gives the torch vectors to about 1e-6 (cosine 1.0000 on 5,000 NHS comments).

Dynamic int8 quantises activations with one scale per input tensor, so a statement's vector would depend on
the other statements in its batch (cosine down to 0.94 measured). `onnx-int8` therefore runs one statement
per call (no padding either, so it is as fast as batching) and parallelises across calls: a statement's
vector is the same whatever else is embedded with it, on any engine.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import InputError
from ..parallel import cores

OPSET = 17
# How the int8 graph is made; part of the manifest and of the embedding cache key, so a changed recipe exports
# again and never mixes vectors. Keeping the first layer's feed-forward output in fp32 (`kept_in_fp32`) costs
# no measurable speed and lifts the worst cosine to torch from 0.947 to 0.968 (benchmarks/embedding_paths.py).
INT8_RECIPE = "int8-dynamic-per-channel-fp32-ffn0"
FILES = {"onnx": "model.onnx", "onnx-int8": "model-int8.onnx"}
MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder_for(cache_dir: Path, name: str, weights_sha256: str) -> Path:
    """Where the exported graphs of one model (by its weights' hash) are kept."""
    return Path(cache_dir) / "onnx" / f"{name}-{weights_sha256[:12]}"


def _check_pooling(source: Path) -> int:
    """The model's max_seq_length; InputError unless it is mean pooling + Normalize, which this path implements."""
    modules = json.loads((source / "modules.json").read_text()) if (source / "modules.json").exists() else []
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    pooling = source / "1_Pooling" / "config.json"
    mean = pooling.exists() and json.loads(pooling.read_text()).get("pooling_mode_mean_tokens") is True
    if kinds != ["Transformer", "Pooling", "Normalize"] or not mean:
        raise InputError(source, "the ONNX path needs a Transformer -> mean Pooling -> Normalize model; "
                                 "use --embedding torch for this one")
    config = source / "sentence_bert_config.json"
    return int(json.loads(config.read_text()).get("max_seq_length", 256)) if config.exists() else 256


def kept_in_fp32(graph) -> list[str]:
    """The MatMul nodes left unquantised (INT8_RECIPE): the first layer's feed-forward output projection, whose
    input (the GELU of the first layer) has the widest range; [] when the graph names no such node."""
    down = [n.name for n in graph.graph.node if n.op_type == "MatMul" and "/output/dense" in n.name
            and "attention" not in n.name]
    return down[:1]


def quantise(fp32: Path, out: Path, exclude: Sequence[str] = ()) -> None:
    """Dynamic int8 quantisation of the weights of `fp32` (per channel), except the nodes named in `exclude`."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # the fused attention ops come from ONNX Runtime's own domain, which shape inference cannot type
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     nodes_to_exclude=list(exclude), extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def export(source: Path, folder: Path, weights_sha256: str) -> None:
    """Export fp32 (fused) and int8 graphs of the model in `source` into `folder`, all at once or not at all."""
    import onnx
    import onnxruntime
    import torch
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

        class Encoder(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        ids = torch.ones((2, 8), dtype=torch.int64)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notes are not for users
            torch.onnx.export(Encoder(model), (ids, ids, torch.zeros_like(ids)), str(tmp / "raw.onnx"),
                              input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names + ["last_hidden_state"]},
                              opset_version=OPSET, dynamo=False)
        fused = optimize_model(str(tmp / "raw.onnx"), model_type="bert", num_heads=model.config.num_attention_heads,
                               hidden_size=model.config.hidden_size, opt_level=1)
        fused.save_model_to_file(str(tmp / FILES["onnx"]))
        (tmp / "raw.onnx").unlink()
        quantise(tmp / FILES["onnx"], tmp / FILES["onnx-int8"], kept_in_fp32(onnx.load(str(tmp / FILES["onnx"]))))
        manifest = {"weights_sha256": weights_sha256, "opset": OPSET, "recipe": INT8_RECIPE,
                    "onnxruntime": onnxruntime.__version__,
                    "files": {f: _sha256(tmp / f) for f in FILES.values()}}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
        if folder.exists():  # another process finished first, or a stale export: replace it whole
            shutil.rmtree(folder, ignore_errors=True)
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the cache may be shared by a team
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def checked_graph(source: Path, folder: Path, weights_sha256: str, backend: str) -> Path:
    """The exported graph for `backend` (onnx | onnx-int8), exported first if missing or made by another
    ONNX Runtime version; InputError if a file does not match its recorded SHA-256."""
    import onnxruntime

    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if (manifest.get("weights_sha256") != weights_sha256 or manifest.get("onnxruntime") != onnxruntime.__version__
            or manifest.get("recipe") != INT8_RECIPE):
        export(source, folder, weights_sha256)
        manifest = json.loads(manifest_path.read_text())
    path = folder / FILES[backend]
    if not path.exists() or _sha256(path) != manifest["files"][FILES[backend]]:
        raise InputError(path, f"exported model fails its checksum; delete {folder} to export it again")
    return path


class OnnxEncoder:
    """Texts -> unit vectors with one ONNX Runtime session. `threads`: cores to use (fp32: intra-op threads
    of batched calls; int8: that many one-statement calls at once)."""

    def __init__(self, graph: Path, source: Path, max_seq_length: int, per_statement: bool,
                 threads: int | None = None, batch_size: int = 32):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.threads = max(1, threads or cores())
        self.per_statement = per_statement
        self.batch_size = 1 if per_statement else batch_size
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1 if per_statement else self.threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads must not burn a shared core
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_seq_length)
        self.tokenizer.no_padding()
        self.dimensions = int(self.session.get_outputs()[0].shape[-1])

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, :len(enc.ids)] = enc.ids
            mask[row, :len(enc.ids)] = 1
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dimensions) float32 unit rows, in the order given."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not len(texts):
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # short with short: little padding
        encodings = self.tokenizer.encode_batch([texts[i] for i in order])
        batches = [range(s, min(s + self.batch_size, len(order))) for s in range(0, len(order), self.batch_size)]

        def work(part):
            for batch in part:
                out[[order[j] for j in batch]] = self._run([encodings[j] for j in batch])

        if self.per_statement and self.threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.threads) as pool:  # the session runs outside the GIL
                list(pool.map(work, [batches[k::self.threads] for k in range(self.threads)]))
        else:
            work(batches)
        return out


def load(source: Path, cache_dir: Path, name: str, weights_sha256: str, backend: str,
         threads: int | None = None) -> OnnxEncoder:
    """An encoder for `backend` (onnx | onnx-int8) of the checked model in `source`."""
    started = time.perf_counter()
    max_len = _check_pooling(source)
    graph = checked_graph(source, folder_for(cache_dir, name, weights_sha256), weights_sha256, backend)
    encoder = OnnxEncoder(graph, source, max_len, per_statement=backend == "onnx-int8", threads=threads)
    encoder.load_seconds = round(time.perf_counter() - started, 4)
    return encoder
