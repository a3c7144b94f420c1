#!/usr/bin/env bash
# The Python client (clients/python): its unit tests, then a served run over loopback TLS with two `cohort join`
# clients and one Python client (the zoo's 2NN in PyTorch, fp16 updates) that must finish with the Python client's
# updates counted, and whose final model the Python side must score as the server did; then a run with a topk uplink,
# which the Python client must refuse naming the setting. Needs the built solution
# (test.sh builds it first); reads MNIST from ../shared/data, else from the `cohort data fetch` cache.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
python="$(scripts/python-client-deps.sh)"
cohort="$root/src/Cohort.Cli/bin/Release/net10.0/cohort"
if [ ! -x "$cohort" ]; then
  dotnet build src/Cohort.Cli/Cohort.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly
fi
export PYTHONPATH="$root/clients/python${PYTHONPATH:+:$PYTHONPATH}"

echo "test-python-client: unit tests" >&2
(cd clients/python && "$python" -m unittest discover -s tests -t .)

if [ "${COHORT_IGNORE_SHARED_DATA:-}" != 1 ] && [ -d ../shared/data/mnist ]; then
  mnist="$(cd ../shared/data/mnist && pwd)"
else
  mnist="${COHORT_DATA:-$HOME/.cache/cohort/data}/mnist"
  [ -d "$mnist" ] || "$cohort" data fetch mnist
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  # SIGINT: what stops `cohort serve` and `cohort join` as Ctrl-C does (timeout passes it on).
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "test-python-client: FAILED: $1" >&2
  for log in "$work"/*.log; do echo "--- $(basename "$log")" >&2; tail -n 20 "$log" >&2; done
  exit 1
}

cat > "$work/exp.yaml" <<YAML
dataset:
  name: mnist
  root: $mnist
model: mlp
partition:
  clients: 3
clients_per_round: 3
rounds: 3
client:
  steps: 20
  batch_size: 20
compression:
  uplink:
    name: fp16
YAML
"$cohort" cert dev --out "$work/certs" >/dev/null
for k in 0 1 2; do "$cohort" token add "$k" --tokens "$work/tokens.txt" --out "$work/client-$k.token" >/dev/null; done
"$cohort" partition export "$work/exp.yaml" --out "$work/parts" >/dev/null
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="https://127.0.0.1:$port"

echo "test-python-client: serving $url to two cohort clients and one Python client" >&2
timeout -k 5 300 "$cohort" serve "$work/exp.yaml" --listen "$url" --cert "$work/certs/server.pfx" --tokens "$work/tokens.txt" \
  --state "$work/state" >"$work/serve.log" 2>&1 &
serve=$!; pids+=("$serve")
for k in 0 1; do
  timeout -k 5 300 "$cohort" join "$url" --data "$work/parts/client-$k" --token-file "$work/client-$k.token" --ca "$work/certs/ca.pem" \
    --state "$work/state-$k" >"$work/join-$k.log" 2>&1 &
  pids+=($!)
done
timeout -k 5 300 "$python" -m cohort_client join "$url" --token-file "$work/client-2.token" --ca "$work/certs/ca.pem" \
  --data "$work/parts/client-2" >"$work/python.log" 2>&1 &
python_client=$!; pids+=("$python_client")

wait "$serve" || fail "cohort serve exited with $?"
wait "$python_client" || fail "the Python client exited with $?"
for pid in "${pids[@]:1:2}"; do wait "$pid" || fail "cohort join exited with $?"; done

grep -q "client 2: run finished; 3 updates accepted" "$work/python.log" || fail "the Python client did not report 3 accepted updates"
grep -q "served: 9 updates accepted, 0 rejected" "$work/serve.log" || fail "the server did not count 9 updates (3 rounds of 3 clients)"
# Every round took three updates, each an fp16 frame of the 2NN's 199,210 values: 1 + 3 + 3 header bytes and 2 a value.
"$python" - "$work/state/metrics.jsonl" <<'PY' || fail "metrics.jsonl does not count the Python client's updates"
import json, sys
rounds = [json.loads(line) for line in open(sys.argv[1])]
assert [r["round"] for r in rounds] == [1, 2, 3], rounds
for r in rounds:
    assert r["clients"] == 3, r
    assert r["bytes_up"] == 3 * (7 + 2 * 199_210), r
# The last round measures the gradient diagnostics: every sampled client, the Python one included, sent its gradient.
assert "zeta2" in rounds[-1] and "sigma2" in rounds[-1] and rounds[-1]["zeta2"] > 0, rounds[-1]
PY
# The server's final model, read by name into the PyTorch 2NN, scores on MNIST's test set as the server scored it.
"$python" - "$work/state/model.safetensors" "$work/state/metrics.jsonl" "$mnist" <<'PY' || fail "the Python 2NN does not score the server's model as the server did"
import json, sys
from cohort_client import idx, load_model_file, training
from cohort_client.zoo import Mlp
model = Mlp()
load_model_file(model, sys.argv[1])
last = [json.loads(line) for line in open(sys.argv[2])][-1]
correct, count, loss_sum = training.score(model, *idx.load_split(sys.argv[3], idx.TEST_FILES))
print(f"test-python-client: the server's model scores {correct / count:.4f} (server: {last['test_accuracy']:.4f}), loss {loss_sum / count:.5f} (server: {last['test_loss']:.5f})", file=sys.stderr)
assert abs(correct / count - last["test_accuracy"]) <= 1e-3 and abs(loss_sum / count - last["test_loss"]) <= 1e-4 * max(1.0, last["test_loss"])
PY

# A run the Python client cannot honour (a topk uplink): it stops at its first task with the setting's name.
echo "test-python-client: a run with a topk uplink, which the Python client refuses" >&2
timeout -k 5 60 "$cohort" serve "$work/exp.yaml" --set compression.uplink.name=topk --listen "$url" --cert "$work/certs/server.pfx" \
  --tokens "$work/tokens.txt" --state "$work/state-topk" >"$work/serve-topk.log" 2>&1 &
pids+=($!)
for k in 0 1; do
  timeout -k 5 60 "$cohort" join "$url" --data "$work/parts/client-$k" --token-file "$work/client-$k.token" --ca "$work/certs/ca.pem" \
    --state "$work/state-topk-$k" >"$work/join-topk-$k.log" 2>&1 &
  pids+=($!)
done
if timeout -k 5 60 "$python" -m cohort_client join "$url" --token-file "$work/client-2.token" --ca "$work/certs/ca.pem" \
  --data "$work/parts/client-2" >"$work/python-topk.log" 2>&1; then
  fail "the Python client took part in a run with a topk uplink"
fi
grep -q "cohort_client: compression.uplink.name topk: this client sends its update dense or as fp16" "$work/python-topk.log" \
  || fail "the Python client did not refuse the topk task with its reason"
echo "test-python-client: passed" >&2
