#!/usr/bin/env bash
# GaN end to end: examples/sic/workflow.sh (the binary zincblende workflow) with this folder's
# system.json (Debian's GaN.sw, Stillinger-Weber) and training settings; the same options and
# environment variables (see examples/sic/workflow.sh --help). Work folder build/gan or
# build/gan-quick, report WORK/report.md.
#
#   examples/gan/workflow.sh            # full: training-full.json
#   examples/gan/workflow.sh --quick    # training-quick.json (a few minutes on 2 quiet cores)
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../sic/workflow.sh" --system "$here/system.json" "$@"
