#!/usr/bin/env bash
# Runs every fuzz target (func Fuzz… in a _test.go) for FUZZTIME each, with two
# workers. A finding is written by Go to testdata/fuzz/<FuzzName>/ of its
# package: fix it and keep the file as a seed (`make test` replays the seeds).
#
# Go's fuzzing coordinator can fail a run that found nothing: when -fuzztime
# runs out while a worker is starved of CPU it reports a bare "context deadline
# exceeded" (golang/go#51484, golang/go#75804). Such a run wrote no input and
# printed no failure of the target, so this script tells it apart from a real
# finding: it tries the target once more, and if the second try ends the same
# way it replays the target's seeds and corpus deterministically; only a
# failing replay, or any other failure, fails the run.
set -uo pipefail
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-5s}
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# deadline_flake reports whether the run in $log ended only in the
# coordinator's deadline race: the message is there and nothing else failed.
deadline_flake() {
  grep -q 'context deadline exceeded' "$log" &&
    ! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:|fuzzing process hung|found a crash' "$log"
}

run() { # dir name
  "$GO" test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" -parallel 2 "$1" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

for file in $(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v node_modules | sort); do
  dir=./$(dirname "${file#./}")
  for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
    echo "== fuzz $dir $name ($FUZZTIME)"
    run "$dir" "$name" && continue
    if deadline_flake; then
      echo "== fuzz $dir $name: the fuzzing engine's deadline race (nothing found); once more"
      run "$dir" "$name" && continue
      if deadline_flake; then
        echo "== fuzz $dir $name: the deadline race again; replaying its seeds and corpus"
        if "$GO" test -count=1 -run "^$name\$" "$dir"; then
          echo "== fuzz $dir $name: WARNING: the fuzzing engine hit its deadline race twice; the replay passed"
          continue
        fi
      fi
    fi
    echo "== fuzz $dir $name: FAILED"
    status=1
  done
done
exit $status
