#!/usr/bin/env bash
# GaN reference data: examples/sic/generate_data.sh (the binary zincblende generator) with this
# folder's system.json -- zincblende GaN, Debian's GaN.sw (Stillinger-Weber). Same options and
# environment variables (see examples/sic/generate_data.sh --help); output in examples/gan/data/
# (gan.xyz, gan-heldout.xyz; --quick: gan-quick.xyz, gan-quick-heldout.xyz) unless OUT is set.
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../sic/generate_data.sh" --system "$here/system.json" "$@"
