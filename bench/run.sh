#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: installs the peers (PyPI into bench/.venv,
# ripgrep from Debian), builds citelint in release mode, runs every workload
# and writes BENCHMARKS.md and bench/growth.svg.
#
#   bench/run.sh                      # everything (the 1 GB corpus takes ~1 GB of disk under target/)
#   bench/run.sh --only news,startup  # some workloads
#   bench/run.sh --sizes 10,100       # smaller growth corpora
#
# Needs ../shared/corpora (BBC and PDNC) beside the project for workloads 1 to 3.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install --quiet --disable-pip-version-check \
    fuzzysearch==0.8.1 edlib==1.3.9.post1 rapidfuzz==3.14.6 quotecheck==0.1.0

# ripgrep is a peer; GNU time reads citelint's peak memory.
for need in rg:ripgrep /usr/bin/time:time; do
    if ! command -v "${need%%:*}" >/dev/null; then
        if [ "$(id -u)" = 0 ]; then apt-get install -y -q "${need##*:}" >/dev/null; else sudo apt-get install -y -q "${need##*:}" >/dev/null; fi
    fi
done

cargo build --release --quiet
cargo bench --quiet --bench peers -- \
    --citelint target/release/citelint \
    --python bench/.venv/bin/python \
    --out BENCHMARKS.md \
    "$@"

# Starts a section of BENCHMARKS.md: its title, what it measures, and the
# fence that the output of its commands goes in.
section() {
    printf '\n## %s\n\n%s\n\n```\n' "$1" "$2"
}

# The source readers: HTML and PDF throughput on the shared web and PDF
# corpora, and how the PDF reader was chosen.
{
    section "5. Source readers" "One core, release build, \`cargo bench --bench readers\` (best of 5 rounds; each file read end to end as a check reads it: decoding, extraction, normalisation, the map back to the file). Targets: HTML 200 MB/s, PDF 200 pages/s."
    cargo bench --quiet --bench readers
    echo '```'
    echo
    cat bench/pdf-readers.md
} >> BENCHMARKS.md

# Issue 18's two workloads run on scale corpora of 100 MB and 1 GB (the
# 1 GB one takes about 1 GB of disk under target/).
# A scale corpus of N sources of 100 KB and Q quotes in DIR, made once.
scale_corpus() {
    if [ ! -f "$1/citelint.toml" ]; then
        cargo bench --quiet --bench scale -- --sources "$2" --size 100000 --quotes "$3" --altered 0.1 --keep "$1" >/dev/null
        printf 'claims = ["claims"]\nsources = "sources"\n' > "$1/citelint.toml"
    fi
}
editor=target/bench-work/editor-100mb
scale_corpus "$editor" 1000 10000
hook1g=target/bench-work/hook-1gb
scale_corpus "$hook1g" 10000 100000

# The editor: change-to-publish in `citelint lsp` for a 1,000-claim file.
# Target: median 30 ms, p99 100 ms.
{
    section "6. Editor" "\`citelint lsp\` with a 1,000-claim file of the scale corpus open; each one-character edit of a quote timed from \`didChange\` to the diagnostics published for that version (\`cargo bench --bench editor\`). Target: median 30 ms, p99 100 ms, at 100 MB and at 1 GB."
    cargo bench --quiet --bench editor -- --citelint target/release/citelint --project "$editor" --file claims/c000.yaml --edits 100
    cargo bench --quiet --bench editor -- --citelint target/release/citelint --project "$hook1g" --file claims/c000.yaml --edits 60
    echo '```'
} >> BENCHMARKS.md

# The hook: `citelint check FILE` after one claim of FILE changed, the
# previous run cached. Target: under 200 ms at 1 GB.
{
    section "7. Hook" "\`citelint check FILE\` as a pre-commit hook runs it, after one quote of FILE (1,000 claims) changed and with the previous run cached; each run's JSON compared with a \`--no-cache\` run's (\`cargo bench --bench hook\`). Target: under 200 ms at 1 GB."
    cargo bench --quiet --bench hook -- --citelint target/release/citelint --project "$editor" --file claims/c005.yaml --edits 10
    cargo bench --quiet --bench hook -- --citelint target/release/citelint --project "$hook1g" --file claims/c050.yaml --edits 5
    echo '```'
} >> BENCHMARKS.md
