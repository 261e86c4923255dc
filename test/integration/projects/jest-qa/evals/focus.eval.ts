import { describe } from '@jest/globals'
import { scorer } from 'evalgate'
import { describeEval } from 'evalgate/jest'
import { ran } from '../ran.js'

const ok = scorer('ok', () => true)
const rows = (prefix: string) =>
  ['a', 'b', 'c'].map((x) => ({ id: `${prefix}-${x}`, inputs: { x: `${prefix}-${x}` } }))
const task = (inputs: { x: string }) => {
  ran(inputs.x)
  return inputs.x
}

// With an .only in the file, only the focused eval's rows run; .skip never runs; todo is listed.
describeEval('unfocused', { data: rows('unfocused'), task, scorers: [ok] })
describeEval.only('focused', { data: rows('focused'), task, scorers: [ok] })
describeEval.skip('skipped', { data: rows('skipped'), task, scorers: [ok] })
describeEval.todo('to write')
describe('outer', () => {
  describeEval('nested', { data: rows('nested'), task, scorers: [ok] })
})
