"""Shared text primitives every stage may use: the edit log and its replay, the character model, the
GBK codec, the Simplified script, the publisher lexicon, and the one lexicon loader with its trie→regex
compiler. Nothing here knows of a stage."""
