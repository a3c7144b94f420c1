#!/usr/bin/env bash
# The runs behind docs/results.md "Personalization": each personal-model method against local-only training,
# FedAvg and FedAvg + fine-tuning, every model scored on each client's own test split, 3 seeds. Parts (PARTS):
#   main    MNIST (DATASETS="mnist fashion-mnist" adds Fashion-MNIST; PARTITIONS and METHODS pick fewer): the 2NN on CLIENTS (10) clients, all in
#           every round, Dirichlet(0.1) label skew and 2 label-sorted shards a client; ROUNDS (20) rounds of
#           STEPS (10) local steps, B = 20, lr 0.05; each method at its documented defaults (no tuning). MODEL (mlp)
#           picks another zoo model: MODEL=cnn-bn METHODS="local fedavg fedbn" compares FedBN on the CNN with batch norm.
#   pfedme  pFedMe's MNIST setting (Dinh et al. 2020, CharlieDinh/pFedMe): 20 clients of 2 labels, 5 a round,
#           multinomial logistic regression, B = 20, R = 20 local steps, K = 5, PFEDME_ROUNDS (800) rounds,
#           the reference's fine-tuned rates: FedAvg η 0.02; Per-FedAvg α 0.03, β 0.003; pFedMe η 0.01,
#           η_p 0.1, λ 15 and server β 1 (the paper's β = 2 is outside algorithm.beta's [0, 1]); the personal
#           model's accuracy (PM) and the global model's (GM).
#   ditto   Ditto's robustness claim (Li et al. 2021): the main part's MNIST Dirichlet(0.1) federation with 20 % of
#           the clients flipping their labels; the honest clients' accuracy of the model each uses (FedAvg: the
#           global model, run as APFL with α fixed at 0, FedAvg bit for bit; Ditto: its personal model) from
#           honest_personal_accuracy_*.
# Each part's table (mean ± sample sd over the seeds, in %) is printed and written to OUT/<part>.md; the run
# folders are OUT/<part>/<data set>-<partition>/<method>/seed=N (cohort sweep), so any other metric can be read back.
# Usage: scripts/personalization-grid.sh [OUT (default runs/personalization)] [DATA ROOT (default ../shared/data)]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/personalization}"
data="${2:-$root/../shared/data}"
cohort="${COHORT:-$root/cohort}"
seeds="${SEEDS:-3}"
rounds="${ROUNDS:-20}"
mkdir -p "$out/.experiments"

# One federation, every method's own keys on top (--set): METHOD_SETTINGS[name].
base="$out/.experiments/base.yaml"
cat > "$base" <<EOF
dataset:
  name: mnist
model: ${MODEL:-mlp}
partition:
  clients: ${CLIENTS:-10}
clients_per_round: ${CLIENTS:-10}
rounds: $rounds
client:
  steps: ${STEPS:-10}
  batch_size: 20
  lr: 0.05
eval:
  every: $rounds
  clients: true
diagnostics:
  enabled: false
seed: 0
EOF
declare -A settings=(
  [local]="mode=local"
  [fedavg]="algorithm.name=fedavg"
  [finetune]="algorithm.name=finetune algorithm.steps=50"
  [fedper]="algorithm.name=fedper algorithm.personal=@head"
  [fedrep]="algorithm.name=fedrep algorithm.head_epochs=1"
  [fedbn]="algorithm.name=fedbn"
  [lgfedavg]="algorithm.name=lgfedavg"
  [ditto]="algorithm.name=ditto algorithm.lambda=0.1"
  [apfl]="algorithm.name=apfl algorithm.alpha=0.5"
  [pfedme]="algorithm.name=pfedme"
  [perfedavg]="algorithm.name=perfedavg algorithm.alpha=0.03"
  [ifca]="algorithm.name=ifca algorithm.clusters=2"
  [l2gd]="algorithm.name=l2gd algorithm.p=0.2 algorithm.lambda=0.1"
)
declare -A partitions=(
  [dirichlet]="partition.kind=dirichlet partition.alpha=0.1"
  [shards]="partition.kind=shards partition.shards_per_client=2"
)

# sweep FOLDER FILE SETTINGS...: the seeds of one configuration, --set for each setting.
sweep() {
  local folder="$1" file="$2"
  shift 2
  local sets=()
  for s in "$@"; do sets+=(--set "$s"); done
  "$cohort" sweep "$file" --seeds "$seeds" "${sets[@]}" --out "$folder" > /dev/null || echo "failed runs in $folder" >&2
}

# table TITLE ROW...: a markdown table of the last evaluated round, ROW = label|folder|personal prefix|global prefix
# (a prefix of the metrics' names, e.g. personal_accuracy; '-' for none).
table() {
  python3 - "$@" <<'EOF'
import csv, glob, math, os, sys
title, rows = sys.argv[1], sys.argv[2:]
def stats(xs):
    xs = [x for x in xs if x is not None and math.isfinite(x)]
    if not xs:
        return "—"
    m = sum(xs) / len(xs)
    if len(xs) == 1:
        return f"{100 * m:.2f}"
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    return f"{100 * m:.2f} ± {100 * sd:.2f}"
def last(folder):
    runs = []
    for path in sorted(glob.glob(os.path.join(folder, "seed=*", "metrics.csv"))):
        with open(path, newline="") as f:
            rs = list(csv.DictReader(f))
        if rs and os.path.exists(os.path.join(os.path.dirname(path), "summary.json")):
            runs.append(rs)
    return runs
def value(row, name):
    v = row.get(name, "")
    return float(v) if v not in ("", None) else None
print(f"{title}\n")
print("| method | seeds | personal mean | personal p10 | personal worst | personal best round (mean) | global mean | global p10 | global worst |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for spec in rows:
    label, folder, personal, glob_ = spec.split("|")
    runs = last(folder)
    cells = [label, str(len(runs))]
    for prefix, stat in [(personal, "mean"), (personal, "p10"), (personal, "worst")]:
        cells.append(stats([value(r[-1], f"{prefix}_{stat}") for r in runs]))
    cells.append(stats([max((value(x, f"{personal}_mean") or float("nan")) for x in r) for r in runs]))
    for stat in ["mean", "p10", "worst"]:
        cells.append("—" if glob_ == "-" else stats([value(r[-1], f"{glob_}_{stat}") for r in runs]))
    print("| " + " | ".join(cells) + " |")
print()
EOF
}

# The metric prefixes each method's personal and global models report under.
personal_of() { case "$1" in local|fedavg) echo client_accuracy ;; *) echo personal_accuracy ;; esac; }
global_of() { case "$1" in local) echo - ;; fedavg) echo client_accuracy ;; *) echo global_accuracy ;; esac; }

for part in ${PARTS:-main pfedme ditto}; do
  case "$part" in
  main)
    methods="${METHODS:-local fedavg finetune fedper lgfedavg ditto apfl pfedme perfedavg ifca l2gd fedrep}"
    for dataset in ${DATASETS:-mnist}; do
      for partition in ${PARTITIONS:-dirichlet shards}; do
        rows=()
        for method in $methods; do
          folder="$out/main/$dataset-$partition${MODEL:+-$MODEL}/$method"
          # shellcheck disable=SC2086 # the settings are words
          sweep "$folder" "$base" dataset.name="$dataset" dataset.root="$data/$dataset" ${partitions[$partition]} ${settings[$method]}
          rows+=("$method|$folder|$(personal_of "$method")|$(global_of "$method")")
        done
        table "$dataset, $partition${MODEL:+, $MODEL} ($rounds rounds)" "${rows[@]}"
      done
    done > "$out/main.md"
    cat "$out/main.md"
    ;;
  pfedme)
    file="$out/.experiments/pfedme.yaml"
    t="${PFEDME_ROUNDS:-800}"
    cat > "$file" <<EOF
dataset:
  name: mnist
  root: $data/mnist
model: logreg
partition:
  kind: label-shards
  clients: 20
  shards_per_client: 2
clients_per_round: 5
rounds: $t
client:
  steps: 20
  batch_size: 20
eval:
  every: ${PFEDME_EVAL_EVERY:-20}
  clients: true
diagnostics:
  enabled: false
seed: 0
EOF
    sweep "$out/pfedme/fedavg" "$file" algorithm.name=fedavg client.lr=0.02
    sweep "$out/pfedme/perfedavg" "$file" algorithm.name=perfedavg algorithm.alpha=0.03 client.lr=0.003
    sweep "$out/pfedme/pfedme" "$file" algorithm.name=pfedme client.lr=0.01 algorithm.personal_lr=0.1 algorithm.lambda=15 \
      algorithm.inner_steps=5 algorithm.beta=1
    table "pFedMe's MNIST setting ($t rounds)" "FedAvg|$out/pfedme/fedavg|client_accuracy|client_accuracy" \
      "Per-FedAvg|$out/pfedme/perfedavg|personal_accuracy|global_accuracy" "pFedMe|$out/pfedme/pfedme|personal_accuracy|global_accuracy" \
      > "$out/pfedme.md"
    cat "$out/pfedme.md"
    ;;
  ditto)
    rows=()
    for method in fedavg ditto; do
      folder="$out/ditto/$method"
      # FedAvg as APFL with α fixed at 0: FedAvg's models, the global one scored as the personal one.
      m="${settings[$method]}"
      [ "$method" = fedavg ] && m="algorithm.name=apfl algorithm.alpha=0 algorithm.alpha_lr=0"
      # shellcheck disable=SC2086
      sweep "$folder" "$base" dataset.root="$data/mnist" ${partitions[dirichlet]} $m attack.name=label-flip attack.byzantine=0.2
      rows+=("$method|$folder|honest_personal_accuracy|honest_global_accuracy")
    done
    table "MNIST, dirichlet, 20 % label flippers ($rounds rounds; honest clients only)" "${rows[@]}" > "$out/ditto.md"
    cat "$out/ditto.md"
    ;;
  *) echo "unknown part '$part' (main, pfedme, ditto)" >&2; exit 2 ;;
  esac
done
