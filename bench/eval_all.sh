#!/bin/sh
# Every `spinscope eval` command of the README's results table, one line each:
# task, split, metric, value, its 95 % bootstrap interval and the numeric extras.
#   sh bench/eval_all.sh [DATA]   (about 4 minutes on 2 cores once the feature caches are warm)
data=${1:-../shared/data}
status=0
for args in "genre --split dev" "frames --split dev" "persuasion --split dev" "persuasion-spans --split dev" \
  "checkworthy --split test" "checkworthy --split dev-test" "causal --split dev" "portrayal --split test-rw" \
  "portrayal --split test-mt" "roles --split dev" "cast --split dev" "narratives --split dev" \
  "narrative-explanations --split dev" "repair --split webis" "repair --split heldout"; do
  spinscope eval $args --data "$data" --format json | python -c "
import json, sys
d = json.load(sys.stdin)
extra = {k: round(v, 4) for k, v in (d.get('extra') or {}).items() if isinstance(v, (int, float))}
ci = d.get('interval')
print(d['task'], d['split'], d['metric'], round(d['value'], 4), f\"[{ci['low']:.3f}, {ci['high']:.3f}]\" if ci else '', json.dumps(extra))" || status=1
done
exit $status
