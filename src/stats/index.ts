// src/stats/: pure numerics (no I/O, no state), imported by core. Each statistic is a small
// named function with its formula in its doc comment and its reference beside it.
export type {
  Agreement,
  Confusion,
  CorrectedPassRate,
  CorrectedPassRateInput,
} from './agreement.js'
export { cohensKappa, confusionMatrix, correctedPassRate } from './agreement.js'
export type { BootstrapInterval, BootstrapOptions } from './bootstrap.js'
export { bootstrapCI } from './bootstrap.js'
export { binomialCdf, normalQuantile, tCdf, tQuantile } from './distributions.js'
export type { Interval, IntervalMethod } from './interval.js'
export type { ClusteredStderr, MeanCIOptions, TInterval } from './mean-ci.js'
export { clusteredStderr, meanCI } from './mean-ci.js'
export type { PairedDiff, PairedDiffOptions } from './paired.js'
export { mcnemarExact, pairedDiff } from './paired.js'
export type { RowTrials } from './pass-at-k.js'
export { meanPassAtK, meanPassHatK, passAtK, passHatK } from './pass-at-k.js'
export type { ClusterId } from './validate.js'
export type { WilsonInterval } from './wilson.js'
export { wilsonCI } from './wilson.js'
