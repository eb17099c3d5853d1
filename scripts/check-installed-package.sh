#!/usr/bin/env bash
# The package as a new user gets it: `npm pack`, the tarball installed into an empty folder, then
# `cascade --help`, a chart drawn as a PNG, and one `cascade run` against `cascade dev` started from the
# installed package (a Temporal dev server, the local model server and a worker, on free ports).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
dev_pid=""
cleanup() {
  if [ -n "$dev_pid" ]; then
    # cascade dev stops its dev server and worker on SIGINT; give it 30 s, then end it.
    kill -INT "$dev_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$dev_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

(cd "$root" && npm pack --silent --pack-destination "$work" > /dev/null)
cd "$work"
npm init -y > /dev/null
npm install --no-audit --no-fund --silent ./temporal-cascade-*.tgz
echo "installed: $(ls node_modules/temporal-cascade/dist/cli/main.js)"
cascade="$work/node_modules/.bin/cascade"
"$cascade" --help

# A chart from the installed package: Vega loaded by import(), resvg's native binding and the shipped font.
node -e '
const [root, path] = process.argv.slice(1);
const { writeChartFile } = require(`${root}/dist/evaluation/analysis/chart-file.js`);
const { costAccuracyChartSpec } = require(`${root}/dist/evaluation/analysis/cost-accuracy-chart.js`);
const spec = costAccuracyChartSpec({
  title: "installed",
  series: [{ label: "cascade", points: [{ costPer1kUsd: 0.1, accuracy: 0.7 }, { costPer1kUsd: 0.3, accuracy: 0.8 }] }],
  markers: [{ label: "cheap-only", costPer1kUsd: 0.1, accuracy: 0.7 }],
});
writeChartFile({ path, spec }).then(() => {
  const png = require("node:fs").readFileSync(path);
  if (png.subarray(1, 4).toString() !== "PNG") throw new Error("not a PNG");
  console.log(`chart from the installed package: a ${png.readUInt32BE(16)} by ${png.readUInt32BE(20)} PNG`);
});' "$work/node_modules/temporal-cascade" "$work/chart.png"

port="$(free_port)"; ui_port="$(free_port)"; model_port="$(free_port)"
# The installed command itself, not through npx, so the signal below reaches it.
"$cascade" dev --port "$port" --ui-port "$ui_port" --model-server-port "$model_port" > dev.log 2>&1 &
dev_pid=$!
for _ in $(seq 1 180); do
  grep -q 'Press Ctrl-C to stop' dev.log && break
  kill -0 "$dev_pid" 2>/dev/null || { echo 'cascade dev exited:'; cat dev.log; exit 1; }
  sleep 1
done
grep -q 'Press Ctrl-C to stop' dev.log || { echo 'cascade dev did not become ready in 180 s:'; tail -20 dev.log; exit 1; }
"$cascade" run --address "127.0.0.1:$port" --route support-ticket --message 'I was charged twice this month.' --json > run.json
node -e 'const r = require(process.argv[1]); if (!["accepted", "escalated"].includes(r.outcome)) { console.error(r); process.exit(1); } console.log(`cascade run from the installed package: ${r.outcome}, ${r.answer.model}, $${r.cost.totalUsd.toFixed(4)}`)' "$work/run.json"
