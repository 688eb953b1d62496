#!/usr/bin/env python3
"""Benchmark for "years of issues": build, cold start, adding an issue, query latency and memory,
at 10k and 100k paragraphs (1M with --million), beside plain rank_bm25 on the same token lists.

    python tests/perf/bench.py                      # 10k and 100k, temp workdir, removed after
    python tests/perf/bench.py --sizes 10000 --workdir /tmp/bench --keep
    python tests/perf/bench.py --million            # adds 1M (~45 min here; rank_bm25 alone needs ~15 GB)
    python tests/perf/bench.py --sizes '' --million --phases serve --workdir /tmp/bench   # re-run one phase
    python tests/perf/bench.py --bot-path /tmp/old  # measure another checkout's `bot` package
    python tests/perf/bench.py --profile 5000       # cProfile of a build and of the queries

Every phase runs in a fresh subprocess, so timings and peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`) of one phase never include another's:

  build     files → index from scratch (`load_index` with an empty cache, else
            `Index.build(load_corpus(dir))`); median of --build-runs (default 3 up to 20k
            paragraphs, 1 above).
  cold      a fresh process loading the index with the cache the build saved (median of 3);
            without `bot.store` a cold start is a full build, timed once in `serve`.
  serve     the serving process: cold start, then every question through `Index.ask` (p50/p95),
            then the scoring alone (`index.bm25.scores`, all query tokens weight 1) and the
            ranking alone (`index.bm25.best`, the ten best, as `ask` ranks) on the first
            --core-queries questions, then one new issue written into the corpus folder and the
            index reloaded with `previous=` (without a store: a full rebuild).
  add-cold  the new issue added by a fresh process from the pre-add cache (store only).
  ours/rank_bm25
            the same token lists (the index's own: from its postings, else captured from its
            build, else re-tokenized with `index.tokenizer`) given to our `BM25` and to
            `rank_bm25.BM25Okapi`: structure build time, `scores`/`get_scores` per query, RSS.

Questions are made from the archive (a sentence's clause with its number turned into 多少 /
哪天, or with words dropped or replaced by 什么), plus ~20% off-topic ones.  The answer-quality
line of `datong-bot eval` on the shipped issue's question set is printed for before/after.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import pickle
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GENERATOR_VERSION = 2  # bump when make_archive's output changes, so kept archives are remade
RESULT_TAG = "@@RESULT@@"
SMALL = 20_000  # up to this size builds are repeated
KEPT_PHASES = ("build", "cold", "serve", "add_cold", "ours", "rank_bm25")  # result keys, one a phase


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process and its finished children so far (user + system): less
    sensitive than wall time to other work on a shared machine; worker processes included."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def children_peak_rss_mb() -> float:
    """The largest peak RSS of any finished child (worker) process; 0 without children."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# ---------------------------------------------------------------------------------------------
# Phases (each runs in its own process)


def _own(name: str):
    """`bot.<name>` when this `bot` has one (an editable install's finder can otherwise hand a
    --bot-path checkout the installed tree's module), else None."""
    import importlib

    import bot

    try:
        module = importlib.import_module(f"bot.{name}")
    except ImportError:
        return None
    return module if Path(module.__file__).parent == Path(bot.__file__).parent else None


def _loader():
    """`load_index` when this `bot` has a persisted store: `bot.index`'s since search.py was
    split, `bot.store`'s before; None for a checkout without a store."""
    for name in ("index", "store"):
        module = _own(name)
        if module is not None and hasattr(module, "load_index"):
            return module.load_index
    return None


def _code(name: str):
    """`Index` or `BM25` of this checkout: from `bot.index` / `bot.bm25`, else the old `bot.search`."""
    module = _own({"Index": "index", "BM25": "bm25"}[name]) or _own("search")
    return getattr(module, name)


def _load(corpus: Path, cache: Path | None):
    """The index as the bot gets it at start: from the persisted store if there is one."""
    load_index = _loader()
    if load_index is not None:
        return load_index(corpus, cache_dir=cache), {}
    from bot.corpus import load_corpus

    Index = _code("Index")
    t0 = time.perf_counter()
    corpus_obj = load_corpus(corpus)
    t1 = time.perf_counter()
    index = Index.build(corpus_obj)
    return index, {"parse_s": t1 - t0, "index_s": time.perf_counter() - t1}


def _vocab(index) -> dict[str, int]:
    vocab = index.bm25.vocab
    kinds = Counter(term.partition(":")[0] for term in vocab)
    return {"terms": len(vocab), **{k: kinds.get(k, 0) for k in "wqb"}}


def phase_build(a: dict) -> dict:
    cache = Path(a["cache"])
    shutil.rmtree(cache, ignore_errors=True)
    t0, c0 = time.perf_counter(), cpu_s()
    index, detail = _load(Path(a["corpus"]), cache)
    seconds, cpu = time.perf_counter() - t0, cpu_s() - c0
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        **detail,
        "passages": len(index.passages),
        "vocab": _vocab(index),
        "store": _loader() is not None,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": children_peak_rss_mb(),
    }


def since_process_start() -> float:
    """Seconds since this process started (Linux /proc), the interpreter's own start-up included."""
    with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
        started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        return float(uptime.read().split()[0]) - started


def phase_cold(a: dict) -> dict:
    t0, c0 = time.perf_counter(), cpu_s()
    index, _ = _load(Path(a["corpus"]), Path(a["cache"]))
    seconds, cpu = time.perf_counter() - t0, cpu_s() - c0
    index.ask(a["question"])  # the first answer: whatever the load left for first use is paid here
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "passages": len(index.passages),
        "peak_rss_mb": peak_rss_mb(),
        "first_answer_s": since_process_start(),
    }


def phase_add_cold(a: dict) -> dict:
    corpus, extra = Path(a["corpus"]), Path(a["extra"])
    dest = corpus / extra.name
    shutil.copyfile(extra, dest)
    try:
        t0, c0 = time.perf_counter(), cpu_s()
        index, _ = _load(corpus, Path(a["cache"]))
        seconds, cpu = time.perf_counter() - t0, cpu_s() - c0
    finally:
        dest.unlink()
    return {"seconds": seconds, "cpu_s": cpu, "passages": len(index.passages), "peak_rss_mb": peak_rss_mb()}


def _docs_from_postings(index) -> tuple | None:
    """Token lists back from the index's postings, doc-major and as numbers: (vocabulary, each
    doc's first token, the tokens as term ids).  Python lists of strings for a million paragraphs
    would take more memory than this machine has; `core` makes them from these arrays."""
    postings = getattr(index, "postings", None)
    if postings is None or not all(hasattr(postings, x) for x in ("vocab", "ptr", "docs", "tf")):
        return None
    import numpy as np

    ptr, docs, tf = np.asarray(postings.ptr), np.asarray(postings.docs), np.asarray(postings.tf)
    order = np.argsort(docs, kind="stable")  # doc-major; within a doc, term order as in the postings
    terms = np.repeat(np.arange(len(postings.vocab), dtype=np.int32), np.diff(ptr))[order]
    counts = tf[order].astype(np.int64)
    del order
    tokens = np.repeat(terms, counts)
    doc_ptr = np.zeros(len(index.passages) + 1, dtype=np.int64)
    doc_ptr[1:] = np.cumsum(np.bincount(docs, weights=tf, minlength=len(index.passages)).astype(np.int64))
    return list(postings.vocab), doc_ptr, tokens


def _retokenize(passages, tokenizer) -> list[list[str]]:
    heads: dict[str, list[str]] = {}
    docs = []
    for p in passages:
        head = " ".join(x for x in (p.headline, p.subtitle) if x)
        if head not in heads:
            heads[head] = tokenizer.index_tokens(head)
        docs.append(tokenizer.index_tokens(p.text) + heads[head])
    return docs


def phase_serve(a: dict) -> dict:
    corpus, cache, extra = Path(a["corpus"]), Path(a["cache"]), Path(a["extra"])
    questions = a["questions"]
    t0, c0 = time.perf_counter(), cpu_s()
    index, detail = _load(corpus, cache)
    cold, cold_cpu = time.perf_counter() - t0, cpu_s() - c0
    rss_loaded, resident_loaded = peak_rss_mb(), current_rss_mb()
    times: list[float] = []
    outcomes: Counter[str] = Counter()
    for q in questions:
        t = time.perf_counter()
        answer = index.ask(q["q"])
        times.append((time.perf_counter() - t) * 1000)
        outcomes[f"{q['kind']}:{answer.outcome}"] += 1
    rss_serving, resident_serving = peak_rss_mb(), current_rss_mb()

    core = [list(index.tokenizer.query(q["q"]).tokens) for q in questions[: a["core_queries"]]]

    def timed(run) -> list[float]:
        """Median of 5 timings of `run(query)` per core question."""
        out = []
        for tokens in core:
            query = dict.fromkeys(tokens, 1.0)
            runs = []
            for _ in range(5):
                t = time.perf_counter()
                run(query)
                runs.append((time.perf_counter() - t) * 1000)
            out.append(statistics.median(runs))
        return out

    scoring = timed(index.bm25.scores)
    # What `ask` itself asks of the ranker, where it has one: the best ten, pruned.
    ranking = timed(lambda query: index.bm25.best(query, 10)) if hasattr(index.bm25, "best") else []

    # One new issue: written into the folder, then the index reloaded from the loaded one.
    passages, tokenizer = index.passages, index.tokenizer
    load_index = _loader()
    captured: list = []
    dest = corpus / extra.name
    shutil.copyfile(extra, dest)
    try:
        t, c = time.perf_counter(), cpu_s()
        if load_index is not None:
            new = load_index(corpus, cache_dir=cache, previous=index)
        else:
            from bot.corpus import load_corpus

            BM25 = _code("BM25")
            original = BM25.__init__

            def keep_docs(self, docs=(), *args, **kwargs):
                captured.append(docs)
                original(self, docs, *args, **kwargs)

            BM25.__init__ = keep_docs
            try:
                new = _code("Index").build(load_corpus(corpus))
            finally:
                BM25.__init__ = original
        add, add_cpu = time.perf_counter() - t, cpu_s() - c
    finally:
        dest.unlink()
    rss_after_add = peak_rss_mb()
    # The questions again on the grown index (base + a segment, where the store has them).
    after_add: list[float] = []
    for q in questions:
        t = time.perf_counter()
        new.ask(q["q"])
        after_add.append((time.perf_counter() - t) * 1000)
    segments = len(getattr(getattr(new, "postings", None), "segments", ()) or ())
    merge_s = rss_after_merge = None
    store_module = _own("store")
    if segments and store_module is not None and hasattr(store_module, "merge_saved"):
        t = time.perf_counter()
        store_module.merge_saved(new.postings, cache)  # what the bot runs in the background
        merge_s, rss_after_merge = time.perf_counter() - t, peak_rss_mb()

    result = {
        "cold_s": cold,
        "cold_cpu_s": cold_cpu,
        "add_cpu_s": add_cpu,
        **{f"cold_{k}": v for k, v in detail.items()},
        "passages": len(passages),
        "added_passages": len(new.passages) - len(passages),
        "ask_ms": times,
        "scoring_ms": scoring,
        "ranking_ms": ranking,
        "outcomes": dict(outcomes),
        "add_s": add,
        "store": load_index is not None,
        "rss_loaded_mb": rss_loaded,
        "rss_serving_mb": rss_serving,
        "resident_loaded_mb": resident_loaded,
        "resident_serving_mb": resident_serving,
        "rss_after_add_mb": rss_after_add,
        "ask_after_add_ms": after_add,
        "segments_after_add": segments,
        "merge_s": merge_s,
        "rss_after_merge_mb": rss_after_merge,
        "worker_peak_rss_mb": children_peak_rss_mb(),
    }
    new_passages = new.passages if captured else None  # only an old checkout without a store needs them
    del new
    # The index's own token lists, for the same-data comparison with rank_bm25: written as arrays
    # (vocabulary, doc pointers, term ids); the measurements above are already taken.
    import numpy as np

    exported = _docs_from_postings(index)
    if exported is not None:
        source = "postings"
        vocab, doc_ptr, tokens = exported
    else:
        if captured and len(captured[0]) == len(passages) + result["added_passages"]:
            source = "captured from the rebuild"
            lists = [d for d, p in zip(captured[0], new_passages, strict=True) if p.issue != extra.name]
        else:
            source = "re-tokenized with index.tokenizer"
            lists = _retokenize(passages, tokenizer)
        ids: dict[str, int] = {}
        tokens = np.fromiter((ids.setdefault(t, len(ids)) for d in lists for t in d), dtype=np.int32)
        doc_ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        doc_ptr[1:] = np.cumsum([len(d) for d in lists])
        vocab = list(ids)
    queries = [list(q) for q in core]
    out = Path(a["docs_out"])
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "doc_ptr.npy", doc_ptr)
    np.save(out / "tokens.npy", tokens)
    with open(out / "vocab.pickle", "wb") as handle:
        pickle.dump({"vocab": vocab, "queries": queries, "source": source}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    result["docs_source"] = source
    return result


def phase_core(a: dict) -> dict:
    """Our BM25 or rank_bm25's, from the same token lists: build time, per-query scoring, RSS."""
    import numpy as np

    folder = Path(a["docs"])
    with open(folder / "vocab.pickle", "rb") as handle:
        data = pickle.load(handle)
    vocab, queries = data["vocab"], data["queries"]
    doc_ptr, tokens = np.load(folder / "doc_ptr.npy"), np.load(folder / "tokens.npy")
    words = [vocab[t] for t in tokens.tolist()]  # one string object per term, shared by every list
    docs = [words[lo:hi] for lo, hi in zip(doc_ptr[:-1].tolist(), doc_ptr[1:].tolist(), strict=True)]
    del words, tokens
    rss_docs = current_rss_mb()
    if a["which"] == "rank_bm25":
        from rank_bm25 import BM25Okapi

        t = time.perf_counter()
        bm = BM25Okapi(docs)
        build = time.perf_counter() - t
        score = bm.get_scores
        repeats = 1
    else:
        BM25 = _code("BM25")
        t = time.perf_counter()
        bm = BM25(docs)
        build = time.perf_counter() - t

        def score(tokens):
            return bm.scores(dict.fromkeys(tokens, 1.0))

        repeats = 5
    times = []
    for tokens in queries:
        runs = []
        for _ in range(repeats):
            t = time.perf_counter()
            score(tokens)
            runs.append((time.perf_counter() - t) * 1000)
        times.append(statistics.median(runs))
    return {
        "build_s": build,
        "ms": times,
        "rss_docs_mb": rss_docs,
        "peak_rss_mb": peak_rss_mb(),
        "postings": sum(len(set(d)) for d in docs),
    }


def phase_profile(a: dict) -> dict:
    import cProfile
    import pstats

    from bot.corpus import load_corpus

    Index = _code("Index")
    prof = cProfile.Profile()
    prof.enable()
    corpus = load_corpus(Path(a["corpus"]))
    index = Index.build(corpus)
    prof.disable()
    print(f"\n### cProfile: load_corpus + Index.build, {len(index.passages)} paragraphs")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(28)
    stats.sort_stats("tottime").print_stats(18)
    index.ask("预热")  # the POS tagger is made on the first question; not part of the profile
    prof = cProfile.Profile()
    prof.enable()
    for q in a["questions"]:
        index.ask(q["q"])
    prof.disable()
    print(f"\n### cProfile: {len(a['questions'])} questions through Index.ask")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(28)
    stats.sort_stats("tottime").print_stats(18)
    return {}


PHASES = {
    "build": phase_build,
    "cold": phase_cold,
    "add-cold": phase_add_cold,
    "serve": phase_serve,
    "core": phase_core,
    "profile": phase_profile,
}


# ---------------------------------------------------------------------------------------------
# Driver


class Runner:
    def __init__(self, bot_path: Path | None, timeout: float | None) -> None:
        self.env = dict(os.environ)
        if bot_path is not None:
            self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(bot_path), self.env.get("PYTHONPATH")]))
        self.timeout = timeout

    def run(self, phase: str, args: dict, echo: bool = False) -> dict | None:
        started = time.perf_counter()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(args, handle, ensure_ascii=False)
        try:
            proc = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--phase-args", handle.name],
                env=self.env,
                cwd="/",
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            log(f"  {phase}: timed out after {self.timeout:.0f} s")
            return None
        finally:
            os.unlink(handle.name)
        if echo:
            print(proc.stdout.split(RESULT_TAG)[0])
        if proc.returncode != 0 or RESULT_TAG not in proc.stdout:
            log(f"  {phase}: failed (exit {proc.returncode})\n{proc.stderr[-3000:]}")
            return None
        result = json.loads(proc.stdout.rsplit(RESULT_TAG, 1)[1])
        log(f"  {phase}: {time.perf_counter() - started:.1f} s wall")
        return result


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- questions --------------------------------------------------------------------------------

_QUANTITY = re.compile(
    r"(\d{1,2}月\d{1,2}日)|\d+(?:\.\d+)?\s*(万|亿)?(千瓦时|千瓦|万千瓦|亿元|万元|元|人次|万人次|个|座|家|项|名|吨|亩|公里|米|%|倍|人|台|架|条|场)?"
)
_LEAD = re.compile(
    r"^(?:本报讯|新华社[^，,。]{0,16}?电)\s*(?:[(（][^)）]{0,30}[)）])?\s*(?:\d{1,2}月\d{1,2}日|近日|昨日|日前)?[,，]?"
)
OFF_TOPIC = (
    "{food}怎么做才好吃？",
    "{city}明天会下雨吗？",
    "{team}昨晚的比赛谁赢了？",
    "{food}多少钱一斤？",
    "附近哪里能买到正宗的{food}？",
    "{star}的新电影什么时候上映？",
    "手机{op}了怎么办？",
    "{food}和{food2}哪个更有营养？",
    "去{city}旅游住哪里方便？",
    "{team}的主教练是谁？",
    "怎么在网上{op}？",
    "{star}今年多大了？",
)
FILL = {
    "food": ["红烧肉", "饺子", "螺蛳粉", "麻婆豆腐", "火锅", "榴莲", "小龙虾", "煎饼果子", "提拉米苏", "寿司", "烤鸭", "酸菜鱼"],
    "food2": ["牛奶", "豆浆", "酸奶", "燕麦", "鸡蛋", "香蕉", "苹果", "咖啡"],
    "city": ["成都", "广州", "哈尔滨", "三亚", "厦门", "拉萨", "青岛", "昆明", "西安", "大理"],
    "team": ["皇家马德里", "曼联", "湖人队", "国足", "巴塞罗那", "勇士队", "拜仁", "中国女排"],
    "star": ["周杰伦", "刘德华", "成龙", "巩俐", "章子怡", "王一博", "赵丽颖", "吴京"],
    "op": ["黑屏", "没信号", "充不进电", "被偷", "改密码", "挂号", "退票", "开发票"],
}


def _question(rng: random.Random, sentence: str) -> str | None:
    import jieba

    sentence = _LEAD.sub("", sentence).rstrip("。！？!?；;")
    clauses = [c for c in re.split(r"[，,；;：:]", sentence) if len(c) >= 5]
    if not clauses:
        return None
    i = rng.randrange(len(clauses))
    text = clauses[i]
    if len(text) < 10 and i + 1 < len(clauses):
        text += "，" + clauses[i + 1]
    text = text[:34]
    m = _QUANTITY.search(text)
    if m and rng.random() < 0.5:
        said = "哪天" if m.group(1) else "多少" + (m.group(2) or "") + (m.group(3) or "")
        text = text[: m.start()] + said + text[m.end() :]
        end = "？"
    else:
        words = jieba.lcut(text)
        if len(words) > 4:
            for _ in range(rng.randint(1, 2)):
                words.pop(rng.randrange(1, len(words)))
        long_words = [k for k, w in enumerate(words) if len(w) >= 2]
        if long_words and rng.random() < 0.4:
            words[rng.choice(long_words)] = "什么"
        text = "".join(words)
        end = rng.choice(("吗？", "？", "？", "是真的吗？"))
    return rng.choice(("", "", "", "请问", "听说", "想知道")) + text + end


def make_questions(corpus: Path, n: int, seed: int, off_share: float = 0.2) -> list[dict]:
    from bot.corpus import issue_files, parse_issue

    rng = random.Random(f"{seed}:questions:{corpus.name}")
    files = issue_files(corpus)
    parsed: dict[Path, object] = {}
    n_off = round(n * off_share)
    out: list[dict] = []
    while len(out) < n - n_off:
        path = rng.choice(files)
        if path not in parsed:
            parsed[path] = parse_issue(path.read_bytes(), path.name)
        articles = [x for x in parsed[path].articles if x.kind == "article"]
        paragraph = rng.choice(rng.choice(articles).paragraphs)
        sentences = [s for s in re.findall(r"[^。！？]+[。！？]", paragraph) if 12 <= len(s) <= 160]
        q = _question(rng, rng.choice(sentences)) if sentences else None
        if q:
            out.append({"q": q, "kind": "archive"})
    seen: set[str] = set()
    while len(out) < n:
        template = rng.choice(OFF_TOPIC)
        q = template.format(**{k: rng.choice(v) for k, v in FILL.items()})
        if q not in seen or len(seen) > 300:
            seen.add(q)
            out.append({"q": q, "kind": "off-topic"})
    rng.shuffle(out)
    return out


# -- one size ---------------------------------------------------------------------------------


def prepare(work: Path, size: int, seed: int) -> tuple[Path, Path, dict]:
    """The archive (kept and reused when the same size, seed and generator made it) and one
    more issue, the day after the newest, for the add phase."""
    sys.path.insert(0, str(HERE))
    import make_archive

    folder = work / f"n{size}"
    corpus, extra_dir = folder / "corpus", folder / "extra"
    marker = folder / "archive.json"
    want = {"paragraphs": size, "seed": seed, "generator": GENERATOR_VERSION, "start": make_archive.DEFAULT_START.isoformat()}
    if not (marker.is_file() and json.loads(marker.read_text()) == want):
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        log(f"generating {size} paragraphs into {corpus} …")
        files = make_archive.generate(size, corpus, seed)
        extra_dir.mkdir(parents=True)
        date = make_archive.DEFAULT_START + dt.timedelta(days=1)
        extra = extra_dir / f"{make_archive.SLUG}-{date.isoformat()}.txt"
        extra.write_text(make_archive.write_issue(make_archive.source(), date, make_archive.PER_ISSUE, seed), encoding="utf-8")
        log(f"  {len(files)} issues in {time.perf_counter() - t:.1f} s")
        marker.write_text(json.dumps(want))
    extra = next(extra_dir.glob("*.txt"))
    files = [p for p in corpus.glob("*.txt") if p.name not in ("papers.txt", "userdict.txt")]
    info = {"issues": len(files), "mb": sum(p.stat().st_size for p in files) / 1e6}
    return corpus, extra, info


PHASE_NAMES = ("build", "cold", "serve", "add-cold", "ours", "rank_bm25")


def bench_size(runner: Runner, work: Path, size: int, args: argparse.Namespace, earlier: dict | None = None) -> dict:
    """Every phase at one size; with --phases, only those, keeping the other figures from an
    earlier run in the same workdir (`earlier`) and saying which were kept."""
    corpus, extra, info = prepare(work, size, args.seed)
    folder = corpus.parent
    questions = make_questions(corpus, args.questions, args.seed)
    result: dict = {
        "size": size,
        **info,
        "questions": len(questions),
        "off_topic": sum(q["kind"] == "off-topic" for q in questions),
        "label": args.label,
    }
    wanted = set(args.phases.split(","))
    kept = {k: v for k, v in (earlier or {}).items() if k in KEPT_PHASES}
    cache = folder / "cache"
    pre_add = folder / "cache-pre-add"
    if "build" in wanted:
        runs = args.build_runs or (3 if size <= SMALL else 1)
        builds = []
        for r in range(runs):
            log(f"[{size}] build {r + 1}/{runs}")
            out = runner.run("build", {"corpus": str(corpus), "cache": str(cache)})
            if out is None:
                break
            builds.append(out)
        result["build"] = builds
        if not builds:
            return result
    else:
        # The kept cache may hold the extra issue a serve or add phase added: one load puts it
        # back in step with the corpus folder (untimed).
        log(f"[{size}] bringing the kept cache in step with the corpus (untimed)")
        runner.run("cold", {"corpus": str(corpus), "cache": str(cache), "question": questions[0]["q"]})
    store = (cache / "index").is_dir()
    shutil.rmtree(pre_add, ignore_errors=True)
    if store:
        shutil.copytree(cache, pre_add)
    if store and "cold" in wanted:
        colds = []
        for r in range(3):
            log(f"[{size}] cold start {r + 1}/3")
            out = runner.run("cold", {"corpus": str(corpus), "cache": str(cache), "question": questions[0]["q"]})
            if out:
                colds.append(out)
        result["cold"] = colds
    docs = folder / "docs"
    if "serve" in wanted:
        log(f"[{size}] serve ({len(questions)} questions, then add one issue)")
        result["serve"] = runner.run(
            "serve",
            {
                "corpus": str(corpus),
                "cache": str(cache),
                "extra": str(extra),
                "questions": questions,
                "core_queries": args.core_queries,
                "docs_out": str(docs),
            },
        )
    if store and "add-cold" in wanted:
        log(f"[{size}] add one issue in a fresh process")
        result["add_cold"] = runner.run("add-cold", {"corpus": str(corpus), "cache": str(pre_add), "extra": str(extra)})
    if result.get("serve") is not None:
        for which in ("ours", "rank_bm25"):
            if which in wanted:
                log(f"[{size}] {which} on the same token lists")
                result[which] = runner.run("core", {"docs": str(docs), "which": which})
    shutil.rmtree(docs, ignore_errors=True)
    # Which code measured each phase: kept figures keep the label of the run that measured them.
    labels = {key: args.label for key in KEPT_PHASES if key in result}
    for key, value in kept.items():
        if key not in result:
            result[key] = value
            result.setdefault("kept", []).append(key)
            labels[key] = ((earlier or {}).get("labels") or {}).get(key) or (earlier or {}).get("label")
    result["labels"] = labels
    return result


# -- report -----------------------------------------------------------------------------------


def _s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s" if x < 600 else f"{x / 60:.1f} min"


def _wc(wall: float, cpu: float | None) -> str:
    """Wall time, with CPU time beside it when the machine was busy enough for them to differ."""
    return _s(wall) if cpu is None else f"{_s(wall)} (cpu {_s(cpu)})"


def _med(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def _ms(x: float) -> str:
    return f"{x:.2f} ms" if x < 10 else f"{x:.0f} ms" if x < 10000 else f"{x / 1000:.1f} s"


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def table(results: list[dict]) -> list[str]:
    rows = ["| N ¶ | measure | ours | rank_bm25 | ours / rank_bm25 |", "|---|---|---|---|---|"]
    for r in results:
        n = _size(r["size"])
        builds = r.get("build") or []
        serve, ours, ref = r.get("serve"), r.get("ours"), r.get("rank_bm25")
        store = bool(builds and builds[0]["store"]) or bool(serve and serve.get("store"))
        if builds:
            med = statistics.median(b["seconds"] for b in builds)
            how = f"median of {len(builds)}" if len(builds) > 1 else "1 run"
            split = ""
            if "parse_s" in builds[0]:
                split = (
                    f" (parse {_s(statistics.median(b['parse_s'] for b in builds))}"
                    f" + index {_s(statistics.median(b['index_s'] for b in builds))})"
                )
            rows.append(f"| {n} | build from scratch, files → index ({how}) | {_wc(med, _med(builds, 'cpu_s'))}{split} | — | |")
        if ours and ref:
            rows.append(
                f"| {n} | BM25 structure from the same token lists | {_s(ours['build_s'])} | {_s(ref['build_s'])} "
                f"| {ours['build_s'] / ref['build_s']:.2f} |"
            )
        if r.get("cold"):
            rows.append(
                f"| {n} | cold start: load_index from the persisted index, fresh process (median of {len(r['cold'])}) "
                f"| {_wc(_med(r['cold'], 'seconds'), _med(r['cold'], 'cpu_s'))} | — | |"
            )
            if _med(r["cold"], "first_answer_s") is not None:
                rows.append(
                    f"| {n} | cold start: process start → first answer (interpreter, imports, load, one question) "
                    f"| {_s(_med(r['cold'], 'first_answer_s'))} | — | |"
                )
        elif serve:
            rows.append(
                f"| {n} | cold start (fresh process; no persisted index: a full build) "
                f"| {_wc(serve['cold_s'], serve.get('cold_cpu_s'))} | — | |"
            )
        if serve:
            what = "load_index(previous=loaded)" if store else "no store: full rebuild"
            added = _wc(serve["add_s"], serve.get("add_cpu_s"))
            rows.append(f"| {n} | add one issue ({serve['added_passages']} ¶; {what}) | {added} | — | |")
        if r.get("add_cold"):
            add_cold = r["add_cold"]
            added = _wc(add_cold["seconds"], add_cold.get("cpu_s"))
            rows.append(f"| {n} | add one issue in a fresh process with the cache | {added} | — | |")
            if r.get("cold") and add_cold.get("peak_rss_mb"):
                cold_rss = _med(r["cold"], "peak_rss_mb") or float("nan")
                rows.append(
                    f"| {n} | peak RSS, that process / a cold start's (median) | {add_cold['peak_rss_mb']:.0f} / "
                    f"{cold_rss:.0f} MB = {add_cold['peak_rss_mb'] / cold_rss:.2f} | — | |"
                )
        if serve and serve.get("ask_after_add_ms"):
            after = serve["ask_after_add_ms"]
            rows.append(
                f"| {n} | query after the add: Index.ask p50 / p95 ({serve.get('segments_after_add', 0)} segments) "
                f"| {_ms(pct(after, 0.5))} / {_ms(pct(after, 0.95))} | — | |"
            )
        if serve and serve.get("merge_s") is not None:
            rows.append(
                f"| {n} | merge the segment into the base (store.merge_saved, in the serving process) "
                f"| {_s(serve['merge_s'])}, peak RSS then {serve['rss_after_merge_mb']:.0f} MB | — | |"
            )
        if serve:
            ask = serve["ask_ms"]
            rows.append(
                f"| {n} | query: Index.ask p50 / p95 ({len(ask)} questions, {r['off_topic']} off-topic) "
                f"| {_ms(pct(ask, 0.5))} / {_ms(pct(ask, 0.95))} | — | |"
            )
            mine = pct(serve["scoring_ms"], 0.5)
            theirs = pct(ref["ms"], 0.5) if ref else None
            ratio = f"{mine / theirs:.4f}" if theirs else "—"
            rows.append(
                f"| {n} | scoring only, same tokens: bm25.scores vs get_scores, p50 ({len(serve['scoring_ms'])} q) "
                f"| {_ms(mine)} | {_ms(theirs) if theirs else '—'} | {ratio} |"
            )
            if serve.get("ranking_ms"):
                ranking = serve["ranking_ms"]
                rows.append(
                    f"| {n} | ranking only, same tokens: bm25.best (top 10, pruned) p50 / p95 "
                    f"| {_ms(pct(ranking, 0.5))} / {_ms(pct(ranking, 0.95))} | — | |"
                )
        if builds:
            workers = max(b.get("worker_peak_rss_mb", 0) for b in builds)
            extra = f" (+ workers, largest {workers:.0f} MB)" if workers else ""
            rows.append(f"| {n} | peak RSS, build process | {max(b['peak_rss_mb'] for b in builds):.0f} MB{extra} | — | |")
        if serve:
            ref_rss = f"{ref['peak_rss_mb']:.0f} MB (token lists alone {ref['rss_docs_mb']:.0f})" if ref else "—"
            ratio = f"{serve['rss_serving_mb'] / ref['peak_rss_mb']:.2f}" if ref else "—"
            rows.append(
                f"| {n} | peak RSS, serving process (cold start + all questions) | {serve['rss_serving_mb']:.0f} MB "
                f"| {ref_rss} | {ratio} |"
            )
            rows.append(
                f"| {n} | peak RSS, serving process after adding the issue (/ before) | {serve['rss_after_add_mb']:.0f} MB "
                f"({serve['rss_after_add_mb'] / serve['rss_serving_mb']:.2f}×) | — | |"
            )
        if ours and ref:
            rows.append(
                f"| {n} | peak RSS, a process holding the token lists and one BM25 | {ours['peak_rss_mb']:.0f} MB "
                f"| {ref['peak_rss_mb']:.0f} MB | {ours['peak_rss_mb'] / ref['peak_rss_mb']:.2f} |"
            )
    return rows


def notes(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        serve = r.get("serve") or {}
        vocab = (r.get("build") or [{}])[0].get("vocab", {})
        line = (
            f"- {_size(r['size'])}: {r['issues']} issues, {r['mb']:.1f} MB of text, "
            f"{serve.get('passages', '?')} paragraphs; vocabulary {vocab.get('terms', '?')} terms "
            f"(words {vocab.get('w', '?')}, quantities {vocab.get('q', '?')}, bigrams {vocab.get('b', '?')})"
        )
        if r.get("ours"):
            line += f", {r['ours']['postings']:,} postings"
        out.append(line)
        by_label: dict[str, list[str]] = {}
        for phase, label in (r.get("labels") or {}).items():
            by_label.setdefault(label or "?", []).append(phase)
        measured = "; ".join(f"{label} ({', '.join(phases)})" for label, phases in by_label.items())
        out.append(
            f"  code: {measured or r.get('label') or '?'}"
            + (f"; kept from earlier runs: {', '.join(r['kept'])}" if r.get("kept") else "")
        )
        if serve:
            ask = serve["ask_ms"]
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(serve["outcomes"].items()))
            out.append(
                f"  first question {_ms(ask[0])}, max {_ms(max(ask))}; outcomes: {outcomes}; "
                f"token lists for rank_bm25: {serve['docs_source']}"
            )
            if "resident_serving_mb" in serve:
                out.append(
                    f"  serving process resident (VmRSS) after loading {serve['resident_loaded_mb']:.0f} MB, "
                    f"after the questions {serve['resident_serving_mb']:.0f} MB (peak {serve['rss_serving_mb']:.0f} MB)"
                )
            if r.get("rank_bm25"):
                ref = r["rank_bm25"]["ms"]
                mine = pct(serve["scoring_ms"], 0.95)
                out.append(f"  rank_bm25 get_scores p95 {_ms(pct(ref, 0.95))}; ours scoring p95 {_ms(mine)}")
    return out


def machine(bot_path: Path | None, env: dict, label: str | None) -> list[str]:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    mem = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        mem = f"{int(info.readline().split()[1]) / 1024 / 1024:.0f} GB"
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bot, numpy, jieba, rank_bm25, importlib.util as u; from importlib.metadata import version;"
            "import os; s = u.find_spec('bot.store');"
            "print(bot.__file__, numpy.__version__, jieba.__version__, version('rank-bm25'),"
            " s is not None and os.path.dirname(s.origin) == os.path.dirname(bot.__file__))",
        ],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    code = Path(probe[0]).parent.parent if probe else ROOT
    rev = subprocess.run(["git", "-C", str(code), "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(code), "status", "--short", "bot"], capture_output=True, text=True, check=False)
    described = label or (rev.stdout.strip()[:70] + (" + uncommitted changes in bot/" if dirty.stdout.strip() else ""))
    described = described or "not a git checkout"
    return [
        f"- machine: nproc {len(os.sched_getaffinity(0))} (os.cpu_count {os.cpu_count()}), {cpu}, {mem} RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, numpy {probe[1] if probe else '?'}, jieba {probe[2] if probe else '?'}, "
        f"rank_bm25 {probe[3] if probe else '?'}",
        f"- code: {code} ({described}); bot.store {'present' if probe and probe[4] == 'True' else 'absent'}",
    ]


def _load_avg(values: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.1f}" for v in values)


def quality(env: dict, bot_path: Path | None) -> list[str]:
    base = bot_path or ROOT
    questions = base / "tests" / "data" / "questions" / "datong-daily-2024-11-02.jsonl"
    questions = questions if questions.is_file() else ROOT / "tests" / "data" / "questions" / "datong-daily-2024-11-02.jsonl"
    corpus = base / "corpus" if (base / "corpus").is_dir() else ROOT / "corpus"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "eval", "--corpus", str(corpus), str(questions)],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
    )
    keep = [line for line in proc.stdout.splitlines() if line.startswith(("answerable", "abstention", "unanswerable"))]
    return [f"    {line}" for line in keep] or [f"    eval failed: {proc.stderr.strip()[-300:]}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="paragraph counts, comma-separated")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 paragraphs")
    parser.add_argument("--workdir", type=Path, help="where archives, caches and results go (kept; archives reused)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--questions", type=int, default=250)
    parser.add_argument("--core-queries", type=int, default=30, help="questions timed with get_scores (>= 20)")
    parser.add_argument("--build-runs", type=int, default=0, help="builds per size (default 3 up to 20k, else 1)")
    parser.add_argument("--bot-path", type=Path, help="import `bot` from this source tree instead of the installed one")
    parser.add_argument("--label", help="what the code under test is, for the report (e.g. a commit)")
    parser.add_argument(
        "--phases",
        default=",".join(PHASE_NAMES),
        help="only these phases (comma-separated); the other figures are kept from the workdir's results.json",
    )
    parser.add_argument("--timeout", type=float, default=None, help="seconds before a phase is abandoned")
    parser.add_argument("--profile", type=int, metavar="N", help="only cProfile a build and the questions at N paragraphs")
    parser.add_argument("--report", type=Path, metavar="RESULTS_JSON", help="only print the table of a kept results.json")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--phase-args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        result = PHASES[args.phase](json.loads(Path(args.phase_args).read_text()))
        print(RESULT_TAG + json.dumps(result))
        return 0

    if args.report:
        results = json.loads(args.report.read_text())
        print("\n".join([*table(results), "", *notes(results)]))
        return 0

    if args.bot_path:
        args.bot_path = args.bot_path.resolve()
        sys.path.insert(0, str(args.bot_path))
    runner = Runner(args.bot_path, args.timeout)
    temporary = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="datong-bench-")) if temporary else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            corpus, _, _ = prepare(work, args.profile, args.seed)
            questions = make_questions(corpus, args.questions, args.seed)
            runner.run("profile", {"corpus": str(corpus), "questions": questions}, echo=True)
            return 0
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()] + ([1_000_000] if args.million else [])
        load_before = os.getloadavg()
        # Sizes measured earlier in this workdir are kept in results.json and in the report.
        earlier = {}
        if (work / "results.json").is_file():
            earlier = {r["size"]: r for r in json.loads((work / "results.json").read_text())}
        every = dict(earlier)
        partial = args.phases != ",".join(PHASE_NAMES)
        for size in sizes:
            every[size] = bench_size(runner, work, size, args, earlier.get(size) if partial else None)
            (work / "results.json").write_text(json.dumps([every[k] for k in sorted(every)], indent=1))
        results = [every[k] for k in sorted(every)]
        lines = [
            "## datong-daily-bot benchmark",
            "",
            *machine(args.bot_path, runner.env, args.label),
            f"- {args.questions} questions a size (~20% off-topic), seed {args.seed}; workdir {work}",
            f"- load average (1/5/15 min) at start {_load_avg(load_before)}, at end {_load_avg(os.getloadavg())}"
            f" on {len(os.sched_getaffinity(0))} CPUs: above ~1 other work shared the machine; compare the cpu figures",
            "",
            *table(results),
            "",
            *notes(results),
            "",
            "Answer quality (datong-bot eval tests/data/questions/datong-daily-2024-11-02.jsonl):",
            *quality(runner.env, args.bot_path),
        ]
        print("\n".join(lines))
        log(f"raw figures: {work / 'results.json'}")
    finally:
        if temporary and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
