#!/usr/bin/env bash
# The end-to-end figures of bench/README.md, measured the same way each time: the CLI over a
# generated corpus, `-j 1` and `-j 2` runs alternated (a neighbour's load or a drift of the
# machine then hits both alike), best of N, and the 20,000-actor pack against the default one.
#
#   bench/measure.sh [BUILD_DIR] [RUNS]      (defaults: build, 5)
#
# Needs python3-yaml for the generator. Corpus and pack are made once under $STANCE_BENCH_DIR
# (default /tmp/stance-bench) and reused; STANCE_BENCH_1G=1 also measures peak RSS over 1 GB.
set -euo pipefail

build=${1:-build}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) stance="$build/stance" ;; *) stance="$here/$build/stance" ;; esac
work=${STANCE_BENCH_DIR:-/tmp/stance-bench}
mkdir -p "$work"

[ -x "$stance" ] || { echo "no $stance: build first (tools/setup.sh)" >&2; exit 2; }
[ -s "$work/corpus.jsonl" ] || python3 "$here/bench/gen_corpus.py" corpus --size 100M --names 20000 > "$work/corpus.jsonl"
[ -d "$work/pack-20k" ] || python3 "$here/bench/gen_corpus.py" pack --names 20000 --out "$work/pack-20k"
echo '{"id": "one", "text": "Nothing happened."}' > "$work/one.jsonl"  # loading the pack, nearly nothing else

text_mb=$(python3 -c "
import json, sys
total = sum(len(json.loads(line)['text'].encode()) for line in open(sys.argv[1], encoding='utf-8'))
print(f'{total / 1e6:.1f}')" "$work/corpus.jsonl")

# One timed run: prints "user wall max_rss_kb".
timed() {
  /usr/bin/time -f '%U %e %M' -o "$work/time.txt" "$@" > /dev/null 2>&1
  cat "$work/time.txt"
}

# The rule cache (docs/cli.md) in a folder of this run's own: the first 20k-pack run below is cold
# (parses actors.yaml and writes its entry), the later ones are warm, as every run after a pack's
# first is.
export STANCE_CACHE_DIR="$work/rule-cache"
rm -rf "$STANCE_CACHE_DIR"
read -r cold_user cold_wall _ <<< "$(timed "$stance" run --rules "$work/pack-20k" -j 1 --format jsonl "$work/corpus.jsonl")"

declare -A best_user best_wall
keep_best() {  # name "user wall rss"
  local name=$1 user wall
  read -r user wall _ <<< "$2"
  if [ -z "${best_wall[$name]:-}" ] || awk -v a="$wall" -v b="${best_wall[$name]}" 'BEGIN{exit !(a < b)}'; then
    best_wall[$name]=$wall
    best_user[$name]=$user
  fi
}

for _ in $(seq "$runs"); do
  keep_best j1 "$(timed "$stance" run -j 1 --format jsonl "$work/corpus.jsonl")"
  keep_best j2 "$(timed "$stance" run -j 2 --format jsonl "$work/corpus.jsonl")"
  keep_best pack20k "$(timed "$stance" run --rules "$work/pack-20k" -j 1 --format jsonl "$work/corpus.jsonl")"
  keep_best load20k "$(timed "$stance" run --rules "$work/pack-20k" -j 1 --format jsonl "$work/one.jsonl")"
done

rate() { awk -v mb="$text_mb" -v s="$1" 'BEGIN{printf "%.1f", mb / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }

echo "corpus: $text_mb MB of article text; best of $runs, runs alternated"
printf '%-34s %8s %8s %10s\n' "stance run --format jsonl" "user s" "wall s" "MB/s wall"
printf '%-34s %8s %8s %10s\n' "-j 1" "${best_user[j1]}" "${best_wall[j1]}" "$(rate "${best_wall[j1]}")"
printf '%-34s %8s %8s %10s\n' "-j 2" "${best_user[j2]}" "${best_wall[j2]}" "$(rate "${best_wall[j2]}")"
printf '%-34s %8s %8s %10s\n' "--rules pack-20k -j 1" "${best_user[pack20k]}" "${best_wall[pack20k]}" "$(rate "${best_wall[pack20k]}")"
printf '%-34s %8s %8s %10s\n' "  the same, rule cache cold" "$cold_user" "$cold_wall" "$(rate "$cold_wall")"
printf '%-34s %8s %8s\n' "pack-20k loading alone" "${best_user[load20k]}" "${best_wall[load20k]}"
echo "-j 2 speed-up over -j 1: $(ratio "${best_wall[j1]}" "${best_wall[j2]}")x"
echo "20k pack over the default pack: $(ratio "${best_wall[pack20k]}" "${best_wall[j1]}")x ($(ratio "$cold_wall" "${best_wall[j1]}")x with the rule cache cold)"

if [ "${STANCE_BENCH_1G:-0}" = 1 ]; then
  [ -s "$work/corpus-1g.jsonl" ] || python3 "$here/bench/gen_corpus.py" corpus --size 1G --names 20000 > "$work/corpus-1g.jsonl"
  for format in jsonl table; do
    read -r user wall rss <<< "$(timed "$stance" run -j 2 --format "$format" "$work/corpus-1g.jsonl")"
    echo "1 GB, -j 2 --format $format: ${wall} s wall, peak RSS $((rss / 1024)) MB"
  done
fi
