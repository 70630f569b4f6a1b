#!/usr/bin/env bash
# Exports torchvision's own ONNX graphs of the benchmarked ResNets into
# bench/.cache/torchvision-<model>.onnx, so `bench/run.ts` can compare our
# exporter against onnxruntime-node running torchvision's export.
# Weights are random (the graph, not the values, sets the speed), eval mode,
# dynamic batch, NCHW float32 input named "input", output "logits".
#
# Needs python3 with torch and torchvision (Debian: apt-get install
# python3-torch python3-torchvision). Without them it says so and exits 0:
# the benchmark then reports "not measured".
#
# Usage: bash bench/setup-reference.sh [opset=17] [models...]
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p .cache
OPSET="${1:-17}"
shift || true
MODELS=("${@:-resnet18 resnet50 resnet101}")

PY=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch, torchvision' >/dev/null 2>&1; then
    PY="$candidate"
    break
  fi
done
if [ -z "$PY" ]; then
  echo "setup-reference: no python3 with torch and torchvision; the reference column will read 'not measured'."
  exit 0
fi

"$PY" - "$OPSET" ${MODELS[@]} <<'PYEOF'
import sys, torch, torchvision
opset = int(sys.argv[1])
torch.manual_seed(0)
for name in sys.argv[2:]:
    out = f".cache/torchvision-{name}.onnx"
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.onnx.export(model, x, out, opset_version=opset, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)
    print(f"setup-reference: wrote bench/{out} (torch {torch.__version__}, torchvision {torchvision.__version__}, opset {opset})")
PYEOF
