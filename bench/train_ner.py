"""Train the character tagger of `transforms.ner` and write transforms/resources/ner_model.npz.

    python -m bench.build_clusters    # once: the word clusters, build/ner_clusters.tsv
    python -m bench.train_ner [--epochs 6] [--hash-bits 19] [--l2 0.001] [--runs 8] [--out PATH]

Training data (../shared/eval/ner): CLUENER train minus the dev carve (`bench.eval_ner.in_dev_carve`),
Resume train, People's Daily dev and People's Daily 1998 train. People's Daily test, People's Daily
1998 dev, Resume dev and the CLUENER dev carve are never trained on. Tokens come from the pipeline's
own tokenizer, so the part-of-speech features match what the tagger sees at run time (retrain when
resources/userdict.txt changes much). The word clusters (`bench.build_clusters`, learnt from the
unlabelled corpora) are stored in the model.

The sets annotate different things: `bench.ner_sources` says which tags each character may take, and
the model (a linear-chain CRF: emission weights plus tag-pair transitions) is trained to put its
probability on the sequences that keep to those sets (loss log Z − log Z(allowed), both by
forward-backward). Transitions keep the shape `transforms.ner_decode.best_tags` decodes fast:
free → opening scores are a leaving score plus an entering score, and each label has its own
B→I, I→I, B→E and I→E scores.
Optimiser: AdaGrad on mini-batches of sentences, L2; the shipped model is the mean of 8 such runs with
batch orders 0 … 7 (`averaged`: the same data gives the same file).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections import Counter
from pathlib import Path

import numpy as np

from bench.build_clusters import OUT as CLUSTERS
from bench.eval_ner import REPO
from bench.ner_sources import BREAKS, Source, allowed_tags, sources
from transforms.entities import ner, ner_decode
from transforms.segment import tokens

OUT = REPO / "transforms" / "resources" / "ner_model.npz"


# (from, to) tag pairs inside a span: per label, its own transition score
CONTINUATIONS = tuple(
    tuple(
        (ner_decode.TAGS.index(f"{a}-{label}"), ner_decode.TAGS.index(f"{b}-{label}"))
        for label in ner_decode.LABELS
    )
    for a, b in (("B", "I"), ("I", "I"), ("B", "E"), ("I", "E"))
)


def char_table(texts: list[str], min_count: int = 2) -> tuple[np.ndarray, int]:
    """Id of every code point: its folded form's rank if seen `min_count` times, else its class."""
    counts = Counter(ner.fold_char(char) for text in texts for char in text)
    ids = {char: 4 + rank for rank, (char, n) in enumerate(counts.most_common()) if n >= min_count}
    table = np.empty(ner.CODE_POINTS, dtype=np.int32)
    for code in range(ner.CODE_POINTS):
        char = chr(code)
        table[code] = ids.get(ner.fold_char(char)) or ner.char_class(char)
    return table, 4 + len(ids)


def tokenized(text: str) -> tuple[list[int], list[int], list[str]]:
    """The pipeline's words of one sentence: starts, ends, POS tags."""
    columns = tokens.tokenize(text, [(0, 0, len(text))]).data
    return columns["start"], columns["end"], columns["pos"]


def read_clusters(path: Path, char_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The word clusters of `bench/build_clusters.py` as the model stores them: sorted word keys
    (`ner.word_key`) and the cluster of each; a key two words share keeps the first word's cluster."""
    clusters: dict[int, int] = {}
    for line in path.read_text("utf-8").splitlines():
        word, cluster = line.split("\t")
        clusters.setdefault(ner.word_key(char_ids, word), int(cluster))
    keys = np.array(sorted(clusters), dtype=np.int64)
    return keys, np.array([clusters[key] for key in keys.tolist()], dtype=np.int64)


def build(
    all_sources: list[Source], hash_bits: int, clusters: Path | None = None
) -> tuple[ner.Model, np.ndarray, np.ndarray, np.ndarray]:
    """An untrained model, and the feature rows, allowed tags and sentence lengths of the training set."""
    texts = [text for source in all_sources for text, _ in source.sentences]
    words = [tokenized(text) for text in texts]
    char_ids, chars = char_table(texts)
    pos_counts = Counter(tag for _, _, tags in words for tag in tags)
    pos_ids = {tag: number for number, (tag, _) in enumerate(pos_counts.most_common(), start=1)}
    layout = ner.Layout(chars, len(pos_ids) + 1, hash_bits)
    weights = np.zeros((layout.rows, len(ner_decode.TAGS)), dtype=np.float32)
    keys, numbers = read_clusters(clusters, char_ids) if clusters else (np.zeros(0, np.int64),) * 2
    untrained = ner.Model(
        char_ids, pos_ids, layout, weights, ner_decode.allowed_moves(), BREAKS, keys, numbers
    )
    laid = ner.stream(texts, [ner.tokens_of(*columns, pos_ids) for columns in words])
    rows = ner.stream_rows(untrained, laid)[:, ~laid.blank]
    allowed = [
        allowed_tags(text, spans, source) for source in all_sources for text, spans in source.sentences
    ]
    lengths = np.array([len(text) for text in texts])
    return untrained, rows, np.concatenate(allowed), lengths


class Transitions:
    """Transition parameters in the shape `ner.best_tags` needs: a leaving score per free tag, an
    entering score per opening tag, and per label its B→I, I→I, B→E, I→E scores."""

    def __init__(self) -> None:
        free, opening = ner_decode.FREE, ner_decode.OPENING
        self.parameters = np.zeros(
            (free.stop - free.start)
            + (opening.stop - opening.start)
            + len(CONTINUATIONS) * len(ner_decode.LABELS)
        )

    def _parts(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        free = ner_decode.FREE.stop - ner_decode.FREE.start
        opening = ner_decode.OPENING.stop - ner_decode.OPENING.start
        leave, enter = values[:free], values[free : free + opening]
        return leave, enter, values[free + opening :].reshape(len(CONTINUATIONS), len(ner_decode.LABELS))

    def matrix(self) -> np.ndarray:
        """The (tags, tags) transition scores, FORBIDDEN where a chain breaks."""
        moves = ner_decode.allowed_moves().astype(np.float64)
        leave, enter, inside = self._parts(self.parameters)
        moves[ner_decode.FREE, ner_decode.OPENING] = leave[:, None] + enter
        for pairs, scores in zip(CONTINUATIONS, inside, strict=True):
            moves[tuple(zip(*pairs, strict=True))] = scores
        return moves

    def gradient(self, pair_counts: np.ndarray) -> np.ndarray:
        """Gradient of the parameters from the gradient of every transition score."""
        grad = np.zeros_like(self.parameters)
        leave, enter, inside = self._parts(grad)
        block = pair_counts[ner_decode.FREE, ner_decode.OPENING]
        leave += block.sum(axis=1)
        enter += block.sum(axis=0)
        for k, pairs in enumerate(CONTINUATIONS):
            inside[k] = pair_counts[tuple(zip(*pairs, strict=True))]
        return grad


def expectations(psi: np.ndarray, moves: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward-backward over sentences padded with O (`psi`: (sentences, length, tags) potentials,
    `moves`: exp of the transition scores), each from and to an O: tag marginals, summed tag-pair
    marginals and log Z per sentence (up to the potentials' scale)."""
    count, length, tags = psi.shape
    alpha, beta = np.empty_like(psi), np.empty_like(psi)
    scale = np.empty((count, length))
    forward = moves[ner_decode.OUTSIDE] * psi[:, 0]
    for t in range(length):
        if t:
            forward = (alpha[:, t - 1] @ moves) * psi[:, t]
        scale[:, t] = forward.sum(axis=1)
        alpha[:, t] = forward / scale[:, t, None]
    end = alpha[:, -1] @ moves[:, ner_decode.OUTSIDE]
    beta[:, -1] = moves[:, ner_decode.OUTSIDE] / end[:, None]
    for t in range(length - 2, -1, -1):
        beta[:, t] = ((psi[:, t + 1] * beta[:, t + 1]) @ moves.T) / scale[:, t + 1, None]
    gamma = alpha * beta
    following = (psi[:, 1:] * beta[:, 1:] / scale[:, 1:, None]).reshape(-1, tags)
    pairs = (alpha[:, :-1].reshape(-1, tags).T @ following) * moves
    pairs[ner_decode.OUTSIDE] += gamma[:, 0].sum(axis=0)
    pairs[:, ner_decode.OUTSIDE] += gamma[:, -1].sum(axis=0)
    return gamma, pairs, np.log(scale).sum(axis=1) + np.log(end)


def batches(lengths: np.ndarray, characters: int = 4096) -> list[np.ndarray]:
    """Sentence numbers in groups of similar length, about `characters` padded characters each."""
    order = np.argsort(lengths, kind="stable")
    groups, group = [], []
    for number in order.tolist():
        if group and (len(group) + 1) * lengths[number] > characters:
            groups.append(np.array(group))
            group = []
        group.append(number)
    return [*groups, np.array(group)]


def fit(
    model: ner.Model,
    rows: np.ndarray,
    allowed: np.ndarray,
    lengths: np.ndarray,
    epochs: int,
    l2: float,
    seed: int = 0,
) -> np.ndarray:
    """AdaGrad on log Z − log Z(allowed), in place on the weights; returns the transition scores."""
    rate = 0.1
    weights = model.weights
    squares = np.full(weights.shape, 1e-6, dtype=np.float32)
    transitions = Transitions()
    transition_squares = np.full_like(transitions.parameters, 1e-6)
    firsts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    groups = batches(lengths)
    order = np.random.default_rng(seed)
    for epoch in range(epochs):
        began, loss = time.perf_counter(), 0.0
        for number in order.permutation(len(groups)):
            group = groups[number]
            width = int(lengths[group].max())
            steps = np.arange(width)
            real = steps < lengths[group][:, None]
            where = (firsts[group][:, None] + steps)[real]
            block = rows[:, where]
            scores = np.zeros((len(group), width, len(ner_decode.TAGS)))
            scores[real] = ner.tag_scores(weights, block)
            scores -= scores.max(axis=2, keepdims=True)
            psi = np.exp(np.maximum(scores, -600.0))
            psi[~real] = np.eye(len(ner_decode.TAGS))[ner_decode.OUTSIDE]
            kept = psi.copy()
            kept[real] *= allowed[where]
            moves = np.exp(transitions.matrix())
            gamma, pairs, log_z = expectations(psi, moves)
            kept_gamma, kept_pairs, kept_log_z = expectations(kept, moves)
            loss += float((log_z - kept_log_z).sum())
            step = (gamma - kept_gamma)[real].astype(np.float32)
            used, inverse = np.unique(block.ravel(), return_inverse=True)
            tiled = np.tile(step, (block.shape[0], 1))
            grad = np.stack(
                [
                    np.bincount(inverse, weights=tiled[:, k], minlength=len(used))
                    for k in range(len(ner_decode.TAGS))
                ],
                axis=1,
            ).astype(np.float32)
            grad += l2 * weights[used]
            squares[used] += grad * grad
            weights[used] -= rate * grad / np.sqrt(squares[used])
            moved = transitions.gradient(pairs - kept_pairs) + l2 * transitions.parameters
            transition_squares += moved * moved
            transitions.parameters -= rate * moved / np.sqrt(transition_squares)
        print(
            f"epoch {epoch}: loss {loss / lengths.sum():.4f} per char, {time.perf_counter() - began:.1f} s",
            flush=True,
        )
    return transitions.matrix().astype(np.float32)


def averaged(
    untrained: ner.Model,
    rows: np.ndarray,
    allowed: np.ndarray,
    lengths: np.ndarray,
    epochs: int,
    l2: float,
    runs: int,
) -> ner.Model:
    """The mean of `runs` models `fit` with batch orders 0 … runs − 1 (weights and transitions).

    The scores are linear in the weights, so the mean model scores the mean of the runs' scores. One
    run's F1 moves by one to two points with the batch order alone; the mean of 8 runs is steadier and
    better than the typical run (CLUENER government .71–.74 per run, .75 for the mean).
    """
    weights = np.zeros_like(untrained.weights)
    transitions = np.zeros((len(ner_decode.TAGS), len(ner_decode.TAGS)))
    for seed in range(runs):
        run = dataclasses.replace(untrained, weights=np.zeros_like(untrained.weights))
        transitions += fit(run, rows, allowed, lengths, epochs, l2, seed)
        weights += run.weights
    return dataclasses.replace(
        untrained, weights=weights / runs, transitions=(transitions / runs).astype(np.float32)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--hash-bits", type=int, default=19)
    parser.add_argument("--l2", type=float, default=1e-3, help="L2 weight per update of a used row")
    parser.add_argument("--runs", type=int, default=8, help="models averaged, each with its own batch order")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--clusters", type=Path, default=CLUSTERS, help="word clusters (python -m bench.build_clusters)"
    )
    args = parser.parse_args(argv)
    if not args.clusters.exists():
        parser.error(f"{args.clusters} is missing: run python -m bench.build_clusters first")
    all_sources = sources()
    for source in all_sources:
        chars = sum(len(text) for text, _ in source.sentences)
        print(f"{source.name}: {len(source.sentences)} sentences, {chars} characters")
    began = time.perf_counter()
    untrained, rows, allowed, lengths = build(all_sources, args.hash_bits, args.clusters)
    print(f"{rows.shape[1]} characters, {len(ner_decode.TAGS)} tags, {untrained.layout.rows} weight rows")
    trained = averaged(untrained, rows, allowed, lengths, args.epochs, args.l2, args.runs)
    args.out.write_bytes(ner.save(trained))
    print(f"trained in {time.perf_counter() - began:.0f} s")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
