// src/stats/ against reference values computed independently with scipy, numpy and exact
// rational arithmetic by fixtures/stats/generate.py (committed with its output,
// fixtures/stats/reference.json). Closed forms must agree to ~1e-9 relative.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { describe, expect, it } from 'vitest'
import {
  binomialCdf,
  bootstrapCI,
  clusteredStderr,
  cohensKappa,
  correctedPassRate,
  mcnemarExact,
  meanCI,
  normalQuantile,
  pairedDiff,
  passAtK,
  passHatK,
  tCdf,
  tQuantile,
  wilsonCI,
} from '../../src/stats/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
// biome-ignore lint/suspicious/noExplicitAny: the fixture is plain JSON read at run time
const ref: any = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/stats/reference.json'), 'utf8'))

/** |actual − expected| ≤ max(abs, rel·|expected|), with a message that names the case. */
function close(
  actual: number | null | undefined,
  expected: number,
  what: string,
  rel = 1e-9,
  abs = 1e-12,
) {
  expect(typeof actual, what).toBe('number')
  const err = Math.abs((actual as number) - expected)
  const tol = Math.max(abs, rel * Math.abs(expected))
  if (!(err <= tol)) {
    expect.fail(`${what}: expected ${expected}, received ${actual} (error ${err} > ${tol})`)
  }
}

describe('distributions (scipy.stats)', () => {
  it(`t quantiles: ${ref.tQuantile.length} (p, df) pairs`, () => {
    for (const c of ref.tQuantile)
      close(tQuantile(c.p, c.df), c.value, `tQuantile(${c.p}, ${c.df})`)
  })

  it(`t CDF: ${ref.tCdf.length} (x, df) pairs`, () => {
    for (const c of ref.tCdf) close(tCdf(c.x, c.df), c.value, `tCdf(${c.x}, ${c.df})`, 1e-9, 1e-15)
  })

  it('normal quantiles', () => {
    for (const c of ref.normalQuantile) {
      // stdlib computes √2·erfinv(2p − 1): at p = 1e-10 the rounding of 2p − 1 costs ~2e-9
      // relative. Intervals only ask for p = (1 + level)/2 >= 0.5, where it is exact to 1e-15.
      const rel = c.p < 1e-6 ? 1e-8 : 1e-9
      close(normalQuantile(c.p), c.value, `normalQuantile(${c.p})`, rel)
    }
  })

  it(`binomial CDF: ${ref.binomialCdf.length} (k, n, p)`, () => {
    for (const c of ref.binomialCdf) {
      close(binomialCdf(c.k, c.n, c.p), c.value, `binomialCdf(${c.k}, ${c.n}, ${c.p})`, 1e-9, 1e-15)
    }
  })
})

describe('wilsonCI (scipy binomtest(...).proportion_ci(method="wilson"))', () => {
  it(`${ref.wilson.length} (k, n, level)`, () => {
    for (const c of ref.wilson) {
      const ci = wilsonCI(c.k, c.n, c.level)
      close(ci.low, c.low, `wilsonCI(${c.k}, ${c.n}, ${c.level}).low`)
      close(ci.high, c.high, `wilsonCI(${c.k}, ${c.n}, ${c.level}).high`)
      expect(ci.estimate).toBe(c.k / c.n)
      expect(ci.low).toBeLessThanOrEqual(ci.estimate)
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate)
    }
  })
})

describe('clustered standard error and t interval (numpy: outer products = OLS sandwich)', () => {
  for (const c of ref.clustered) {
    it(c.name, () => {
      const se = clusteredStderr(c.values, c.clusters)
      expect(se).not.toBeNull()
      close(se?.mean, c.mean, 'mean')
      close(se?.stderr, c.stderr, 'stderr')
      expect(se?.clusters).toBe(c.clusterCount)
      expect(se?.n).toBe(c.values.length)
      for (const l of c.ci) {
        const ci = meanCI(c.values, { clusters: c.clusters, confidence: l.level })
        expect(ci?.df).toBe(c.df)
        close(ci?.low, l.low, `low at ${l.level}`)
        close(ci?.high, l.high, `high at ${l.level}`)
        close(ci?.stderr, c.stderr, 'stderr')
      }
    })
  }

  it('ignores the order of the values (trials of a row need not be adjacent)', () => {
    const c = ref.clustered.find((x: { name: string }) => x.name.startsWith('unbalanced binary 25'))
    const reversed = meanCI([...c.values].reverse(), { clusters: [...c.clusters].reverse() })
    close(reversed?.stderr, c.stderr, 'stderr of the reversed values')
  })
})

describe('pass@k and pass^k (exact fractions of binomial coefficients)', () => {
  it(`${ref.passK.length} (n, c, k), every case of n <= 12 and large n`, () => {
    for (const c of ref.passK) {
      close(passAtK(c.n, c.c, c.k), c.passAtK, `passAtK(${c.n}, ${c.c}, ${c.k})`, 1e-9, 1e-15)
      close(passHatK(c.n, c.c, c.k), c.passHatK, `passHatK(${c.n}, ${c.c}, ${c.k})`, 1e-9, 1e-15)
    }
  })

  it('edge cases are exact: c = 0, c = n, k = n, n = 1', () => {
    for (const n of [1, 2, 5, 50]) {
      for (let k = 1; k <= n; k++) {
        expect(passAtK(n, 0, k)).toBe(0)
        expect(passHatK(n, 0, k)).toBe(0)
        expect(passAtK(n, n, k)).toBe(1)
        expect(passHatK(n, n, k)).toBe(1)
      }
      for (let c = 1; c < n; c++) {
        expect(passAtK(n, c, n)).toBe(1) // all n drawn: the passing ones are among them
        expect(passHatK(n, c, n)).toBe(0) // all n drawn: the failing ones are among them
      }
    }
  })

  it('is not (c/n)^k: 4 passing trials of 5, k = 2', () => {
    expect(passHatK(5, 4, 2)).toBeCloseTo(0.6, 15)
    expect((4 / 5) ** 2).not.toBeCloseTo(0.6, 3)
  })

  it('rejects k > n and other impossible (n, c, k), naming them', () => {
    for (const c of ref.passKErrors) {
      expect(() => passAtK(c.n, c.c, c.k), c.why).toThrow(/^evalgate: passAtK: /)
      expect(() => passHatK(c.n, c.c, c.k), c.why).toThrow(/^evalgate: passHatK: /)
    }
    expect(() => passAtK(3, 1, 4)).toThrow(
      'k must be <= n, the number of trials (3), received k = 4',
    )
  })
})

describe('paired comparison', () => {
  for (const c of ref.pairedT) {
    it(`scipy ttest_rel: ${c.name}`, () => {
      for (const l of c.ci) {
        const d = pairedDiff(c.a, c.b, { confidence: l.level })
        expect(d).not.toBeNull()
        close(d?.meanDiff, c.meanDiff, 'meanDiff', 1e-9, 1e-15)
        close(d?.t, c.t, 't')
        close(d?.pValue, c.pValue, 'pValue', 1e-9, 1e-15)
        expect(d?.df).toBe(c.df)
        close(d?.low, l.low, `low at ${l.level}`)
        close(d?.high, l.high, `high at ${l.level}`)
      }
    })
  }

  for (const c of ref.pairedClustered) {
    it(`clustered by row (numpy + scipy.stats.t): ${c.name}`, () => {
      const d = pairedDiff(c.a, c.b, { clusters: c.clusters })
      close(d?.meanDiff, c.meanDiff, 'meanDiff', 1e-9, 1e-15)
      close(d?.stderr, c.stderr, 'stderr')
      close(d?.t, c.t, 't')
      close(d?.pValue, c.pValue, 'pValue', 1e-9, 1e-15)
      close(d?.low, c.low, 'low')
      close(d?.high, c.high, 'high')
      expect(d?.df).toBe(c.df)
    })
  }

  it(`McNemar's exact test = scipy binomtest(b10, b01 + b10, 0.5): ${ref.mcnemar.length} pairs`, () => {
    for (const c of ref.mcnemar) {
      close(mcnemarExact(c.b01, c.b10), c.pValue, `mcnemarExact(${c.b01}, ${c.b10})`, 1e-9, 1e-300)
    }
  })
})

describe("Cohen's kappa and the judge's rates", () => {
  it(`${ref.kappa.length} confusion matrices (exact fractions)`, () => {
    for (const c of ref.kappa) {
      const a = cohensKappa({ tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn })
      const what = JSON.stringify({ tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn })
      close(a.accuracy, c.accuracy, `${what} accuracy`)
      for (const key of ['kappa', 'tpr', 'tnr'] as const) {
        if (c[key] === null) expect(a[key], `${what} ${key}`).toBeNull()
        else close(a[key], c[key], `${what} ${key}`)
      }
    }
  })

  it('published worked examples', () => {
    for (const c of ref.kappaPublished) {
      const kappa = cohensKappa({ tp: c.tp, fp: c.fp, fn: c.fn, tn: c.tn }).kappa
      expect(kappa, c.source).not.toBeNull()
      expect(Math.round((kappa as number) * 1e4) / 1e4, c.source).toBe(c.kappa)
    }
  })
})

describe('correctedPassRate (delta method, numpy)', () => {
  it(`${ref.corrected.length} cases`, () => {
    for (const c of ref.corrected) {
      const r = correctedPassRate(c, { confidence: c.level })
      if (r.estimate === null) throw new Error(`no estimate for ${JSON.stringify(c)}: ${r.reason}`)
      const what = `correctedPassRate(${JSON.stringify(c)})`
      close(r.unclamped, c.unclamped, `${what}.unclamped`)
      close(r.estimate, c.estimate, `${what}.estimate`)
      close(r.stderr, c.stderr, `${what}.stderr`)
      close(r.low, c.low, `${what}.low`)
      close(r.high, c.high, `${what}.high`)
    }
  })
})

describe('bootstrapCI (a Python port of its generator, then numpy.percentile)', () => {
  it("pure-rand's xoroshiro128+ stream is the one the port computes", () => {
    for (const c of ref.xoroshiro128plus) {
      const rng = xoroshiro128plus(c.seed)
      expect(
        c.outputs.map(() => rng.next()),
        `seed ${c.seed}`,
      ).toEqual(c.outputs)
    }
    const dice = xoroshiro128plus(42)
    expect([1, 2, 3].map(() => uniformInt(dice, 1, 6))).toEqual([2, 4, 6])
  })

  for (const c of ref.bootstrap) {
    it(c.name, () => {
      const ci = bootstrapCI(c.values, {
        clusters: c.clusters,
        resamples: c.resamples,
        seed: c.seed,
        confidence: c.level,
      })
      expect(ci).not.toBeNull()
      close(ci?.estimate, c.estimate, 'estimate')
      close(ci?.stderr, c.stderr, 'stderr')
      close(ci?.low, c.low, 'low')
      close(ci?.high, c.high, 'high')
      expect(ci).toMatchObject({
        method: 'bootstrap',
        resamples: c.resamples,
        seed: c.seed,
        level: c.level,
      })
    })
  }
})
