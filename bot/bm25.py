"""BM25 over term postings, and the exact top-k that questions use (MaxScore).

BM25 here is rank_bm25's Okapi family (same k1, b and term-frequency saturation); the IDF is
Lucene's `log(1 + (N - n + 0.5) / (n + 0.5))`, which stays positive: rank_bm25's `log((N - n +
0.5) / (n + 0.5))` is zero for a term in half the paragraphs, which on one issue silences real
words. Ranking only orders paragraphs; whether the first one answers is `decide`'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .postings import Postings, Segment

K1 = 1.5
B = 0.75


def lucene_idf(n_docs: int, df: np.ndarray) -> np.ndarray:
    """IDF that never reaches zero: a word in every paragraph still counts a little."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


class BM25:
    """Okapi BM25 over term postings (term → paragraphs, with term frequencies).

    Only the postings of the query's terms are touched, vectorised: `scores` sums all of them per
    paragraph with one `np.bincount`; `best`, what questions use, finds the same best few while
    skipping most postings of the commonest words.
    """

    def __init__(
        self,
        docs: Sequence[Sequence[str]] = (),
        k1: float = K1,
        b: float = B,
        idf: Callable[[int, np.ndarray], np.ndarray] = lucene_idf,
        *,
        postings: Postings | None = None,
    ) -> None:
        """From token lists (small corpora, tests) or from ready `postings` (an index's).

        With segments, N, every term's paragraph count and the average length are the totals
        over base and segments (`doc_len` covers all paragraphs), and a term's postings are the
        base's then each segment's: the very numbers and runs of one merged index, so the
        scores, ids and order are the same to the last bit."""
        if postings is None:
            postings = Postings.from_token_lists(docs)
        self.vocab = postings.term_ids
        doc_len = np.asarray(postings.doc_len)
        # Plain views of the store's memory maps: slicing an np.memmap costs a Python-level
        # __array_finalize__ each time, and a query slices a few dozen times.
        self.ptr, self.doc_ids, self.tf = np.asarray(postings.ptr), np.asarray(postings.docs), np.asarray(postings.tf)
        self.segments = [_Plain(seg) for seg in postings.segments]
        self.base_terms = len(self.ptr) - 1
        self.n_docs = len(doc_len)
        avgdl = float(doc_len.mean()) if self.n_docs else 1.0
        self.k1 = k1
        self.norm = (k1 * (1 - b + b * doc_len / (avgdl or 1.0))).astype(np.float32)
        self.df = postings.df()
        self.idf = idf(self.n_docs, self.df.astype(np.float64)) if len(self.df) else np.zeros(0)
        self.max_idf = float(self.idf.max()) if len(self.idf) else 1.0
        self._ceiling = np.full(len(self.df), np.nan, dtype=np.float32)  # filled as terms are asked for

    def postings(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Term t's documents (rising) and term frequencies: the base's run, then each segment's."""
        if t < self.base_terms:
            lo, hi = self.ptr[t], self.ptr[t + 1]
            docs, tf = self.doc_ids[lo:hi], self.tf[lo:hi]
        else:
            docs, tf = self.doc_ids[:0], self.tf[:0]
        if not self.segments:
            return docs, tf
        parts = [(docs, tf)] if len(docs) else []
        for seg in self.segments:
            i = seg.row.get(t)
            if i is not None:
                lo, hi = seg.ptr[i], seg.ptr[i + 1]
                parts.append((seg.docs[lo:hi], seg.tf[lo:hi]))
        if len(parts) <= 1:
            return parts[0] if parts else (docs, tf)
        doc_parts, tf_parts = zip(*parts, strict=True)
        return np.concatenate(doc_parts), np.concatenate(tf_parts)

    def _terms(self, query: dict[str, float]) -> list[tuple[int, float, float]]:
        """The query's known terms as (term id, its weight × IDF × (k1 + 1), the most it adds to
        any one document), the weightiest first. Every path sums in this one order, so they agree
        to the last bit; and it is MaxScore's order (by what a term can add, not by its weight,
        which measured 30% slower at 1M), so even scoring everything needs the ceilings."""
        ids = {term: t for term in query if (t := self.vocab.get(term)) is not None and self.df[t] > 0}
        scaled = [(t, self.idf[t] * query[term] * (self.k1 + 1)) for term, t in ids.items()]
        terms = [(t, scale, scale * self.ceiling(t)) for t, scale in scaled]
        return sorted(terms, key=lambda term: (-term[2], term[0]))

    def reach(self, query: dict[str, float]) -> float:
        """The most any one paragraph could score: every known term at its largest saturation.
        A best paragraph far below it matched only the question's lesser words."""
        return float(sum(most for _, _, most in self._terms(query)))

    def ceiling(self, t: int) -> float:
        """The largest `tf / (tf + norm)` among term t's postings: how near it comes to the
        `k1 + 1` saturation allows, a far tighter bound than that. Found when first asked for
        (one pass over the postings), then kept. Threads share it (answers in the event loop,
        subscription matching in a worker): two may compute one term's at once, and both write
        the same float32, whole, so no lock is needed (tests/test_threads.py)."""
        c = self._ceiling[t]
        if np.isnan(c):
            docs, tf = self.postings(t)
            tf = tf.astype(np.float32)
            c = self._ceiling[t] = (tf / (tf + self.norm[docs])).max() if len(docs) else 0.0
        return float(c)

    def _part(self, t: int, scale: float, at: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding term `t` (only postings `at`, if given) and what it adds to each."""
        d, tf = self.postings(t)
        if at is not None:
            d, tf = d[at], tf[at]
        return d, self._values(d, tf, scale)

    def _values(self, d: np.ndarray, tf: np.ndarray, scale: float) -> np.ndarray:
        """What a term of weight `scale` adds to documents `d` holding it `tf` times."""
        tf = tf.astype(np.float32)
        return tf * scale / (tf + self.norm[d])

    def scores(self, query: dict[str, float]) -> np.ndarray:
        """BM25 score of every document for weighted query terms (unknown terms add nothing)."""
        return self._scores(self._terms(query))

    def _scores(self, terms: list[tuple[int, float, float]]) -> np.ndarray:
        parts = [self._part(t, scale) for t, scale, _ in terms]
        if not parts:
            return np.zeros(self.n_docs, dtype=np.float64)
        docs, values = zip(*parts, strict=True)
        return np.bincount(np.concatenate(docs), np.concatenate(values), minlength=self.n_docs)

    def best(
        self, query: dict[str, float], k: int, factor: np.ndarray | None = None, prefer: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents and their scores: `top(scores(query) * factor, k, prefer)`,
        exactly, without scoring every posting of the commonest words.

        MaxScore: (1) the documents the rarest terms favour are scored in full; their k-th best
        is a floor the answer's k-th best cannot be under. (2) Terms are added to every document
        holding them, weightiest first, only until what all the others could add at most would
        not lift a document holding none of these to that floor. (3) The others are looked up
        only for the documents still in the running.
        """
        terms = self._terms(query)
        if not terms or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        # Scoring everything is faster for few postings, and a negative IDF (rank_bm25's) breaks the bounds.
        if sum(self._df(t) for t, _, _ in terms) <= FULL_SCORING_POSTINGS or min(scale for _, scale, _ in terms) <= 0:
            return self._top_of(self._scores(terms), k, factor, prefer)
        # What the terms from i on can add at most, with room for rounding.
        rest = [*(np.cumsum([most for _, _, most in terms][::-1])[::-1] * (1 + 1e-6)).tolist(), 0.0]
        lift = float(factor.max()) if factor is not None and len(factor) else 1.0
        if lift <= 0:  # no document may be shown
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        acc = np.zeros(self.n_docs)
        # (1) The rarest terms' postings, up to a budget, and their best documents scored in full.
        budget = max(SEED_POSTINGS, int(self.n_docs * SEED_SHARE))
        pool: list[np.ndarray] = []
        i = 0
        while i < len(terms) and (i == 0 or sum(map(len, pool)) + self._df(terms[i][0]) <= budget):
            d, part = self._part(*terms[i][:2])
            acc[d] += part  # a term's postings name each document once
            pool.append(d)
            i += 1
        seen = np.concatenate(pool)
        # A document is in `seen` once per term it holds: enough positions for SEED_DOCS of them.
        seeds = np.unique(seen[_largest(_scaled(acc[seen], factor, seen), SEED_DOCS * len(pool))])
        seeds = np.sort(seeds[_largest(_scaled(acc[seeds], factor, seeds), SEED_DOCS)])
        seeds, exact = self._rest(terms, i, seeds, acc[seeds], factor, rest)
        floor = _kth_largest(_scaled(exact, factor, seeds), k)
        # (2) Every document holding one of the terms that could still make a difference.
        while i < len(terms) and rest[i] * lift >= floor * (1 - 1e-9):
            d, part = self._part(*terms[i][:2])
            acc[d] += part
            i += 1
        if i == len(terms):
            return self._top_of(acc, k, factor, prefer)
        # (3) The remaining terms, for the documents that can still reach the floor.
        reach = acc + rest[i] if factor is None else (acc + rest[i]) * factor
        cand = np.flatnonzero((reach >= floor * (1 - 1e-9)) & (acc > 0))
        cand, sums = self._rest(terms, i, cand, acc[cand], factor, rest, floor)
        final = _scaled(sums, factor, cand)
        picked = _first(cand, final, k, prefer)
        return cand[picked], final[picked]

    def _top_of(
        self, scores: np.ndarray, k: int, factor: np.ndarray | None, prefer: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """`best`'s answer from every document's score."""
        scaled = scores if factor is None else scores * factor
        ids = self.top(scaled, k, prefer)
        return ids, scaled[ids]

    def _df(self, t: int) -> int:
        return int(self.df[t])

    def _rest(
        self,
        terms: list[tuple[int, float, float]],
        start: int,
        cand: np.ndarray,
        sums: np.ndarray,
        factor: np.ndarray | None,
        rest: list[float],
        floor: float = 0.0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Add `terms[start:]` to the partial `sums` of documents `cand` (ascending), dropping on
        the way those that can no longer reach `floor`. A few documents are found in a term's
        postings by binary search; many, by one pass over the postings with a membership mask."""
        member: np.ndarray | None = None
        for j in range(start, len(terms)):
            if floor > 0:
                keep = _scaled(sums + rest[j], factor, cand) >= floor * (1 - 1e-9)
                if not keep.all():
                    cand, sums, member = cand[keep], sums[keep], None
            if not len(cand):
                break
            t, scale, _ = terms[j]
            postings, tf = self.postings(t)
            if len(cand) * 64 < len(postings):
                at = np.minimum(np.searchsorted(postings, cand), len(postings) - 1)
                held = postings[at] == cand
                sums[held] += self._values(postings[at[held]], tf[at[held]], scale)
                continue
            if member is None:
                member = np.full(self.n_docs, -1, dtype=np.int32)
                member[cand] = np.arange(len(cand), dtype=np.int32)
            slots = member[postings]
            at = np.flatnonzero(slots >= 0)
            sums[slots[at]] += self._values(postings[at], tf[at], scale)
        return cand, sums

    @staticmethod
    def top(scores: np.ndarray, k: int, prefer: np.ndarray | None = None) -> np.ndarray:
        """Indices of the k best positive scores, best first; on a tie the larger `prefer` (say,
        the newer issue's day), then the earlier position."""
        hits = np.flatnonzero(scores > 0)
        return hits[_first(hits, scores[hits], k, prefer)]


# Up to this many postings of the question's terms `BM25.best` scores them all: measured at 100k
# and 1M paragraphs, skipping only pays above about this.
FULL_SCORING_POSTINGS = 400_000
# The first floor of `BM25.best`: the rarest terms' postings are taken up to this share of the
# paragraphs (at least SEED_POSTINGS), and this many of the documents they favour most are
# scored in full. Measured at a million paragraphs: a floor from a few dozen documents of a few
# thousand postings is often far below the final one, and everything after it costs more.
SEED_SHARE = 0.2
SEED_POSTINGS = 4096
SEED_DOCS = 200


class _Plain:
    """A segment's arrays as plain ndarrays (see `BM25.__init__` on memory maps), and its row of
    each term it holds (a dict: a query looks up each of its terms in every segment)."""

    def __init__(self, seg: Segment) -> None:
        self.ptr, self.docs, self.tf = (np.asarray(x) for x in (seg.ptr, seg.docs, seg.tf))
        self.row = dict(zip(np.asarray(seg.terms).tolist(), range(len(seg.terms)), strict=True))


def _scaled(values: np.ndarray, factor: np.ndarray | None, docs: np.ndarray) -> np.ndarray:
    """Scores of `docs` times each one's factor."""
    return values if factor is None else values * factor[docs]


def _largest(values: np.ndarray, n: int) -> np.ndarray:
    """Positions of some n largest values (all of them when there are no more)."""
    return np.arange(len(values)) if len(values) <= n else np.argpartition(values, len(values) - n)[len(values) - n :]


def _kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest value, not below 0; 0 while there are fewer than k."""
    return max(0.0, float(np.partition(values, len(values) - k)[len(values) - k])) if len(values) >= k else 0.0


def _first(ids: np.ndarray, values: np.ndarray, k: int, prefer: np.ndarray | None = None) -> np.ndarray:
    """Positions (into ids, ascending) of the k best positive values, best first; a tie, the one
    at the k-th place included, goes to the larger `prefer[id]`, then to the smaller id."""
    positive = np.flatnonzero(values > 0)

    def ordered(at: np.ndarray) -> np.ndarray:
        keys = (ids[at], -values[at]) if prefer is None else (ids[at], -prefer[ids[at]], -values[at])
        return at[np.lexsort(keys)]

    if len(positive) > k:
        kth = -np.partition(-values[positive], k - 1)[k - 1]
        above = positive[values[positive] > kth]
        positive = np.concatenate((above, ordered(positive[values[positive] == kth])[: k - len(above)]))
    return ordered(positive)
