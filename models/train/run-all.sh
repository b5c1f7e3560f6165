#!/bin/sh
# Background driver: keeps training the six models in time slices until every schedule is
# finished.  Start it from the repository root with
#     mkdir -p models/train/runs
#     setsid nohup models/train/run-all.sh > models/train/runs/run-all.log 2>&1 &
# Stop it with  kill -TERM -- -$(cat models/train/runs/run-all.pid)  (the training process
# saves its checkpoint and exports before exiting).  See README.md.
#
# Why time slices: a session lasts ~3 h and gives us about one CPU core, shared with builds.
# x4 is the default use, so each round gives x4 the most time, then x2, then x3; IMDN gets
# about 3/4 of the time because it is ~5x heavier per pixel than ECBSR M4C16 and further
# from its target.  Every slice ends with a Set5 validation, a checkpoint and an export, so
# whatever is killed at the end of the session loses at most a few minutes
# (train.py also checkpoints every 5 minutes).
#
# SR_TRAIN_LANES=2 runs two lanes side by side (two cores): lane A gives the x4 quality
# model (the default use) all its time until its stages are done, then the ECBSR x2/x3
# fine-tunes; lane B does the IMDN x3/x2 models, then the ECBSR stages.
# A model already being trained by the other lane is skipped (train.py exits 11), so the
# lanes share models safely.  The default is one process at a time.  Each process uses one
# thread, at nice 10.

cd "$(dirname "$0")/../.." || exit 1
RUNS=models/train/runs
mkdir -p "$RUNS"
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONUNBUFFERED=1

# Only one driver at a time: a second one exits at once (the lock is also held by a running
# train.py child, so a driver restarted while an old slice still runs waits for nothing).
exec 9>"$RUNS/run-all.lock"
if ! flock -n 9; then
    echo "run-all.sh: another driver holds $RUNS/run-all.lock; exiting"
    exit 1
fi
echo $$ > "$RUNS/run-all.pid"
trap 'echo "$(date "+%F %T") run-all.sh: stopped"; exit 0' TERM INT

# model scale minutes -- one round, in priority order
SCHEDULE_A="imdn 4 150
ecbsr 2 30
ecbsr 3 20
imdn 2 60
imdn 3 60"
SCHEDULE_B="imdn 3 60
imdn 2 60
ecbsr 4 35
ecbsr 2 30
ecbsr 3 20"
SCHEDULE_ONE_LANE="ecbsr 4 15
imdn 4 45
ecbsr 2 10
imdn 2 25
ecbsr 3 10
imdn 3 20"

# Runs the slices of a schedule round after round until none of them has work left.
lane() {
    while :; do
        worked=0
        while read -r model scale minutes; do
            [ -n "$model" ] || continue
            echo "$(date "+%F %T") run-all.sh: $model x$scale for $minutes min"
            nice -n 10 $PY models/train/train.py --model "$model" --scale "$scale" \
                --minutes "$minutes" --threads 1
            rc=$?
            case $rc in
                0) worked=1 ;;
                10) ;;                      # schedule finished
                11) ;;                      # the other lane has it
                *) echo "$(date "+%F %T") run-all.sh: $model x$scale failed (exit $rc)"
                   sleep 60 ;;              # do not spin on a persistent error
            esac
        done <<EOF
$1
EOF
        [ $worked = 1 ] || break
    done
    echo "$(date "+%F %T") run-all.sh: lane finished"
}

if [ "${SR_TRAIN_LANES:-1}" = 2 ]; then
    lane "$SCHEDULE_B" &
    lane "$SCHEDULE_A"
    wait
else
    lane "$SCHEDULE_ONE_LANE"
fi
echo "$(date "+%F %T") run-all.sh: all schedules finished"
