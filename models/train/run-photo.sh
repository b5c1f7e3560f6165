#!/bin/sh
# Background training of the photo models (issue #20), one process per model, each one
# thread at nice 10; resumes wherever each left off (train.py).  From the repository root:
#     mkdir -p models/train/runs
#     setsid nohup models/train/run-photo.sh > models/train/runs/run-photo.log 2>&1 &
#     tail -f models/train/runs/imdn-photo-x4.log          # per model
#     grep VAL models/train/runs/imdn-photo-*.log          # the curves (Set5 clean and jpeg75)
# Stop (each process validates, checkpoints and exports to runs/<id>.srm first):
#     kill -TERM -- -$(cat models/train/runs/run-photo.pid)
# Give model ids as arguments to train only those.  See README.md ("Photo models").
cd "$(dirname "$0")/../.." || exit 1
RUNS=models/train/runs
mkdir -p "$RUNS"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONUNBUFFERED=1
echo $$ > "$RUNS/run-photo.pid"
ids=${*:-imdn-photo-x4 imdn-photo-x2}
for id in $ids; do
  nice -n 10 /usr/bin/python3 models/train/train.py --id "$id" >> "$RUNS/$id.stdout" 2>&1 &
done
wait
echo "$(date '+%F %T') run-photo.sh: all done"
