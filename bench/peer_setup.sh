# Sourced by the comparison scripts: installs the PyTorch peer (Debian's python3-torch 1.13 with a
# single-threaded-capable OpenBLAS) when missing, pins every BLAS/OpenMP pool to one thread, and
# builds Cohort (Release) when its sources changed. Expects $root; sets $python.
python=/usr/bin/python3
if ! dpkg -s python3-torch libopenblas0-pthread >/dev/null 2>&1 || ! "$python" -c "import torch" 2>/dev/null; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y python3-torch libopenblas0-pthread
fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$root/cohort" --help >/dev/null 2>&1 || true
