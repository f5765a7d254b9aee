#!/usr/bin/env python3
"""Seeded random mutations of model files for the robustness suite.

  mutate.py SEED COUNT OUT_DIR SOURCE...

SOURCE is a native JSON model or an n2p2 directory. Writes COUNT mutated copies of each into
OUT_DIR (n2p2 copies symlink the files they do not change) and prints one "model PATH" line per
copy for robust_driver. Each copy gets 1-3 mutations: numbers replaced by extreme values, keys or
list entries deleted or duplicated, strings swapped, bytes flipped, files truncated."""
import json, os, random, sys

EXTREME = [0, -0.0, 1, -1, 2, 0.5, 1e308, -1e308, 5e-324, -5e-324, 1e20, -1e20, 1e-20, 1e4, 1e9,
           2**31 - 1, 2**31, 2**62, 2**63 - 1, -2**63, 1.7976931348623157e308, 1e-300]
TOKENS = ["nan", "inf", "-inf", "1e999", "-1e999", "NaN", "0", "-1", "1e308", "5e-324", "999999999999999999999",
          "9223372036854775807", "-9223372036854775808", "2147483648", "x", "", "1.0d308", "1e-320", "100000"]
STRINGS = ["t", "l", "s", "p", "r", "g", "c", "S", "e", "h", "x", "", "G1", "G2", "G3", "G4", "G5", "G9", "H", "O",
           "Xx", "tanhu", "cos", "hard", "poly4", "bogus", "scalesigma", "none", "scale", "bohr", "angstrom"]


def numeric(rng, v):
    r = rng.random()
    if r < 0.6:
        return rng.choice(EXTREME)
    if r < 0.8 and isinstance(v, (int, float)) and not isinstance(v, bool):
        return v * 10.0 ** rng.randint(-320, 308)
    return rng.gauss(0, 10.0 ** rng.randint(0, 30))


def leaves(node, path=()):
    """Every (container, key) pair of the JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield node, k
            yield from leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield node, i
            yield from leaves(v, path + (i,))


def mutate_json_tree(rng, doc):
    slots = list(leaves(doc))
    if not slots:
        return
    container, key = rng.choice(slots)
    v = container[key]
    r = rng.random()
    if isinstance(v, bool) or r < 0.05:
        container[key] = not v if isinstance(v, bool) else None
    elif isinstance(v, (int, float)):
        container[key] = numeric(rng, v)
    elif isinstance(v, str):
        container[key] = rng.choice(STRINGS)
    elif isinstance(v, list) and v and r < 0.5:
        i = rng.randrange(len(v))
        if rng.random() < 0.5:
            del v[i]
        else:
            v.insert(i, v[i])
    elif isinstance(v, list) and v:
        # Scale every number in a list (weights, statistics): models with finite but extreme parameters.
        factor = 10.0 ** rng.randint(-320, 308)
        container[key] = [x * factor if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in v]
    elif isinstance(container, dict) and r < 0.5:
        del container[key]
    else:
        container[key] = numeric(rng, 1.0)


def mutate_text(rng, text):
    r = rng.random()
    if not text:
        return text
    if r < 0.3:
        return text[: rng.randrange(len(text))]
    if r < 0.6:
        i = rng.randrange(len(text))
        return text[:i] + chr(rng.randrange(32, 127)) + text[i + 1:]
    # Replace one whitespace-separated token.
    tokens = text.split(" ")
    i = rng.randrange(len(tokens))
    tokens[i] = rng.choice(TOKENS)
    return " ".join(tokens)


def mutate_json(rng, src, dst):
    with open(src) as f:
        text = f.read()
    doc = json.loads(text)
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.85:
            mutate_json_tree(rng, doc)
    out = json.dumps(doc, separators=(",", ":"), allow_nan=True)
    if rng.random() < 0.1:
        out = mutate_text(rng, out)
    with open(dst, "w") as f:
        f.write(out)


def mutate_lines(rng, text):
    lines = text.split("\n")
    candidates = [i for i, l in enumerate(lines) if l.strip() and not l.lstrip().startswith("#")] or [0]
    i = rng.choice(candidates)
    r = rng.random()
    if r < 0.6:
        fields = lines[i].split()
        if fields:
            j = rng.randrange(len(fields))
            fields[j] = rng.choice(TOKENS) if rng.random() < 0.7 else repr(numeric(rng, 1.0))
        lines[i] = " ".join(fields)
    elif r < 0.75:
        del lines[i]
    elif r < 0.85:
        lines.insert(i, lines[i])
    elif r < 0.95:
        lines = lines[: rng.randrange(len(lines) + 1)]
    else:
        lines[i] = lines[i] * rng.randint(2, 50)
    return "\n".join(lines)


def mutate_n2p2(rng, src, dst):
    os.makedirs(dst)
    files = sorted(f for f in os.listdir(src) if f == "input.nn" or f == "scaling.data" or f.startswith("weights."))
    changed = {}
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(files + ["input.nn"])  # input.nn twice as likely
        if name not in changed:
            with open(os.path.join(src, name)) as f:
                changed[name] = f.read()
        changed[name] = mutate_lines(rng, changed[name])
    for name in files:
        target = os.path.join(dst, name)
        if name in changed:
            with open(target, "w") as f:
                f.write(changed[name])
        else:
            os.symlink(os.path.abspath(os.path.join(src, name)), target)


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for s, src in enumerate(sys.argv[4:]):
        rng = random.Random(seed * 1000 + s)
        for k in range(count):
            if os.path.isdir(src):
                dst = os.path.join(out, f"s{s}-{k}")
                mutate_n2p2(rng, src, dst)
            else:
                dst = os.path.join(out, f"s{s}-{k}.json")
                mutate_json(rng, src, dst)
            print(f"model {dst}")


if __name__ == "__main__":
    main()
